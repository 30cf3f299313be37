/// Defines `typenet::kernels::separable::pool2d_forward` and `pool2d_backward`: max and
/// average pooling done as what they are, separable: the window's rows are first reduced
/// into one row (contiguous, so in whole vectors), then that row is reduced along the
/// window's columns; the backward pass visits each window with its size known at compile
/// time. The forward pass also takes a max pool's padding: a window leaves out its rows
/// outside the input, and the row holds -inf in the columns outside it. Tested against
/// the reference.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/pool2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::separable {

/// Whether the window of G needs no padding: the case the backward pass serves.
template <pool_geometry G>
inline constexpr bool fits = G.win.h.pad_before == 0 && G.win.h.pad_after == 0 && G.win.w.pad_before == 0 &&
                             G.win.w.pad_after == 0 && G.win.h.dilation == 1 && G.win.w.dilation == 1;

// A reduction: how a window's values combine, how the result is finished, and how the
// gradient of the result goes back to a KH×KW window whose rows are `row` values apart:
// added to what is there, or, when windows do not overlap, written over it (`Assign`).
// `padding` is what the forward pass reads outside the input; where it can change no
// result (`ignores_padding`), the forward pass takes padded windows.
struct take_max {
    // -inf: no window is all padding (the layer refuses one), so no maximum is padding.
    template <class T>
    static constexpr T padding = -std::numeric_limits<T>::infinity();
    static constexpr bool ignores_padding = true;

    template <class T>
    static T combine(T a, T b) {
        using std::max;  // or simd::vec's, which is the same lane by lane
        return max(a, b);
    }
    template <class T>
    static T finish(T x) { return x; }
    // To the window's first maximum, as PyTorch does. Found by arithmetic rather than
    // branches: where the maximum lies is data, and a branch on it is often mispredicted.
    template <long KH, long KW, bool Assign, class T>
    static void route(const T* in, T* grad, long row, T g) {
        long best = 0;
        T largest = in[0];
        for (long y = 0; y < KH; ++y)
            for (long x = 0; x < KW; ++x) {
                const T v = in[y * row + x];
                const long larger = v > largest;
                best += larger * (y * row + x - best);
                largest = std::max(largest, v);  // as `larger ? v : largest`, NaN included
            }
        if constexpr (Assign) {
            for (long y = 0; y < KH; ++y)
                for (long x = 0; x < KW; ++x) grad[y * row + x] = T(0);
            grad[best] = g;
        } else {
            grad[best] += g;
        }
    }
};

template <long Count>
struct take_mean {
    // A padded window's divisor depends on where it lies, which `finish` does not know.
    template <class T>
    static constexpr T padding = T(0);
    static constexpr bool ignores_padding = false;

    template <class T>
    static T combine(T a, T b) { return a + b; }
    template <class T>
    static T finish(T x) { return x / static_cast<T>(Count); }
    template <long KH, long KW, bool Assign, class T>
    static void route(const T*, T* grad, long row, T g) {
        const T share = g / static_cast<T>(Count);
        for (long y = 0; y < KH; ++y)
            for (long x = 0; x < KW; ++x) grad[y * row + x] = Assign ? share : grad[y * row + x] + share;
    }
};

/// Whether pool2d_forward serves G with Reduce: windows of adjacent taps, padded only if
/// the padding changes no result.
template <pool_geometry G, class Reduce>
inline constexpr bool forward_fits =
    fits<G> || (Reduce::ignores_padding && G.win.h.dilation == 1 && G.win.w.dilation == 1);

