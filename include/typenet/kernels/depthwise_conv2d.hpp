/// Defines `typenet::kernels::depthwise::conv2d_forward` and `conv2d_backward`: a
/// convolution of each input channel alone into `multiplier` outputs (PyTorch's Conv2d
/// with groups = channels). It does 2·K multiply-adds per output against a dense
/// convolution's 2·K·C, so it is bound by memory (or, in cache, by those multiply-adds):
/// the float forward pass loads each input row once for several output rows and stores
/// each output once, finished in registers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::depthwise {

namespace detail {

// Output columns are the vector lanes. Stride 2 reads two vectors and keeps their even or
// odd columns; a larger stride (none in the usual networks) keeps the scalar loop.
constexpr bool vectorizes(const conv_geometry& g) { return g.win.w.stride <= 2; }

#if defined(__AVX512F__) && defined(__FMA__)
// A row that half a vector covers runs on AVX2's vectors: the other half would be
// multiply-adds of nothing (MobileNetV2's 7×7 layers).
template <conv_geometry G>
using row_vector = std::conditional_t<G.out_w() <= long(simd::vec<simd::isa::avx2>::lanes),
                                      simd::vec<simd::isa::avx2>, simd::native>;
#else
template <conv_geometry G>
using row_vector = simd::native;
#endif

// The vector path's blocking, fixed at compile time: a pass computes `rows` output rows
// of a filter, one block of `lanes` columns after the other, and loads each input row it
// reads once for all of them.
template <conv_geometry G, class V>
struct blocking {
    static constexpr auto h = G.win.h, w = G.win.w;
    static constexpr long lanes = long(V::lanes), taps = h.kernel * w.kernel;
    static constexpr long blocks = (G.out_w() + lanes - 1) / lanes;
    // Accumulators beside the weights, which stay in registers for the whole channel (the
    // build's registers: AVX2's vectors have 32 beside AVX-512). The rows split evenly
    // into passes, so that no pass is much shorter than the others.
    static constexpr long most_rows = simd::native::registers >= 32 ? (w.stride == 1 ? 6 : 4) : 3;
    static constexpr long passes = (G.out_h() + most_rows - 1) / most_rows;
    static constexpr long rows = (G.out_h() + passes - 1) / passes;
    // Input rows a pass of `r` output rows reads.
    static constexpr long span(long r) { return (r - 1) * h.stride + (h.kernel - 1) * h.dilation + 1; }
    // The first input column that tap kx loads in the block from output column x0: its
    // own, or with stride 2 the even column at or before it, from which it loads
    // 2·lanes columns and keeps their even or odd ones. Neighbouring taps share these
    // loads (the compiler merges them), and they start at a whole line when the row does.
    static constexpr long loaded(long x0, long kx) {
        const long s = w.source(x0, kx);
        return w.stride == 1 ? s : s - (s % 2 + 2) % 2;
    }
    // Whether block b stores whole and reads inside the row at every tap: its loads need
    // no mask. Such blocks form one run, a loop; the others are unrolled, their masks known.
    static constexpr bool interior(long b) {
        return (b + 1) * lanes <= G.out_w() && loaded(b * lanes, 0) >= 0 &&
               loaded(b * lanes, w.kernel - 1) + w.stride * lanes <= w.size;
    }
    static constexpr long first_interior = [] {
        long b = 0;
        while (b < blocks && !interior(b)) ++b;
        return b;
    }();
    static constexpr long end_interior = [] {
        long b = first_interior;
        while (b < blocks && interior(b)) ++b;
        return b;
    }();
};

// The `lanes` input columns from column S + x of `row`. A border block passes its own
// column in S and 0 in x: the lanes outside the row (its padding) are zeros, never read,
// and row + S may point before the row, as the padding does. An interior block passes
// its column in x and the tap's offset in S.
template <conv_geometry G, class V, long S, bool Border>
[[gnu::always_inline]] inline V columns(const float* row, long x) {
    constexpr long lanes = long(V::lanes), first = std::clamp(-S, 0L, lanes),
                   last = std::clamp(G.win.w.size - S, 0L, lanes);
    if constexpr (!Border || (first == 0 && last == lanes)) return V::load(row + S + x);
    else if constexpr (first >= last) return V::zero();
    else return V::load(row + S, V::lanes_between(first, last));
}

// g++ folds a vector's load into each multiply-add that uses it, so a row shared by
// several output rows is loaded once for each; an empty asm that takes the vector in a
// register keeps it there (10% faster). The portable vectors are arrays: left alone.
template <class V>
[[gnu::always_inline]] inline void in_register(V& x) {
    if constexpr (!std::is_same_v<V, simd::vec<simd::isa::portable>>) asm("" : "+v"(x.v));
}

// The vector that tap kx multiplies, for each kx, in the block from output column x0 of
// one input row (from First, a constant, in a border block).
template <conv_geometry G, class V, long First, bool Border>
[[gnu::always_inline]] inline void row_taps(const float* row, long x0, V (&x)[G.win.w.kernel]) {
    using B = blocking<G, V>;
    const long at = Border ? 0 : x0 * B::w.stride;
    unroll<B::w.kernel>([&](auto kx) __attribute__((always_inline)) {
        constexpr long s = B::loaded(First, kx);
        if constexpr (B::w.stride == 1) {
            x[kx] = columns<G, V, s, Border>(row, at);
        } else {
            V even, odd;
            V::deinterleave(columns<G, V, s, Border>(row, at), columns<G, V, s + B::lanes, Border>(row, at), even, odd);
            x[kx] = B::w.source(First, kx) == s ? even : odd;
        }
        in_register(x[kx]);
    });
}

// One block of a pass: `Rows` output rows from `out`, `lanes` columns from x0 (fewer in
// the last block), from the pass's input rows `in` (padding rows read zeros).
template <conv_geometry G, class V, class Epilogue, long Rows, long First, bool Border>
[[gnu::always_inline]] inline void block(const float* const* in, const V* weight, V bias, float* out, long x0) {
    using B = blocking<G, V>;
    V acc[Rows];
    unroll<Rows>([&](auto i) __attribute__((always_inline)) { acc[i] = bias; });
    // Input row j is tap ky of output row i when j = i·stride + ky·dilation: rows in
    // order, so that each output sums its taps in the scalar loop's order.
    unroll<B::span(Rows)>([&](auto j) __attribute__((always_inline)) {
        V x[B::w.kernel];
        row_taps<G, V, First, Border>(in[j], x0, x);
        unroll<Rows>([&](auto i) __attribute__((always_inline)) {
            constexpr long d = j - i * B::h.stride, ky = d / B::h.dilation;
            if constexpr (d >= 0 && d % B::h.dilation == 0 && ky < B::h.kernel)
                unroll<B::w.kernel>([&](auto kx) __attribute__((always_inline)) {
                    acc[i] = fma(weight[ky * B::w.kernel + kx], x[kx], acc[i]);
                });
        });
    });
    constexpr long width = std::min(B::lanes, G.out_w() - First);
    unroll<Rows>([&](auto i) __attribute__((always_inline)) {
        float* target = out + i * G.out_w() + x0;
        const V y = simd::finished<Epilogue>(acc[i]);
        if constexpr (Border && width < B::lanes) V::store(target, y, V::lanes_between(0, width));
        else V::store(target, y);
    });
}

// Prefetches the lines of [first, last), a region the kernel walks forward through, up
// to `distance` bytes ahead of where it has got to, a few lines per block. A channel's
// rows are short and read several at once: the hardware prefetchers lose the stream at
// each pass (reading from memory, the kernel ran at 40% of a plain stream's speed).
template <bool Write>
struct ahead {
    static constexpr std::uintptr_t distance = 8192, line = 64;
    std::uintptr_t next, end, target = 0;
    ahead(const float* first, const float* last)
        : next(reinterpret_cast<std::uintptr_t>(first)), end(reinterpret_cast<std::uintptr_t>(last)) {}
    void reached(const float* at) { target = std::min(reinterpret_cast<std::uintptr_t>(at) + distance, end); }
    [[gnu::always_inline]] void step(long lines = 4) {
        for (long i = 0; i < lines && next < target; ++i, next += line)
            __builtin_prefetch(reinterpret_cast<const void*>(next), Write);
    }
    void catch_up() {
        for (; next < target; next += line) __builtin_prefetch(reinterpret_cast<const void*>(next), Write);
    }
};

// What the passes over one filter share: its input plane, weights and output plane.
template <class V, long Taps>
struct channel {
    const float* plane;
    const float* zeros;  // a row of the padding
    V weight[Taps];
    V bias;
    float* out;
};

// `Rows` output rows of one filter from output row y.
template <conv_geometry G, class V, class Epilogue, long Rows>
[[gnu::always_inline]] inline void pass(const channel<V, blocking<G, V>::taps>& c, long y, ahead<false>& in_ahead,
                                        ahead<true>& out_ahead) {
    using B = blocking<G, V>;
    const long top = B::h.source(y, 0);
    const float* in[B::span(Rows)];
    for (long j = 0; j < B::span(Rows); ++j)
        in[j] = top + j >= 0 && top + j < B::h.size ? c.plane + (top + j) * B::w.size : c.zeros;
    float* out = c.out + y * G.out_w();
    in_ahead.reached(c.plane + std::clamp(top + B::span(Rows), 0L, B::h.size) * B::w.size);
    out_ahead.reached(out + Rows * G.out_w());
    unroll<B::blocks>([&](auto b) __attribute__((always_inline)) {
        if constexpr (b < B::first_interior || b >= B::end_interior)
            block<G, V, Epilogue, Rows, b * B::lanes, true>(in, c.weight, c.bias, out, b * B::lanes);
    });
    for (long b = B::first_interior; b < B::end_interior; ++b) {
        in_ahead.step();
        out_ahead.step();
        block<G, V, Epilogue, Rows, 0, false>(in, c.weight, c.bias, out, b * B::lanes);
    }
    // The rest of the pass's lines (all of them when no block is interior).
    in_ahead.catch_up();
    out_ahead.catch_up();
}

// The vector path of conv2d_forward, for float, on vectors V (any, for the tests).
template <conv_geometry G, class V, class Epilogue>
void forward(const float* in, const float* weight, const float* bias, float* out, long first, long last) {
    using B = blocking<G, V>;
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), tail = oh % B::rows, plane = h.size * w.size, out_plane = oh * G.out_w();
    // The rows in the top and bottom padding read this one, from the columns before it
    // that border blocks start at.
    constexpr long margin = std::max(0L, -B::loaded(0, 0));
    alignas(64) static constexpr float zeros[margin + w.size] = {};
    ahead<false> in_ahead(in + first / G.filters * plane, in + ((last - 1) / G.filters + 1) * plane);
    ahead<true> out_ahead(out + first * out_plane, out + last * out_plane);
    for (long f = first; f < last; ++f) {
        channel<V, B::taps> c{in + f / G.filters * plane, zeros + margin, {},
                              G.bias ? V::broadcast(bias[f]) : V::zero(), out + f * out_plane};
        for (long t = 0; t < B::taps; ++t) c.weight[t] = V::broadcast(weight[f * B::taps + t]);
        for (long y = 0; y + B::rows <= oh; y += B::rows) pass<G, V, Epilogue, B::rows>(c, y, in_ahead, out_ahead);
        if constexpr (tail > 0) pass<G, V, Epilogue, tail>(c, oh - tail, in_ahead, out_ahead);
    }
}

}  // namespace detail

