/// Defines `typenet::kernels::reference::max_pool2d_forward` and `avg_pool2d_forward`,
/// the plain pooling loops (a signal is pooled as an image of height 1).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>

#include <typenet/detail/window.hpp>

namespace typenet::kernels {

/// A pooling window over `channels` planes.
struct pool_geometry {
    long channels = 1;
    detail::window win;
    bool count_padding = true;  // avg_pool's divisor: PyTorch's count_include_pad

    constexpr long out_h() const { return win.h.out(); }
    constexpr long out_w() const { return win.w.out(); }
};

namespace reference {

// Calls visit(c, out_index, first_y, end_y, first_x, end_x, divisor_with_padding) for
// every output position: the window's taps that read the input are first_y, first_y +
// dilation, ... below end_y (and so for x). The divisor counts the window clipped to the
// padded input (an average pool's taps are adjacent).
template <pool_geometry G, class Visit>
void for_each_pool_window(Visit visit) {
    constexpr auto h = G.win.h, w = G.win.w;
    for (long c = 0; c < G.channels; ++c)
        for (long y = 0; y < G.out_h(); ++y) {
            const long ys = h.source(y, 0), ye = std::min(ys + h.kernel, h.size + h.pad_after - h.ceil_extra);
            for (long x = 0; x < G.out_w(); ++x) {
                const long xs = w.source(x, 0), xe = std::min(xs + w.kernel, w.size + w.pad_after - w.ceil_extra);
                const long padded_count = (ye - ys) * (xe - xs);
                visit(c, (c * G.out_h() + y) * G.out_w() + x, h.source(y, h.first_tap(y)), h.source(y, h.last_tap(y)),
                      w.source(x, w.first_tap(x)), w.source(x, w.last_tap(x)), padded_count);
            }
        }
}

// in: shape<C,H,W>  out: shape<C,OH,OW>
template <pool_geometry G, class T, class Epilogue>
void max_pool2d_forward(const T* in, T* out, Epilogue ep) {
    constexpr long hw = G.win.h.size * G.win.w.size;
    for_each_pool_window<G>([&](long c, long o, long y0, long y1, long x0, long x1, long) {
        T m = -std::numeric_limits<T>::infinity();
        for (long y = y0; y < y1; y += G.win.h.dilation)
            for (long x = x0; x < x1; x += G.win.w.dilation) m = std::max(m, in[c * hw + y * G.win.w.size + x]);
        out[o] = ep.apply(m);
    });
}

// in: shape<C,H,W>  out: shape<C,OH,OW>
template <pool_geometry G, class T, class Epilogue>
void avg_pool2d_forward(const T* in, T* out, Epilogue ep) {
    constexpr long hw = G.win.h.size * G.win.w.size;
    for_each_pool_window<G>([&](long c, long o, long y0, long y1, long x0, long x1, long padded_count) {
        T sum = 0;
        for (long y = y0; y < y1; y += G.win.h.dilation)
            for (long x = x0; x < x1; x += G.win.w.dilation) sum += in[c * hw + y * G.win.w.size + x];
        const long count = G.count_padding ? padded_count : (y1 - y0) * (x1 - x0);
        out[o] = ep.apply(sum / static_cast<T>(count));
    });
}

// Routes each output's gradient to the first maximum of its window, as PyTorch does.
template <pool_geometry G, class T>
void max_pool2d_backward(const T* in, const T* grad_out, T* grad_in) {
    constexpr long hw = G.win.h.size * G.win.w.size;
    std::fill(grad_in, grad_in + G.channels * hw, T(0));
    for_each_pool_window<G>([&](long c, long o, long y0, long y1, long x0, long x1, long) {
        long best = -1;
        for (long y = y0; y < y1; y += G.win.h.dilation)
            for (long x = x0; x < x1; x += G.win.w.dilation) {
                const long i = c * hw + y * G.win.w.size + x;
                if (best < 0 || in[i] > in[best]) best = i;
            }
        grad_in[best] += grad_out[o];
    });
}

// Spreads each output's gradient evenly over the inputs it averaged.
template <pool_geometry G, class T>
void avg_pool2d_backward(const T* grad_out, T* grad_in) {
    constexpr long hw = G.win.h.size * G.win.w.size;
    std::fill(grad_in, grad_in + G.channels * hw, T(0));
    for_each_pool_window<G>([&](long c, long o, long y0, long y1, long x0, long x1, long padded_count) {
        const long count = G.count_padding ? padded_count : (y1 - y0) * (x1 - x0);
        const T share = grad_out[o] / static_cast<T>(count);
        for (long y = y0; y < y1; y += G.win.h.dilation)
            for (long x = x0; x < x1; x += G.win.w.dilation) grad_in[c * hw + y * G.win.w.size + x] += share;
    });
}

}  // namespace reference
}  // namespace typenet::kernels
