/// Defines `typenet::kernels::adaptive_pool2d_forward` and `adaptive_pool2d_backward`:
/// pooling to a fixed output size, over the windows PyTorch's AdaptiveAvgPool2d and
/// AdaptiveMaxPool2d use (a signal is pooled as an image of height 1).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace typenet::kernels {

/// `channels` planes of `h`×`w` pooled to `out_h`×`out_w`.
struct adaptive_pool_geometry {
    long channels, h, w, out_h, out_w;

    // Output i of n covers inputs [floor(i·size/n), ceil((i+1)·size/n)): windows that
    // tile the input, overlapping by one where size/n is not whole.
    static constexpr long first(long i, long size, long n) { return i * size / n; }
    static constexpr long last(long i, long size, long n) { return ((i + 1) * size + n - 1) / n; }

    /// Inputs read over all outputs of one channel.
    constexpr long reads_per_channel() const {
        long rows = 0, columns = 0;
        for (long y = 0; y < out_h; ++y) rows += last(y, h, out_h) - first(y, h, out_h);
        for (long x = 0; x < out_w; ++x) columns += last(x, w, out_w) - first(x, w, out_w);
        return rows * columns;
    }
};

enum class adaptive_reduce { average, max };

namespace adaptive {

// Calls visit(output index, window's first plane index, y0, y1, x0, x1) for every output.
template <adaptive_pool_geometry G, class Visit>
void for_each_window(Visit visit) {
    for (long c = 0; c < G.channels; ++c)
        for (long y = 0; y < G.out_h; ++y) {
            const long y0 = G.first(y, G.h, G.out_h), y1 = G.last(y, G.h, G.out_h);
            for (long x = 0; x < G.out_w; ++x)
                visit((c * G.out_h + y) * G.out_w + x, c * G.h * G.w, y0, y1, G.first(x, G.w, G.out_w),
                      G.last(x, G.w, G.out_w));
        }
}

// The first maximum of a window, or its first NaN: PyTorch's choice, forward and back.
template <adaptive_pool_geometry G, class T>
long window_max(const T* plane, long y0, long y1, long x0, long x1) {
    long best = y0 * G.w + x0;
    for (long y = y0; y < y1; ++y)
        for (long x = x0; x < x1; ++x) {
            const long i = y * G.w + x;
            if (std::isnan(plane[i])) return i;
            if (plane[i] > plane[best]) best = i;
        }
    return best;
}

}  // namespace adaptive

// in: shape<C,H,W>  out: shape<C,OH,OW>
template <adaptive_pool_geometry G, adaptive_reduce Reduce, class T, class Epilogue>
void adaptive_pool2d_forward(const T* in, T* out, Epilogue ep) {
    adaptive::for_each_window<G>([&](long o, long plane, long y0, long y1, long x0, long x1) {
        if constexpr (Reduce == adaptive_reduce::max) {
            out[o] = ep.apply(in[plane + adaptive::window_max<G>(in + plane, y0, y1, x0, x1)]);
        } else {
            T sum = 0;
            for (long y = y0; y < y1; ++y)
                for (long x = x0; x < x1; ++x) sum += in[plane + y * G.w + x];
            out[o] = ep.apply(sum / static_cast<T>((y1 - y0) * (x1 - x0)));
        }
    });
}

// grad_in = dL/din from grad_out = dL/dout: a window's mean shares its gradient evenly,
// its maximum takes all of it.
template <adaptive_pool_geometry G, adaptive_reduce Reduce, class T>
void adaptive_pool2d_backward(const T* in, const T* grad_out, T* grad_in) {
    std::fill(grad_in, grad_in + G.channels * G.h * G.w, T(0));
    adaptive::for_each_window<G>([&](long o, long plane, long y0, long y1, long x0, long x1) {
        if constexpr (Reduce == adaptive_reduce::max) {
            grad_in[plane + adaptive::window_max<G>(in + plane, y0, y1, x0, x1)] += grad_out[o];
        } else {
            const T share = grad_out[o] / static_cast<T>((y1 - y0) * (x1 - x0));
            for (long y = y0; y < y1; ++y)
                for (long x = x0; x < x1; ++x) grad_in[plane + y * G.w + x] += share;
        }
    });
}

}  // namespace typenet::kernels