// in: shape<C,H,W>  out: shape<C·M,OH,OW>  w: shape<C·M,1,KH,KW>, G being one group's
// geometry (1 channel, M filters). Filters [first, last) only: threads share a layer.
template <conv_geometry G, class T, class Epilogue>
void conv2d_forward(const T* in, const T* weight, const T* bias, T* out, long first, long last) {
    if constexpr (std::is_same_v<T, float> && detail::vectorizes(G)) {
        detail::forward<G, detail::row_vector<G>, Epilogue>(in, weight, bias, out, first, last);
    } else {
        constexpr auto h = G.win.h, w = G.win.w;
        constexpr long oh = G.out_h(), ow = G.out_w(), taps = h.kernel * w.kernel;
        for (long f = first; f < last; ++f) {
            const T* plane = in + (f / G.filters) * h.size * w.size;
            const T* wf = weight + f * taps;
            for (long y = 0; y < oh; ++y) {
                T* row = out + (f * oh + y) * ow;
                std::fill(row, row + ow, G.bias ? bias[f] : T(0));
                for (long ky = 0; ky < h.kernel; ++ky) {
                    const long iy = h.source(y, ky);
                    if (iy < 0 || iy >= h.size) continue;
                    const T* source = plane + iy * w.size;
                    for (long kx = 0; kx < w.kernel; ++kx) {
                        const auto [x0, x1] = valid_outputs(w, kx);
                        const T wk = wf[ky * w.kernel + kx];
                        const T* s = source + kx * w.dilation - w.pad_before;
                        for (long x = x0; x < x1; ++x) row[x] += wk * s[x * w.stride];
                    }
                }
                Epilogue::apply_all(row, std::size_t(ow));
            }
        }
    }
}

