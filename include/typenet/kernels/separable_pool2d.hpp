/// Defines `typenet::kernels::separable::pool2d_forward`: max and average pooling without
/// padding, done as what they are, separable: the window's rows are first reduced into
/// one row (a contiguous loop the compiler vectorizes), then that row is reduced along
/// the window's columns. Tested against the reference (and through every network test).
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/reference/pool2d.hpp>

namespace typenet::kernels::separable {

/// Whether the window of G needs no padding: the case this kernel serves.
template <pool_geometry G>
inline constexpr bool fits = G.win.h.pad_before == 0 && G.win.h.pad_after == 0 && G.win.w.pad_before == 0 &&
                             G.win.w.pad_after == 0 && G.win.h.dilation == 1 && G.win.w.dilation == 1;

struct take_max {
    template <class T>
    static T combine(T a, T b) { return std::max(a, b); }
    template <class T>
    static T finish(T x) { return x; }
};

template <long Count>
struct take_mean {
    template <class T>
    static T combine(T a, T b) { return a + b; }
    template <class T>
    static T finish(T x) { return x / static_cast<T>(Count); }
};

// in: shape<C,H,W>  out: shape<C,OH,OW>.
template <pool_geometry G, class Reduce, class T, class Epilogue>
void pool2d_forward(const T* in, T* out, Epilogue ep) {
    static_assert(fits<G>);
    constexpr auto h = G.win.h, w = G.win.w;
    T row[w.size];
    for (long c = 0; c < G.channels; ++c)
        for (long y = 0; y < G.out_h(); ++y) {
            const T* first = in + (c * h.size + y * h.stride) * w.size;
            std::copy(first, first + w.size, row);
            for (long k = 1; k < h.kernel; ++k)
                for (long x = 0; x < w.size; ++x) row[x] = Reduce::combine(row[x], first[k * w.size + x]);
            T* target = out + (c * G.out_h() + y) * G.out_w();
            for (long x = 0; x < G.out_w(); ++x) {
                T v = row[x * w.stride];
                for (long k = 1; k < w.kernel; ++k) v = Reduce::combine(v, row[x * w.stride + k]);
                target[x] = ep.apply(Reduce::finish(v));
            }
        }
}

}  // namespace typenet::kernels::separable
