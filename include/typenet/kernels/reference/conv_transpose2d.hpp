/// Defines `typenet::kernels::reference::conv_transpose2d_forward`, the plain loop of a
/// transposed convolution that the im2col kernel (kernels/conv_transpose2d.hpp) is tested
/// against.
///
/// A transposed convolution is the gradient, with respect to its input, of the convolution
/// that reads the transposed convolution's output and writes its input: its *adjoint*. The
/// kernels describe it by that convolution's geometry, `G`: `G.channels` the transposed
/// convolution's filters (per group), `G.filters` its input channels (per group), `G.win`
/// the window over its output, whose `out()` is its input's size. PyTorch's weight of a
/// transposed convolution, (C, F / groups, KH, KW), is then the adjoint's OIHW weight, and
/// its backward pass is the adjoint's forward pass (dL/din) and weight gradient (dL/dw).
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/reference/conv2d.hpp>

namespace typenet::kernels::reference {

// in: shape<C,H,W>  out: shape<F,OH,OW>  w: shape<C,F/Groups,KH,KW> (PyTorch's)  b: shape<F>
// Scatter form: each input value adds itself, times each tap, to the output it reaches;
// valid_outputs gives the input positions whose tap lands inside the output.
template <conv_geometry G, long Groups, class T, class Epilogue>
void conv_transpose2d_forward(const T* in, const T* weight, const T* bias, T* out, const Epilogue& ep) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long taps = h.kernel * w.kernel;
    constexpr long in_plane = G.out_h() * G.out_w(), out_plane = h.size * w.size;
    for (long f = 0; f < Groups * G.channels; ++f) {
        const long group = f / G.channels, own = f % G.channels;
        T* o = out + f * out_plane;
        std::fill(o, o + out_plane, G.bias ? bias[f] : T(0));
        for (long c = group * G.filters; c < (group + 1) * G.filters; ++c) {
            const T* plane = in + c * in_plane;
            const T* filter = weight + (c * G.channels + own) * taps;
            for (long ky = 0; ky < h.kernel; ++ky) {
                const auto [y0, y1] = valid_outputs(h, ky);
                for (long kx = 0; kx < w.kernel; ++kx) {
                    const auto [x0, x1] = valid_outputs(w, kx);
                    const T t = filter[ky * w.kernel + kx];
                    for (long y = y0; y < y1; ++y) {
                        const T* row = plane + y * G.out_w();
                        T* orow = o + h.source(y, ky) * w.size;
                        for (long x = x0; x < x1; ++x) orow[w.source(x, kx)] += t * row[x];
                    }
                }
            }
        }
        for (long i = 0; i < out_plane; ++i) o[i] = ep.finish(o[i], o + i);
    }
}

}  // namespace typenet::kernels::reference