// grad_in = dL/din (unless null), grad_weight += dL/dw and grad_bias += dL/db (unless
// grad_weight is null), from grad_out = dL/dout; the same walk over rows and taps as the
// forward pass.
template <conv_geometry G, class T>
void conv2d_backward(long channels, const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight,
                     T* grad_bias) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), ow = G.out_w(), taps = h.kernel * w.kernel;
    if (grad_in) std::fill(grad_in, grad_in + channels * h.size * w.size, T(0));
    for (long f = 0; f < channels * G.filters; ++f) {
        const long plane = (f / G.filters) * h.size * w.size;
        if (G.bias && grad_weight) grad_bias[f] += sum<std::size_t(oh * ow)>(grad_out + f * oh * ow);
        for (long y = 0; y < oh; ++y) {
            const T* g = grad_out + (f * oh + y) * ow;
            for (long ky = 0; ky < h.kernel; ++ky) {
                const long iy = h.source(y, ky);
                if (iy < 0 || iy >= h.size) continue;
                const long row = plane + iy * w.size - w.pad_before;
                for (long kx = 0; kx < w.kernel; ++kx) {
                    const auto [x0, x1] = valid_outputs(w, kx);
                    const long at = row + kx * w.dilation;
                    if (grad_weight) {
                        T sum = 0;
                        for (long x = x0; x < x1; ++x) sum += g[x] * in[at + x * w.stride];
                        grad_weight[f * taps + ky * w.kernel + kx] += sum;
                    }
                    if (grad_in) {
                        const T wk = weight[f * taps + ky * w.kernel + kx];
                        for (long x = x0; x < x1; ++x) grad_in[at + x * w.stride] += wk * g[x];
                    }
                }
            }
        }
    }
}

}  // namespace typenet::kernels::depthwise
