/// Defines `typenet::kernels::simd::vec`, the few float vector operations the fast kernels
/// are written in, for AVX-512, AVX2 with FMA, or portable C++; `simd::native` is the best
/// one the compiler flags allow (-march=native picks AVX-512 on a machine that has it).
#pragma once

#include <cstddef>
#include <type_traits>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace typenet::kernels::simd {

enum class isa { avx512, avx2, portable };

template <isa I>
struct vec;

#if defined(__AVX512F__)
// g++ 12 warns that its own AVX-512 shuffle intrinsics read an uninitialized value once
// they are inlined (their unused merge source); the warning is about its header, not us.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <>
struct vec<isa::avx512> {
    static constexpr std::size_t lanes = 16;
    static constexpr int registers = 32;
    static constexpr const char* name = "avx512";
    __m512 v;

    static vec zero() { return {_mm512_setzero_ps()}; }
    static vec load(const float* p) { return {_mm512_loadu_ps(p)}; }
    /// `load`, for a vector that several FMAs share (see the AVX2 one): with 32 registers
    /// g++ keeps it in one unasked.
    static vec load_in_register(const float* p) { return load(p); }
    /// Lanes [first, last), 0 ≤ first ≤ last ≤ lanes, for `load`.
    using mask = __mmask16;
    static mask lanes_between(long first, long last) { return mask(((1u << last) - 1) & ~((1u << first) - 1)); }
    /// Loads the lanes of m of the vector at p and zeros the others, reading only those.
    static vec load(const float* p, mask m) { return {_mm512_maskz_loadu_ps(m, p)}; }
    /// Loads the lanes of m of the vector at p, reading only those, and keeps the others of x.
    static vec load(const float* p, mask m, vec x) { return {_mm512_mask_loadu_ps(x.v, m, p)}; }
    /// Loads the first n lanes (n ≤ lanes) and zeros the others, reading nothing past p + n.
    static vec load_first(const float* p, std::size_t n) { return load(p, lanes_between(0, long(n))); }
    static vec broadcast(float x) { return {_mm512_set1_ps(x)}; }
    /// p[0], p[stride], ... in the first n lanes (n ≤ lanes), zeros in the others.
    static vec gather_first(const float* p, long stride, std::size_t n) {
        const __m512i at = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                              _mm512_set1_epi32(int(stride)));
        return {_mm512_mask_i32gather_ps(_mm512_setzero_ps(), lanes_between(0, long(n)), at, p, 4)};
    }
    static void store(float* p, vec x) { _mm512_storeu_ps(p, x.v); }
    /// Stores the lanes of m of x at p, writing nothing else.
    static void store(float* p, vec x, mask m) { _mm512_mask_storeu_ps(p, m, x.v); }
    friend vec fma(vec a, vec b, vec c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
    /// Lane by lane std::max(a, b), which gives a where either is NaN.
    friend vec max(vec a, vec b) { return {_mm512_max_ps(b.v, a.v)}; }
    friend vec operator+(vec a, vec b) { return {_mm512_add_ps(a.v, b.v)}; }
    friend vec operator-(vec a, vec b) { return {_mm512_sub_ps(a.v, b.v)}; }
    /// Of the values of a then b, those at even and at odd places.
    static void deinterleave(vec a, vec b, vec& even, vec& odd) {
        const __m512i first = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        even.v = _mm512_permutex2var_ps(a.v, first, b.v);
        odd.v = _mm512_permutex2var_ps(a.v, _mm512_add_epi32(first, _mm512_set1_epi32(1)), b.v);
    }
    /// The inverse: even[0], odd[0], even[1], ... in low, then high.
    static void interleave(vec even, vec odd, vec& low, vec& high) {
        const __m512i first = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        low.v = _mm512_permutex2var_ps(even.v, first, odd.v);
        high.v = _mm512_permutex2var_ps(even.v, _mm512_add_epi32(first, _mm512_set1_epi32(8)), odd.v);
    }
    float sum() const { return _mm512_reduce_add_ps(v); }
    /// Stores the first n lanes (n ≤ lanes).
    static void store_first(float* p, vec x, std::size_t n) {
        _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1), x.v);
    }
    /// r[i] lane j becomes r[j] lane i.
    static void transpose(vec (&r)[lanes]) {
        __m512 t[16];
        for (int i = 0; i < 16; i += 2) {
            t[i] = _mm512_unpacklo_ps(r[i].v, r[i + 1].v);
            t[i + 1] = _mm512_unpackhi_ps(r[i].v, r[i + 1].v);
        }
        for (int i = 0; i < 16; i += 4) {
            r[i].v = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
            r[i + 1].v = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
            r[i + 2].v = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
            r[i + 3].v = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
        }
        for (int i = 0; i < 4; ++i) {
            t[i] = _mm512_shuffle_f32x4(r[i].v, r[i + 4].v, 0x88);
            t[i + 4] = _mm512_shuffle_f32x4(r[i].v, r[i + 4].v, 0xDD);
            t[i + 8] = _mm512_shuffle_f32x4(r[i + 8].v, r[i + 12].v, 0x88);
            t[i + 12] = _mm512_shuffle_f32x4(r[i + 8].v, r[i + 12].v, 0xDD);
        }
        for (int i = 0; i < 8; ++i) {
            r[i].v = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
            r[i + 8].v = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
        }
    }
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

