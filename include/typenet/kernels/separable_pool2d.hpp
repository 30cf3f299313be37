/// Defines `typenet::kernels::separable::pool2d_forward` and `pool2d_backward`: max and
/// average pooling without padding, done as what they are, separable: the window's rows
/// are first reduced into one row (a contiguous loop the compiler vectorizes), then that
/// row is reduced along the window's columns; the backward pass visits each window with
/// its size known at compile time. Tested against the reference.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/pool2d.hpp>

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
    static T combine(T a, T b) { return std::max(a, b); }
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

// in: shape<C,H,W>  out: shape<C,OH,OW>, its rows [first, last) of every channel.
// Both passes are `generate` loops, which g++ -O2 vectorizes (strided columns included)
// where it leaves a plain loop of 62 or 31 iterations scalar.
template <pool_geometry G, class Reduce, class T, class Epilogue>
void pool2d_forward(const T* in, T* out, Epilogue ep, long first_row = 0, long last_row = G.out_h()) {
    static_assert(fits<G>);
    constexpr auto h = G.win.h, w = G.win.w;
    T row[w.size];
    for (long c = 0; c < G.channels; ++c)
        for (long y = first_row; y < last_row; ++y) {
            const T* first = in + (c * h.size + y * h.stride) * w.size;
            generate<w.size>(row, [&](std::size_t x) {
                T v = first[x];
                for (long k = 1; k < h.kernel; ++k) v = Reduce::combine(v, first[k * w.size + long(x)]);
                return v;
            });
            generate<G.out_w()>(out + (c * G.out_h() + y) * G.out_w(), [&](std::size_t x) {
                T v = row[long(x) * w.stride];
                for (long k = 1; k < w.kernel; ++k) v = Reduce::combine(v, row[long(x) * w.stride + k]);
                return ep.apply(Reduce::finish(v));
            });
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
