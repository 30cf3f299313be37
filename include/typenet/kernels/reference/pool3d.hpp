/// Defines `typenet::kernels::reference::max_pool3d_forward`, `avg_pool3d_forward` and
/// their backward passes: the plain 3-D pooling loops (PyTorch's MaxPool3d, AvgPool3d).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>

#include <typenet/detail/volume_window.hpp>

namespace typenet::kernels {

/// A 3-D pooling window over `channels` volumes.
struct pool3d_geometry {
    long channels = 1;
    detail::volume_window win;
    bool count_padding = true;  // avg_pool3d's divisor: PyTorch's count_include_pad
};

namespace reference {

/// The taps [first, last) of an output position's window on one axis that land inside the
/// input, and the size of the window clipped to the padded input (before ceil mode's
/// extra), the divisor of a mean that counts padding.
struct pool_taps {
    long first, last, padded;
};

constexpr pool_taps taps_inside(const detail::axis& a, long o) {
    const long start = a.source(o, 0);
    const long padded = std::min(start + a.span(), a.size + a.pad_after - a.ceil_extra) - start;
    return {a.first_tap(o), std::max(a.first_tap(o), a.last_tap(o)), padded};
}

// Calls visit(c, out_index, read) for every output position, where read(f) calls f(i) with
// the input index of every tap inside the input, and visit also gets the divisor of a mean
// that counts padding and the number of taps inside.
template <pool3d_geometry G, class Visit>
void for_each_pool3d_window(Visit visit) {
    constexpr auto d = G.win.d, h = G.win.h, w = G.win.w;
    constexpr long volume = G.win.in_size();
    long o = 0;
    for (long c = 0; c < G.channels; ++c)
        for (long z = 0; z < d.out(); ++z) {
            const pool_taps tz = taps_inside(d, z);
            for (long y = 0; y < h.out(); ++y) {
                const pool_taps ty = taps_inside(h, y);
                for (long x = 0; x < w.out(); ++x, ++o) {
                    const pool_taps tx = taps_inside(w, x);
                    auto read = [&](auto f) {
                        for (long kz = tz.first; kz < tz.last; ++kz)
                            for (long ky = ty.first; ky < ty.last; ++ky) {
                                const long row = c * volume + (d.source(z, kz) * h.size + h.source(y, ky)) * w.size;
                                for (long kx = tx.first; kx < tx.last; ++kx) f(row + w.source(x, kx));
                            }
                    };
                    const long inside = (tz.last - tz.first) * (ty.last - ty.first) * (tx.last - tx.first);
                    visit(o, read, tz.padded * ty.padded * tx.padded, inside);
                }
            }
        }
}

// The input index of the first maximum of each window (PyTorch's: a NaN wins), -1 when no
// tap lands inside the input.
template <class T, class Read>
long first_maximum(const T* in, Read read) {
    long best = -1;
    read([&](long i) {
        if (best < 0 || in[i] > in[best] || (in[i] != in[i] && in[best] == in[best])) best = i;
    });
    return best;
}

// in: shape<C,D,H,W>  out: shape<C,OD,OH,OW>
template <pool3d_geometry G, class T, class Epilogue>
void max_pool3d_forward(const T* in, T* out, Epilogue ep) {
    for_each_pool3d_window<G>([&](long o, auto read, long, long) {
        const long best = first_maximum(in, read);
        out[o] = ep.apply(best < 0 ? -std::numeric_limits<T>::infinity() : in[best]);
    });
}

// Routes each output's gradient to the first maximum of its window, as PyTorch does.
template <pool3d_geometry G, class T>
void max_pool3d_backward(const T* in, const T* grad_out, T* grad_in) {
    std::fill(grad_in, grad_in + G.channels * G.win.in_size(), T(0));
    for_each_pool3d_window<G>([&](long o, auto read, long, long) {
        if (const long best = first_maximum(in, read); best >= 0) grad_in[best] += grad_out[o];
    });
}

// in: shape<C,D,H,W>  out: shape<C,OD,OH,OW>
template <pool3d_geometry G, class T, class Epilogue>
void avg_pool3d_forward(const T* in, T* out, Epilogue ep) {
    for_each_pool3d_window<G>([&](long o, auto read, long padded, long inside) {
        T sum = 0;
        read([&](long i) { sum += in[i]; });
        out[o] = ep.apply(sum / static_cast<T>(G.count_padding ? padded : inside));
    });
}

// Spreads each output's gradient evenly over the inputs it averaged.
template <pool3d_geometry G, class T>
void avg_pool3d_backward(const T* grad_out, T* grad_in) {
    std::fill(grad_in, grad_in + G.channels * G.win.in_size(), T(0));
    for_each_pool3d_window<G>([&](long o, auto read, long padded, long inside) {
        const T share = grad_out[o] / static_cast<T>(G.count_padding ? padded : inside);
        read([&](long i) { grad_in[i] += share; });
    });
}

}  // namespace reference
}  // namespace typenet::kernels
