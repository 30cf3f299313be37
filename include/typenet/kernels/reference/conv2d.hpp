/// Defines `typenet::kernels::reference::conv2d_forward`, the plain direct convolution
/// that every faster kernel is tested against. conv1d runs it with height 1.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/detail/window.hpp>

namespace typenet::kernels {

/// Everything a convolution kernel needs to know, fixed at compile time.
struct conv_geometry {
    long channels = 1, filters = 1;
    detail::window win;
    bool bias = true;

    constexpr long out_h() const { return win.h.out(); }
    constexpr long out_w() const { return win.w.out(); }
    constexpr long in_size() const { return channels * win.h.size * win.w.size; }
    constexpr long out_size() const { return filters * out_h() * out_w(); }
    constexpr long weight_size() const { return filters * channels * win.h.kernel * win.w.kernel; }
    constexpr conv_geometry without_bias() const {
        conv_geometry g = *this;
        g.bias = false;
        return g;
    }
};

/// The output positions [first, last) whose tap `k` lands inside the input on axis `a`.
constexpr std::pair<long, long> valid_outputs(const detail::axis& a, long k) {
    // o*stride - pad_before + k*dilation must lie in [0, size).
    const long offset = a.pad_before - k * a.dilation;
    const long first = offset > 0 ? (offset + a.stride - 1) / a.stride : 0;
    const long top = a.size - 1 + offset;  // o*stride <= top
    const long last = top < 0 ? 0 : std::min(top / a.stride + 1, a.out());
    return {first, std::max(first, last)};
}

namespace reference {

// in: shape<C,H,W>  out: shape<F,OH,OW>  w: shape<F,C,KH,KW> (PyTorch's OIHW)  b: shape<F>
template <conv_geometry G, class T, class Epilogue>
void conv2d_forward(const T* in, const T* weight, const T* bias, T* out, Epilogue ep) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), ow = G.out_w();
    for (long f = 0; f < G.filters; ++f) {
        T* o = out + f * oh * ow;
        std::fill(o, o + oh * ow, G.bias ? bias[f] : T(0));
        for (long c = 0; c < G.channels; ++c) {
            const T* plane = in + c * h.size * w.size;
            const T* taps = weight + (f * G.channels + c) * h.kernel * w.kernel;
            for (long ky = 0; ky < h.kernel; ++ky) {
                const auto [y0, y1] = valid_outputs(h, ky);
                for (long kx = 0; kx < w.kernel; ++kx) {
                    const auto [x0, x1] = valid_outputs(w, kx);
                    const T tap = taps[ky * w.kernel + kx];
                    for (long y = y0; y < y1; ++y) {
                        const T* row = plane + h.source(y, ky) * w.size;
                        T* orow = o + y * ow;
                        for (long x = x0; x < x1; ++x) orow[x] += tap * row[w.source(x, kx)];
                    }
                }
            }
        }
        ep.apply_all(o, static_cast<std::size_t>(oh * ow));
    }
}

// The gradients of conv2d_forward, given dL/dout in `grad_out`: accumulates dL/dweight and
// dL/dbias (summed over the batch by repeated calls) and writes dL/din unless it is null.
// in: shape<C,H,W>  grad_out: shape<F,OH,OW>  grad_in: shape<C,H,W>  w, grad_w: shape<F,C,KH,KW>
template <conv_geometry G, class T>
void conv2d_backward(const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), ow = G.out_w();
    if (grad_in) std::fill(grad_in, grad_in + G.in_size(), T(0));
    for (long f = 0; f < G.filters; ++f) {
        const T* g = grad_out + f * oh * ow;
        if (G.bias) {
            T sum = 0;
            for (long i = 0; i < oh * ow; ++i) sum += g[i];
            grad_bias[f] += sum;
        }
        for (long c = 0; c < G.channels; ++c) {
            const long plane = c * h.size * w.size;
            const long taps = (f * G.channels + c) * h.kernel * w.kernel;
            for (long ky = 0; ky < h.kernel; ++ky) {
                const auto [y0, y1] = valid_outputs(h, ky);
                for (long kx = 0; kx < w.kernel; ++kx) {
                    const auto [x0, x1] = valid_outputs(w, kx);
                    const T tap = weight[taps + ky * w.kernel + kx];
                    T tap_grad = 0;
                    for (long y = y0; y < y1; ++y) {
                        const long row = plane + h.source(y, ky) * w.size;
                        const T* grow = g + y * ow;
                        for (long x = x0; x < x1; ++x) tap_grad += grow[x] * in[row + w.source(x, kx)];
                        if (grad_in)
                            for (long x = x0; x < x1; ++x) grad_in[row + w.source(x, kx)] += tap * grow[x];
                    }
                    grad_weight[taps + ky * w.kernel + kx] += tap_grad;
                }
            }
        }
    }
}

}  // namespace reference
}  // namespace typenet::kernels
