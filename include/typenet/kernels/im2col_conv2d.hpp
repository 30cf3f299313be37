/// Defines `typenet::kernels::im2col::conv2d_forward` and `conv2d_backward`: convolution
/// as a matrix product over the unrolled input, with every loop bound a compile-time
/// constant so the compiler vectorizes the inner loops. Tested against the reference.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/conv2d.hpp>

namespace typenet::kernels::im2col {

/// Rows (C·KH·KW) × columns (OH·OW) of the unrolled input.
template <conv_geometry G>
inline constexpr std::size_t columns_size = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel) *
                                           std::size_t(G.out_h() * G.out_w());

// in: shape<C,H,W>  cols: shape<C·KH·KW, OH·OW>, zero where a tap falls in the padding.
template <conv_geometry G, class T>
void unroll(const T* in, T* cols) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), ow = G.out_w();
    for (long c = 0; c < G.channels; ++c)
        for (long ky = 0; ky < h.kernel; ++ky)
            for (long kx = 0; kx < w.kernel; ++kx) {
                T* row = cols + ((c * h.kernel + ky) * w.kernel + kx) * oh * ow;
                const auto [y0, y1] = valid_outputs(h, ky);
                const auto [x0, x1] = valid_outputs(w, kx);
                // Taps in the padding read zero.
                for (long y = 0; y < oh; ++y) {
                    T* target = row + y * ow;
                    if (y < y0 || y >= y1) {
                        for (long x = 0; x < ow; ++x) target[x] = T(0);
                        continue;
                    }
                    const T* source = in + (c * h.size + h.source(y, ky)) * w.size;
                    for (long x = 0; x < x0; ++x) target[x] = T(0);
                    for (long x = x0; x < x1; ++x) target[x] = source[w.source(x, kx)];
                    for (long x = x1; x < ow; ++x) target[x] = T(0);
                }
            }
}

// The reverse of unroll, adding: grad_in[c, iy, ix] += Σ grad_cols at the taps that read it.
template <conv_geometry G, class T>
void roll_back(const T* grad_cols, T* grad_in) {
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long oh = G.out_h(), ow = G.out_w();
    std::fill(grad_in, grad_in + G.in_size(), T(0));
    for (long c = 0; c < G.channels; ++c)
        for (long ky = 0; ky < h.kernel; ++ky)
            for (long kx = 0; kx < w.kernel; ++kx) {
                const T* row = grad_cols + ((c * h.kernel + ky) * w.kernel + kx) * oh * ow;
                const auto [y0, y1] = valid_outputs(h, ky);
                const auto [x0, x1] = valid_outputs(w, kx);
                for (long y = y0; y < y1; ++y) {
                    T* target = grad_in + (c * h.size + h.source(y, ky)) * w.size;
                    for (long x = x0; x < x1; ++x) target[w.source(x, kx)] += row[y * ow + x];
                }
            }
}

// in: shape<C,H,W>  out: shape<F,OH,OW>  w: shape<F,C,KH,KW>  cols: columns_size<G> values.
// out[f] = b[f] + Σ_k w[f,k] · cols[k]: each step an axpy over a whole output plane.
template <conv_geometry G, class T, class Epilogue>
void conv2d_forward(const T* in, const T* weight, const T* bias, T* out, T* cols, Epilogue ep) {
    constexpr std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    constexpr std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    unroll<G>(in, cols);
    for (std::size_t f = 0; f < std::size_t(G.filters); ++f) {
        T* o = out + f * p_count;
        std::fill(o, o + p_count, G.bias ? bias[f] : T(0));
        const T* wf = weight + f * k_count;
        for (std::size_t k = 0; k < k_count; ++k) axpy<p_count>(o, wf[k], cols + k * p_count);
        ep.apply_all(o, p_count);
    }
}

// Given the columns of the forward pass and dL/dout: accumulates dL/dw and dL/db, and
// writes dL/din (through grad_cols, columns_size<G> values of scratch) unless grad_in is null.
template <conv_geometry G, class T>
void conv2d_backward(const T* cols, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias,
                     T* grad_cols) {
    constexpr std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    constexpr std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    if (grad_in) std::fill(grad_cols, grad_cols + k_count * p_count, T(0));
    for (std::size_t f = 0; f < std::size_t(G.filters); ++f) {
        const T* g = grad_out + f * p_count;
        if (G.bias) {
            T sum = 0;
            for (std::size_t p = 0; p < p_count; ++p) sum += g[p];
            grad_bias[f] += sum;
        }
        for (std::size_t k = 0; k < k_count; ++k) {
            grad_weight[f * k_count + k] += dot<p_count>(g, cols + k * p_count);
            if (grad_in) axpy<p_count>(grad_cols + k * p_count, weight[f * k_count + k], g);
        }
    }
    if (grad_in) roll_back<G>(grad_cols, grad_in);
}

}  // namespace typenet::kernels::im2col
