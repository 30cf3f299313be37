/// Defines `typenet::kernels::pointwise::conv2d_columns`: float 1×1 convolution with stride
/// 1 and no padding as the matrix product it is, out[F][H·W] = weight[F][C] · in[C][H·W],
/// on NCHW and PyTorch's weights as they are, by `vector::gemm_outer`: a strip of the
/// input's columns is copied to contiguous memory that stays in L1 while every filter meets
/// it, and the bias and the fused layers are applied as the last part of the sum is
/// stored. Tested against the reference on odd shapes.
///
/// The other kernels sum a tile over all channels at once, reading each channel's plane a
/// plane apart: on ResNet-50's 1×1 layers (AVX2, one core) they ran at 29 to 55 GFLOP/s,
/// this one at 50 to 80.
#pragma once

#include <cstddef>

#include <typenet/kernels/gemm.hpp>
#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>

namespace typenet::kernels::pointwise {

/// Whether this kernel computes G: a 1×1 window, stride 1, no padding.
template <conv_geometry G>
inline constexpr bool fits = G.win.h.kernel == 1 && G.win.w.kernel == 1 && G.win.h.stride == 1 &&
                             G.win.w.stride == 1 && G.win.h.pad_before == 0 && G.win.h.pad_after == 0 &&
                             G.win.w.pad_before == 0 && G.win.w.pad_after == 0;

/// Output columns [first, last) of the H·W of each filter's plane, so that threads can share
/// one image and a pool fused after the convolution can take whole rows.
/// in: shape<C,H,W>  weight: shape<F,C,1,1>  bias: one per filter, or null  out: shape<F,H,W>.
template <conv_geometry G, class V, class Epilogue>
void conv2d_columns(const float* in, const float* weight, const float* bias, float* out, long first, long last,
                    const Epilogue& ep) {
    static_assert(fits<G>, "pointwise::conv2d: needs a 1x1 window, stride 1 and no padding");
    constexpr std::size_t plane = std::size_t(G.out_h() * G.out_w());
    auto finish = [&](std::size_t filter, V x, const float* at, std::size_t lanes) __attribute__((always_inline)) {
        if (bias) x = x + V::broadcast(bias[filter]);
        return lanes == V::lanes ? simd::finished(ep, x, at) : simd::finished(ep, x, at, lanes);
    };
    vector::gemm_outer<V, false>(std::size_t(G.filters), std::size_t(last - first), std::size_t(G.channels), weight,
                                 std::size_t(G.channels), 1, in + first, plane, out + first, plane, finish);
}

/// Whether conv2d runs G by this kernel: it fits, with channels enough to pay for copying
/// the strips (AVX2, one core: from 48 channels on it ran 0.6 to 0.95 of the others' time
/// on the 1×1 layers of ResNet-50, MobileNetV2 and GoogLeNet; with 16 or 24, 1.2 to 1.8).
/// AVX2's 8-lane vectors only: with AVX-512's 32 registers the other kernels ran
/// ResNet-50's 1×1 layers at 146 GFLOP/s, gemm_outer a product of this kind at 111.
template <conv_geometry G, class V>
inline constexpr bool prefer = fits<G> && G.channels >= 48 && V::registers == 16 && V::lanes == 8;

}  // namespace typenet::kernels::pointwise