#if defined(__AVX2__) && defined(__FMA__)
template <>
struct vec<isa::avx2> {
    static constexpr std::size_t lanes = 8;
    static constexpr int registers = 16;
    static constexpr const char* name = "avx2";
    __m256 v;

    static vec zero() { return {_mm256_setzero_ps()}; }
    static vec load(const float* p) { return {_mm256_loadu_ps(p)}; }
    /// `load`, for a vector that several FMAs share, kept in a register: once the
    /// accumulators fill the 16 registers, g++ folds such a load back into each FMA as a
    /// memory operand, loading it again for each (a matrix product's 4 × 3 block: 16 loads
    /// for 12 FMAs, and 40 GFLOP/s on a 98 GFLOP/s Zen 3 core, 55 to 80 kept).
    static vec load_in_register(const float* p) {
        __m256 x = _mm256_loadu_ps(p);
        asm("" : "+x"(x));  // opaque: a register the FMAs must read
        return {x};
    }
    using mask = __m256i;
    static mask lanes_between(long first, long last) {
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(int(first)), lane),
                                   _mm256_cmpgt_epi32(_mm256_set1_epi32(int(last)), lane));
    }
    static vec load(const float* p, mask m) { return {_mm256_maskload_ps(p, m)}; }
    static vec load(const float* p, mask m, vec x) {
        return {_mm256_blendv_ps(x.v, _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m))};
    }
    static vec load_first(const float* p, std::size_t n) { return load(p, lanes_between(0, long(n))); }
    static vec broadcast(float x) { return {_mm256_set1_ps(x)}; }
    static vec gather_first(const float* p, long stride, std::size_t n) {
        const __m256i at = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(int(stride)));
        const __m256 inside = _mm256_castsi256_ps(lanes_between(0, long(n)));
        return {_mm256_mask_i32gather_ps(_mm256_setzero_ps(), p, at, inside, 4)};
    }
    static void store(float* p, vec x) { _mm256_storeu_ps(p, x.v); }
    static void store(float* p, vec x, mask m) { _mm256_maskstore_ps(p, m, x.v); }
    friend vec fma(vec a, vec b, vec c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
    friend vec max(vec a, vec b) { return {_mm256_max_ps(b.v, a.v)}; }
    friend vec operator+(vec a, vec b) { return {_mm256_add_ps(a.v, b.v)}; }
    friend vec operator-(vec a, vec b) { return {_mm256_sub_ps(a.v, b.v)}; }
    static void deinterleave(vec a, vec b, vec& even, vec& odd) {
        // Within each 128-bit half, then the halves' 64-bit pairs back in order.
        even.v = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a.v, b.v, 0x88)), 0xD8));
        odd.v = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a.v, b.v, 0xDD)), 0xD8));
    }
    static void interleave(vec even, vec odd, vec& low, vec& high) {
        // Pairs within each 128-bit half, then the halves in order.
        const __m256 first = _mm256_unpacklo_ps(even.v, odd.v), second = _mm256_unpackhi_ps(even.v, odd.v);
        low.v = _mm256_permute2f128_ps(first, second, 0x20);
        high.v = _mm256_permute2f128_ps(first, second, 0x31);
    }
    float sum() const {
        const __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        const __m128 pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
        return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
    }
    static void store_first(float* p, vec x, std::size_t n) {
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        _mm256_maskstore_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n)), lane), x.v);
    }
    static void transpose(vec (&r)[lanes]) {
        __m256 t[8], u[8];
        for (int i = 0; i < 8; i += 2) {
            t[i] = _mm256_unpacklo_ps(r[i].v, r[i + 1].v);
            t[i + 1] = _mm256_unpackhi_ps(r[i].v, r[i + 1].v);
        }
        for (int i = 0; i < 8; i += 4) {
            u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
            u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
            u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
            u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
        }
        for (int i = 0; i < 4; ++i) {
            r[i].v = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
            r[i + 4].v = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
        }
    }
};
#endif

/// Plain C++ on 4 lanes, which any x86-64 compiler turns into SSE: the fallback, and the
/// variant the tests also run on machines with wider vectors.
template <>
struct vec<isa::portable> {
    static constexpr std::size_t lanes = 4;
    static constexpr int registers = 16;
    static constexpr const char* name = "portable";
    float v[lanes];