namespace detail {

// The rows of a block of output rows, each its window's rows reduced, with the padding
// on both sides: float rows run in simd::native vectors, whole ones, the input's first
// column at `before`, a whole number of vectors in (stores stay aligned). A row is long
// enough for the whole vectors of taps that its last output vector reads; lanes past the
// input row hold the padding, as do the columns before it.
template <pool_geometry G, class T>
struct pool_rows {
    using V = simd::native;
    static constexpr bool vectors = std::is_same_v<T, float>;
    static constexpr long lanes = vectors ? long(V::lanes) : 1;
    static constexpr auto w = G.win.w;
    static constexpr long in_vectors = (w.size + lanes - 1) / lanes, out_vectors = (G.out_w() + lanes - 1) / lanes;
    static constexpr long before = (w.pad_before + lanes - 1) / lanes * lanes;
    static constexpr long taps_end = before - w.pad_before + w.stride * out_vectors * lanes + w.kernel;
    static constexpr long pitch = (std::max(before + in_vectors * lanes, taps_end) + lanes - 1) / lanes * lanes;
    // A load that straddles a store in flight waits for it: where the columns' loads
    // straddle the row's stores, rows are reduced a block at a time (8 KB, in L1 beside
    // the input), then their columns. Loads of whole stored vectors (windows from vector
    // boundaries, one tap or a stride-2 pair) run fastest right after, a row at a time.
    static constexpr bool whole_loads = before == w.pad_before && w.kernel <= w.stride && w.stride <= 2;
    static constexpr long block = whole_loads ? 1 : std::clamp(2048 / pitch, 1L, G.out_h());
};

// row[x] = the `count` rows from `first` reduced at column x, for the x of the input.
template <pool_geometry G, class Reduce, class T, class Count>
[[gnu::always_inline]] inline void reduce_rows(const T* first, Count count, T* row) {
    using R = pool_rows<G, T>;
    using V = typename R::V;
    constexpr long w = G.win.w.size;
    if constexpr (R::vectors) {
        const V padding = V::broadcast(Reduce::template padding<T>);
        unroll<R::in_vectors>([&](auto i) {
            constexpr long x = i * R::lanes, n = std::min(w - x, R::lanes);
            auto load = [&](const T* p) {
                return n == R::lanes ? V::load(p) : V::load(p, V::lanes_between(0, n), padding);
            };
            V v = load(first + x);
            for (long k = 1; k < count; ++k) v = Reduce::combine(v, load(first + k * w + x));
            V::store(row + x, v);
        });
    } else {
        generate<w>(row, [&](std::size_t x) {
            T v = first[x];
            for (long k = 1; k < count; ++k) v = Reduce::combine(v, first[k * w + long(x)]);
            return v;
        });
    }
}

// Reduce's finish, then the fused layers: what simd::finished applies lane by lane.
template <class Reduce, class Epilogue>
struct finishing {
    static void apply_all(float* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) p[i] = Epilogue::apply(Reduce::finish(p[i]));
    }
};

// out[x] = row reduced along the window's columns, finished, through the epilogue; `row`
// starts with the padding before the input.
template <pool_geometry G, class Reduce, class T, class Epilogue>
[[gnu::always_inline]] inline void reduce_columns(const T* row, T* out, Epilogue ep) {
    using R = pool_rows<G, T>;
    using V = typename R::V;
    // Numbers, not G.win.w itself: g++ 12 fails inside (an internal error) on a constexpr
    // local object whose members the lambdas below read.
    constexpr long stride = G.win.w.stride, kernel = G.win.w.kernel;
    if constexpr (R::vectors) {
        unroll<R::out_vectors>([&](auto i) {
            constexpr long x = i * R::lanes, n = std::min(G.out_w() - x, R::lanes);
            const T* p = row + x * stride;
            V v{};
            if constexpr (stride == 2) {
                // Taps k and k + 1 of the windows: the even and odd places from tap k on.
                unroll<(kernel + 1) / 2>([&](auto j) {
                    V even, odd;
                    V::deinterleave(V::load(p + 2 * j), V::load(p + 2 * j + R::lanes), even, odd);
                    if constexpr (2 * j + 1 < kernel) even = Reduce::combine(even, odd);
                    v = j == 0 ? even : Reduce::combine(v, even);
                });
            } else {
                auto tap = [&](long k) {
                    return stride == 1 ? V::load(p + k) : V::gather_first(p + k, stride, R::lanes);
                };
                v = tap(0);
                for (long k = 1; k < kernel; ++k) v = Reduce::combine(v, tap(k));
            }
            v = simd::finished<finishing<Reduce, Epilogue>>(v);
            if constexpr (n == R::lanes) V::store(out + x, v);
            else V::store_first(out + x, v, n);
        });
    } else {
        generate<G.out_w()>(out, [&](std::size_t x) {
            T v = row[long(x) * stride];
            for (long k = 1; k < kernel; ++k) v = Reduce::combine(v, row[long(x) * stride + k]);
            return ep.apply(Reduce::finish(v));
        });
    }
}

}  // namespace detail

