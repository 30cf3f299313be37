/// Defines `typenet::kernels::reference::conv3d_forward` and `conv3d_backward`, the plain
/// direct 3-D convolution (PyTorch's Conv3d, a cross-correlation), with groups.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/detail/volume_window.hpp>
#include <typenet/kernels/reference/conv2d.hpp>

namespace typenet::kernels {

/// A 3-D convolution, fixed at compile time: `groups` groups of `channels` input channels
/// each, `filters` outputs in all (filters / groups per group).
struct conv3d_geometry {
    long channels = 1, filters = 1, groups = 1;
    detail::volume_window win;
    bool bias = true;

    constexpr long group_filters() const { return filters / groups; }
    constexpr long in_size() const { return groups * channels * win.in_size(); }
    constexpr long out_size() const { return filters * win.out_size(); }
    constexpr long weight_size() const { return filters * channels * win.taps(); }
    constexpr conv3d_geometry with_bias() const {
        conv3d_geometry g = *this;
        g.bias = true;
        return g;
    }
};

namespace reference {

// Calls visit(input_offset, output_offset, tap) for every tap of a filter whose window
// lands inside the input: the output (z, y, x) reads input (source(z), source(y),
// source(x)); offsets are within one channel's and one filter's volume.
template <detail::volume_window V, class Visit>
void for_each_conv3d_tap(Visit visit) {
    constexpr auto d = V.d, h = V.h, w = V.w;
    constexpr long oh = h.out(), ow = w.out();
    for (long kz = 0; kz < d.kernel; ++kz) {
        const auto [z0, z1] = valid_outputs(d, kz);
        for (long ky = 0; ky < h.kernel; ++ky) {
            const auto [y0, y1] = valid_outputs(h, ky);
            for (long kx = 0; kx < w.kernel; ++kx) {
                const auto [x0, x1] = valid_outputs(w, kx);
                const long tap = (kz * h.kernel + ky) * w.kernel + kx;
                for (long z = z0; z < z1; ++z)
                    for (long y = y0; y < y1; ++y) {
                        const long row = (d.source(z, kz) * h.size + h.source(y, ky)) * w.size;
                        const long orow = (z * oh + y) * ow;
                        for (long x = x0; x < x1; ++x) visit(row + w.source(x, kx), orow + x, tap);
                    }
            }
        }
    }
}

// in: shape<G·C,D,H,W>  out: shape<F,OD,OH,OW>  w: shape<F,C,KD,KH,KW> (PyTorch's OIDHW)  b: shape<F>
template <conv3d_geometry G, class T, class Epilogue>
void conv3d_forward(const T* in, const T* weight, const T* bias, T* out, Epilogue ep) {
    constexpr long volume = G.win.in_size(), out_volume = G.win.out_size(), taps = G.win.taps();
    for (long f = 0; f < G.filters; ++f) {
        T* o = out + f * out_volume;
        std::fill(o, o + out_volume, G.bias ? bias[f] : T(0));
        const long first_channel = f / G.group_filters() * G.channels;
        for (long c = 0; c < G.channels; ++c) {
            const T* plane = in + (first_channel + c) * volume;
            const T* w = weight + (f * G.channels + c) * taps;
            for_each_conv3d_tap<G.win>([&](long i, long j, long tap) { o[j] += w[tap] * plane[i]; });
        }
        for (long j = 0; j < out_volume; ++j) o[j] = ep.apply(o[j]);
    }
}

// The gradients of conv3d_forward, given dL/dout in `grad_out`: adds dL/dweight and
// dL/dbias into grad_weight and grad_bias (summed over a batch by repeated calls) unless
// grad_weight is null, and writes dL/din unless grad_in is null.
// in, grad_in: shape<G·C,D,H,W>  grad_out: shape<F,OD,OH,OW>  w, grad_w: shape<F,C,KD,KH,KW>
template <conv3d_geometry G, class T>
void conv3d_backward(const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias) {
    constexpr long volume = G.win.in_size(), out_volume = G.win.out_size(), taps = G.win.taps();
    if (grad_in) std::fill(grad_in, grad_in + G.in_size(), T(0));
    for (long f = 0; f < G.filters; ++f) {
        const T* g = grad_out + f * out_volume;
        if (G.bias && grad_weight) {
            T sum = 0;
            for (long j = 0; j < out_volume; ++j) sum += g[j];
            grad_bias[f] += sum;
        }
        const long first_channel = f / G.group_filters() * G.channels;
        for (long c = 0; c < G.channels; ++c) {
            const long plane = (first_channel + c) * volume;
            const T* w = weight + (f * G.channels + c) * taps;
            T* gw = grad_weight ? grad_weight + (f * G.channels + c) * taps : nullptr;
            for_each_conv3d_tap<G.win>([&](long i, long j, long tap) {
                if (gw) gw[tap] += g[j] * in[plane + i];
                if (grad_in) grad_in[plane + i] += w[tap] * g[j];
            });
        }
    }
}

}  // namespace reference
}  // namespace typenet::kernels