    static vec zero() { return {}; }
    static vec load(const float* p) {
        vec r;
        for (std::size_t i = 0; i < lanes; ++i) r.v[i] = p[i];
        return r;
    }
    static vec load_in_register(const float* p) { return load(p); }
    struct mask {
        long first, last;
    };
    static mask lanes_between(long first, long last) { return {first, last}; }
    static vec load(const float* p, mask m) { return load(p, m, vec{}); }
    static vec load(const float* p, mask m, vec x) {
        for (long i = m.first; i < m.last; ++i) x.v[i] = p[i];
        return x;
    }
    static vec load_first(const float* p, std::size_t n) { return load(p, lanes_between(0, long(n))); }
    static vec broadcast(float x) {
        vec r;
        for (auto& e : r.v) e = x;
        return r;
    }
    static vec gather_first(const float* p, long stride, std::size_t n) {
        vec r{};
        for (std::size_t i = 0; i < n; ++i) r.v[i] = p[long(i) * stride];
        return r;
    }
    static void store(float* p, vec x) {
        for (std::size_t i = 0; i < lanes; ++i) p[i] = x.v[i];
    }
    static void store(float* p, vec x, mask m) {
        for (long i = m.first; i < m.last; ++i) p[i] = x.v[i];
    }
    friend vec fma(vec a, vec b, vec c) {
        for (std::size_t i = 0; i < lanes; ++i) c.v[i] += a.v[i] * b.v[i];
        return c;
    }
    friend vec max(vec a, vec b) {
        for (std::size_t i = 0; i < lanes; ++i) a.v[i] = a.v[i] < b.v[i] ? b.v[i] : a.v[i];
        return a;
    }
    friend vec operator+(vec a, vec b) {
        for (std::size_t i = 0; i < lanes; ++i) a.v[i] += b.v[i];
        return a;
    }
    friend vec operator-(vec a, vec b) {
        for (std::size_t i = 0; i < lanes; ++i) a.v[i] -= b.v[i];
        return a;
    }
    static void deinterleave(vec a, vec b, vec& even, vec& odd) {
        for (std::size_t i = 0; i < lanes / 2; ++i) {
            even.v[i] = a.v[2 * i], odd.v[i] = a.v[2 * i + 1];
            even.v[lanes / 2 + i] = b.v[2 * i], odd.v[lanes / 2 + i] = b.v[2 * i + 1];
        }
    }
    static void interleave(vec even, vec odd, vec& low, vec& high) {
        for (std::size_t i = 0; i < lanes / 2; ++i) {
            low.v[2 * i] = even.v[i], low.v[2 * i + 1] = odd.v[i];
            high.v[2 * i] = even.v[lanes / 2 + i], high.v[2 * i + 1] = odd.v[lanes / 2 + i];
        }
    }
    float sum() const { return (v[0] + v[2]) + (v[1] + v[3]); }
    static void store_first(float* p, vec x, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) p[i] = x.v[i];
    }
    static void transpose(vec (&r)[lanes]) {
        for (std::size_t i = 0; i < lanes; ++i)
            for (std::size_t j = i + 1; j < lanes; ++j) {
                const float t = r[i].v[j];
                r[i].v[j] = r[j].v[i];
                r[j].v[i] = t;
            }
    }
};

#if defined(__AVX512F__)
inline constexpr isa native_isa = isa::avx512;
#elif defined(__AVX2__) && defined(__FMA__)
inline constexpr isa native_isa = isa::avx2;
#else
inline constexpr isa native_isa = isa::portable;
#endif

using native = vec<native_isa>;

#if !defined(__AVX512F__) && !(defined(__AVX2__) && defined(__FMA__)) && !defined(TYPENET_PORTABLE_KERNELS)
#pragma message("typenet: no AVX2 with FMA nor AVX-512 in this build's flags: the portable kernels run, about 3x slower. Add -march=native (meson: -Dtypenet:native=true), or define TYPENET_PORTABLE_KERNELS to say that this is meant")
#endif

/// x through a kernel's fused element-wise layers (an `epilogue`), lane by lane: a loop of
/// known length, which g++ vectorizes (and drops when there are none).
template <class Epilogue, class V>
[[gnu::always_inline]] inline V finished(V x) {
    alignas(64) float values[V::lanes];
    V::store(values, x);
    Epilogue::apply_all(values, V::lanes);
    return V::load(values);
}

/// x finished for its store at `at` (`Lanes` of them: all, a count from the first, or a
/// mask) by `ep`, an epilogue or an adding_epilogue, whose addend is read beside `at`,
/// only in the lanes stored.
template <class Epilogue, class V, class Lanes = decltype(nullptr)>
[[gnu::always_inline]] inline V finished(const Epilogue& ep, V x, const float* at, Lanes lanes = nullptr) {
    if constexpr (!Epilogue::adds) {
        return finished<Epilogue>(x);
    } else {
        const float* addend = ep.addend_at(at);
        V a;
        if constexpr (std::is_same_v<Lanes, decltype(nullptr)>) a = V::load(addend);
        else if constexpr (std::is_same_v<Lanes, std::size_t>) a = V::load_first(addend, lanes);
        else a = V::load(addend, lanes);
        return finished<typename Epilogue::after>(finished<typename Epilogue::before>(x) + a);
    }
}

}  // namespace typenet::kernels::simd