// in: shape<C,H,W>  out: shape<C,OH,OW>, its rows [first, last) of every channel.
// `generate` loops are ones g++ -O2 vectorizes (strided columns included) where it
// leaves a plain loop of 62 or 31 iterations scalar; for float, whole vectors with a
// masked last one leave no scalar tail at all (W1's first pool: 28 -> 9 us).
template <pool_geometry G, class Reduce, class T, class Epilogue>
void pool2d_forward(const T* in, T* out, Epilogue ep, long first_row = 0, long last_row = G.out_h()) {
    static_assert(forward_fits<G, Reduce>);
    using R = detail::pool_rows<G, T>;
    constexpr auto h = G.win.h, w = G.win.w;
    alignas(64) T rows[R::block * R::pitch];
    std::fill(std::begin(rows), std::end(rows), Reduce::template padding<T>);
    for (long c = 0; c < G.channels; ++c)
        for (long y0 = first_row; y0 < last_row; y0 += R::block) {
            const long y1 = std::min(y0 + R::block, last_row);
            for (long y = y0; y < y1; ++y) {
                const long top = y * h.stride - h.pad_before;
                T* row = rows + (y - y0) * R::pitch + R::before;
                if (top >= 0 && top + h.kernel <= h.size) {
                    detail::reduce_rows<G, Reduce>(in + (c * h.size + top) * w.size,
                                                   std::integral_constant<long, h.kernel>{}, row);
                } else {
                    // The window's rows inside the input: padding rows would change nothing.
                    const long first = std::max(top, 0L), count = std::min(top + h.kernel, h.size) - first;
                    detail::reduce_rows<G, Reduce>(in + (c * h.size + first) * w.size, count, row);
                }
            }
            for (long y = y0; y < y1; ++y)
                detail::reduce_columns<G, Reduce>(rows + (y - y0) * R::pitch + R::before - w.pad_before,
                                                  out + (c * G.out_h() + y) * G.out_w(), ep);
        }
}

// in: shape<C,H,W>  grad_out: shape<C,OH,OW>  grad_in: shape<C,H,W>
template <pool_geometry G, class Reduce, class T>
void pool2d_backward(const T* in, const T* grad_out, T* grad_in) {
    static_assert(fits<G>);
    constexpr auto h = G.win.h, w = G.win.w;
    // Disjoint windows write their cells; only cells no window reads need zeros first.
    constexpr bool disjoint = h.stride >= h.kernel && w.stride >= w.kernel;
    constexpr bool tiled = disjoint && h.stride == h.kernel && w.stride == w.kernel &&
                           G.out_h() * h.stride == h.size && G.out_w() * w.stride == w.size;
    if constexpr (!tiled) std::fill(grad_in, grad_in + G.channels * h.size * w.size, T(0));
    for (long c = 0; c < G.channels; ++c)
        for (long y = 0; y < G.out_h(); ++y)
            for (long x = 0; x < G.out_w(); ++x) {
                const long first = (c * h.size + y * h.stride) * w.size + x * w.stride;
                Reduce::template route<h.kernel, w.kernel, disjoint>(in + first, grad_in + first, w.size,
                                                                     grad_out[(c * G.out_h() + y) * G.out_w() + x]);
            }
}

}  // namespace typenet::kernels::separable
