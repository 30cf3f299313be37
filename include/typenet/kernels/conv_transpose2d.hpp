/// Defines `typenet::kernels::im2col::conv_transpose2d_forward` and
/// `conv_transpose2d_backward`: a transposed convolution as the input gradient of its
/// adjoint convolution (kernels/reference/conv_transpose2d.hpp says which), run by the
/// products and the unrolling of im2col_conv2d.hpp. Tested against the reference.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <typenet/kernels/gemm.hpp>
#include <typenet/kernels/im2col_conv2d.hpp>
#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/layer.hpp>

namespace typenet::kernels::im2col {

// in: shape<C,H,W>  out: shape<F,OH,OW>  w: shape<C,F/Groups,KH,KW>  b: shape<F>
// cols: columns_size<G> values. Per group, cols = wᵀ · in, then each column adds itself to
// the outputs its taps reach (roll_back, the reverse of unroll); then the bias and the
// fused layers.
template <conv_geometry G, long Groups, class T, class Epilogue>
void conv_transpose2d_forward(const T* in, const T* weight, const T* bias, T* out, T* cols, const Epilogue& ep) {
    constexpr std::size_t c_count = std::size_t(G.filters);
    constexpr std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    constexpr std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    constexpr std::size_t plane = std::size_t(G.win.h.size * G.win.w.size);
    for (std::size_t g = 0; g < std::size_t(Groups); ++g) {
        const T* x = in + g * c_count * p_count;
        const T* w = weight + g * c_count * k_count;
        if constexpr (std::is_same_v<T, float>) {
            vector::gemm_outer<simd::native, false>(k_count, p_count, c_count, w, 1, k_count, x, p_count, cols,
                                                    p_count);
        } else {
            std::fill(cols, cols + k_count * p_count, T(0));
            for (std::size_t c = 0; c < c_count; ++c)
                for (std::size_t k = 0; k < k_count; ++k)
                    axpy<p_count>(cols + k * p_count, w[c * k_count + k], x + c * p_count);
        }
        roll_back<G.win>(G.channels, cols, out + g * std::size_t(G.channels) * plane);
    }
    for (std::size_t f = 0; f < std::size_t(Groups * G.channels); ++f) {
        const T b = G.bias ? bias[f] : T(0);
        T* o = out + f * plane;
        for (std::size_t i = 0; i < plane; ++i) o[i] = ep.finish(o[i] + b, o + i);
    }
}

// Given dL/dout: accumulates dL/dw and dL/db unless grad_weight is null (a frozen layer),
// and writes dL/din unless grad_in is null. dL/din
// is the adjoint convolution of dL/dout, whose unrolled dL/dout (in cols, columns_size<G>
// values, then transposed_size<G> for the weight gradient) then gives dL/dw as that
// convolution's weight gradient, the input in the place of its output gradient.
template <conv_geometry G, long Groups, class T>
void conv_transpose2d_backward(const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight,
                               T* grad_bias, T* cols) {
    static constexpr conv_geometry adjoint = G.without_bias();
    constexpr std::size_t group_in = std::size_t(G.filters * G.out_h() * G.out_w());
    constexpr std::size_t group_out = std::size_t(G.channels * G.win.h.size * G.win.w.size);
    constexpr std::size_t group_weights = std::size_t(G.weight_size());
    for (std::size_t g = 0; g < std::size_t(Groups); ++g) {
        const T* w = weight + g * group_weights;
        if (grad_in)
            conv2d_forward<adjoint>(grad_out + g * group_out, w, (const T*)nullptr, grad_in + g * group_in, cols,
                                    epilogue<>{});
        else if (grad_weight)
            unroll<adjoint>(grad_out + g * group_out, cols);
        if (grad_weight)
            conv2d_backward<adjoint>(cols, w, in + g * group_in, (T*)nullptr, grad_weight + g * group_weights,
                                     (T*)nullptr, (T*)nullptr, cols + columns_size<G>);
    }
    if (G.bias && grad_weight) {
        constexpr std::size_t plane = std::size_t(G.win.h.size * G.win.w.size);
        for (std::size_t f = 0; f < std::size_t(Groups * G.channels); ++f)
            grad_bias[f] += sum<plane>(grad_out + f * plane);
    }
}

}  // namespace typenet::kernels::im2col
