/// Defines `typenet::kernels::separable::pool2d_forward` and `pool2d_backward`: max and
/// average pooling without padding, done as what they are, separable: the window's rows
/// are first reduced into one row (contiguous, so in whole vectors), then that row is
/// reduced along the window's columns; the backward pass visits each window with its size
/// known at compile time. Tested against the reference.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/pool2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::separable {

/// Whether the window of G needs no padding: the case this kernel serves.
template <pool_geometry G>
inline constexpr bool fits = G.win.h.pad_before == 0 && G.win.h.pad_after == 0 && G.win.w.pad_before == 0 &&
                             G.win.w.pad_after == 0 && G.win.h.dilation == 1 && G.win.w.dilation == 1;

// A reduction: how a window's values combine, how the result is finished, and how the
// gradient of the result goes back to a KH×KW window whose rows are `row` values apart:
// added to what is there, or, when windows do not overlap, written over it (`Assign`).
struct take_max {
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

namespace detail {

// float rows run in simd::native vectors, whole ones: the row buffer holds whole pairs of
// them, its lanes past the input row zeros that reach only outputs past the row.
template <pool_geometry G, class T>
struct pool_rows {
    using V = simd::native;
    static constexpr bool vectors = std::is_same_v<T, float>;
    static constexpr long lanes = long(V::lanes);
    static constexpr long width = vectors ? (G.win.w.size + 2 * lanes - 1) / (2 * lanes) * 2 * lanes : G.win.w.size;
    // A 2-wide window of stride 2 is reduced from the even and odd places of the row.
    static constexpr bool pairs = vectors && G.win.w.kernel == 2 && G.win.w.stride == 2;
};

// row[x] = the window's rows reduced at column x; `first` is the window's first row.
template <pool_geometry G, class Reduce, class T>
[[gnu::always_inline]] inline void reduce_rows(const T* first, T* row) {
    using R = pool_rows<G, T>;
    using V = typename R::V;
    constexpr auto h = G.win.h, w = G.win.w;
    if constexpr (R::vectors) {
        unroll<R::width / R::lanes>([&](auto i) {
            constexpr long x = i * R::lanes, n = std::clamp(w.size - x, 0L, R::lanes);
            if constexpr (n > 0) {
                auto load = [&](const T* p) { return n == R::lanes ? V::load(p) : V::load_first(p, n); };
                V v = load(first + x);
                for (long k = 1; k < h.kernel; ++k) v = Reduce::combine(v, load(first + k * w.size + x));
                V::store(row + x, v);
            }
        });
    } else {
        generate<w.size>(row, [&](std::size_t x) {
            T v = first[x];
            for (long k = 1; k < h.kernel; ++k) v = Reduce::combine(v, first[k * w.size + long(x)]);
            return v;
        });
    }
}

// out[x] = row reduced along the window's columns, finished, through the epilogue.
template <pool_geometry G, class Reduce, class T, class Epilogue>
[[gnu::always_inline]] inline void reduce_columns(const T* row, T* out, Epilogue ep) {
    using R = pool_rows<G, T>;
    using V = typename R::V;
    constexpr auto w = G.win.w;
    if constexpr (R::pairs) {
        unroll<R::width / (2 * R::lanes)>([&](auto i) {
            constexpr long x = i * R::lanes, n = std::clamp(G.out_w() - x, 0L, R::lanes);
            if constexpr (n > 0) {
                V even, odd;
                V::deinterleave(V::load(row + 2 * x), V::load(row + 2 * x + R::lanes), even, odd);
                const V v = Reduce::combine(even, odd);
                if constexpr (n == R::lanes) V::store(out + x, v);
                else V::store_first(out + x, v, n);
            }
        });
        generate<G.out_w()>(out, [&](std::size_t x) { return ep.apply(Reduce::finish(out[x])); });
    } else {
        generate<G.out_w()>(out, [&](std::size_t x) {
            T v = row[long(x) * w.stride];
            for (long k = 1; k < w.kernel; ++k) v = Reduce::combine(v, row[long(x) * w.stride + k]);
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
    static_assert(fits<G>);
    constexpr auto h = G.win.h, w = G.win.w;
    alignas(64) T row[detail::pool_rows<G, T>::width] = {};
    for (long c = 0; c < G.channels; ++c)
        for (long y = first_row; y < last_row; ++y) {
            detail::reduce_rows<G, Reduce>(in + (c * h.size + y * h.stride) * w.size, row);
            detail::reduce_columns<G, Reduce>(row, out + (c * G.out_h() + y) * G.out_w(), ep);
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
