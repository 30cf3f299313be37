/// Defines `typenet::kernels::depthwise::conv2d_forward` and `conv2d_backward`: a
/// convolution of each input channel alone into `multiplier` outputs (PyTorch's Conv2d
/// with groups = channels). It does 2·K multiply-adds per output against a dense
/// convolution's 2·K·C, so it is bound by memory: each output row is built in place
/// (it stays in L1) by one contiguous multiply-add per tap over the input row.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/conv2d.hpp>

namespace typenet::kernels::depthwise {

// in: shape<C,H,W>  out: shape<C·M,OH,OW>  w: shape<C·M,1,KH,KW>, G being one group's
// geometry (1 channel, M filters). Filters [first, last) only: threads share a layer.
template <conv_geometry G, class T, class Epilogue>
void conv2d_forward(const T* in, const T* weight, const T* bias, T* out, long first, long last) {
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
