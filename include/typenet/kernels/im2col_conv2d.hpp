/// Defines `typenet::kernels::im2col::conv2d_forward` and `conv2d_backward`: convolution
/// as a matrix product over the unrolled input, with every loop bound a compile-time
/// constant so the compiler vectorizes the inner loops; float's backward pass runs the
/// explicit-vector products of gemm.hpp. Tested against the reference.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include <typenet/kernels/gemm.hpp>
#include <typenet/kernels/loops.hpp>
#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::im2col {

/// Rows (C·KH·KW) × columns (OH·OW) of the unrolled input.
template <conv_geometry G>
inline constexpr std::size_t columns_size = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel) *
                                           std::size_t(G.out_h() * G.out_w());

// Calls visit(ky, kx) for every tap: with compile-time constants for the usual small
// kernels, so that each tap's valid range, and the loops over it, are constants too.
template <conv_geometry G, class Visit>
void for_each_tap(Visit visit) {
    constexpr long kh = G.win.h.kernel, kw = G.win.w.kernel;
    if constexpr (kh * kw <= 49)
        unroll<kh * kw>([&](auto t) {
            visit(std::integral_constant<long, t / kw>{}, std::integral_constant<long, t % kw>{});
        });
    else
        for (long ky = 0; ky < kh; ++ky)
            for (long kx = 0; kx < kw; ++kx) visit(ky, kx);
}

// target[i] += source[i] for i < n: g++ leaves such short rows (a few dozen values) scalar
// when its vectors are wider than them, so float adds them with explicit vectors.
template <class T>
void add_to(T* target, const T* source, long n) {
    if constexpr (std::is_same_v<T, float>) {
        using V = simd::native;
        const V one = V::broadcast(1.f);
        for (long i = 0; i < n; i += long(V::lanes)) {
            const std::size_t count = std::size_t(std::min(n - i, long(V::lanes)));
            V::store_first(target + i, fma(V::load_first(source + i, count), one, V::load_first(target + i, count)),
                           count);
        }
    } else {
        for (long i = 0; i < n; ++i) target[i] += source[i];
    }
}

// in: shape<C,H,W>  cols: shape<C·KH·KW, OH·OW>, zero where a tap falls in the padding.
// (The lambdas name G's members rather than capture copies of them: g++ 12 fails
// internally on captured constexpr locals of a structural type.)
template <conv_geometry G, class T>
void unroll(const T* in, T* cols) {
    for_each_tap<G>([&](auto ky, auto kx) {
        constexpr long oh = G.out_h(), ow = G.out_w();
        const auto [y0, y1] = valid_outputs(G.win.h, ky);
        const auto [x0, x1] = valid_outputs(G.win.w, kx);
        for (long c = 0; c < G.channels; ++c) {
            T* row = cols + ((c * G.win.h.kernel + ky) * G.win.w.kernel + kx) * oh * ow;
            // Taps in the padding read zero.
            std::fill(row, row + y0 * ow, T(0));
            for (long y = y0; y < y1; ++y) {
                T* target = row + y * ow;
                const T* source = in + (c * G.win.h.size + G.win.h.source(y, ky)) * G.win.w.size;
                std::fill(target, target + x0, T(0));
                if constexpr (G.win.w.stride == 1)
                    std::memcpy(target + x0, source + G.win.w.source(x0, kx), std::size_t(x1 - x0) * sizeof(T));
                else
                    for (long x = x0; x < x1; ++x) target[x] = source[G.win.w.source(x, kx)];
                std::fill(target + x1, target + ow, T(0));
            }
            std::fill(row + y1 * ow, row + oh * ow, T(0));
        }
    });
}

// The reverse of unroll, adding: grad_in[c, iy, ix] += Σ grad_cols at the taps that read it.
template <conv_geometry G, class T>
void roll_back(const T* grad_cols, T* grad_in) {
    std::fill(grad_in, grad_in + G.in_size(), T(0));
    for_each_tap<G>([&](auto ky, auto kx) {
        constexpr long oh = G.out_h(), ow = G.out_w();
        const auto [y0, y1] = valid_outputs(G.win.h, ky);
        const auto [x0, x1] = valid_outputs(G.win.w, kx);
        // Channels inside rows: the next add to an overlapping stretch of grad_in comes
        // a channel loop later, once the previous store has left the store buffer (a
        // masked load overlapping a pending masked store waits for it).
        for (long y = y0; y < y1; ++y)
            for (long c = 0; c < G.channels; ++c) {
                const T* row = grad_cols + ((c * G.win.h.kernel + ky) * G.win.w.kernel + kx) * oh * ow + y * ow;
                T* target = grad_in + (c * G.win.h.size + G.win.h.source(y, ky)) * G.win.w.size;
                if constexpr (G.win.w.stride == 1)
                    add_to(target + G.win.w.source(x0, kx), row + x0, x1 - x0);
                else
                    for (long x = x0; x < x1; ++x) target[G.win.w.source(x, kx)] += row[x];
            }
    });
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
        ep.finish_all(o, p_count);
    }
}

// Given the columns of the forward pass and dL/dout: accumulates dL/dw and dL/db, and
// writes dL/din (through grad_cols, columns_size<G> values of scratch) unless grad_in is null.
// float runs the two products with explicit vectors; double runs plain loops.
template <conv_geometry G, class T>
void conv2d_backward(const T* cols, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias,
                     T* grad_cols) {
    constexpr std::size_t f_count = std::size_t(G.filters);
    constexpr std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    constexpr std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    if constexpr (G.bias)
        for (std::size_t f = 0; f < f_count; ++f) grad_bias[f] += sum<p_count>(grad_out + f * p_count);
    if constexpr (std::is_same_v<T, float>) {
        // dw += grad_out · colsᵀ, grad_cols = wᵀ · grad_out
        vector::gemm_dot<simd::native>(f_count, k_count, p_count, grad_out, p_count, cols, p_count,
                                       [&](std::size_t f, std::size_t k, float s) { grad_weight[f * k_count + k] += s; });
        if (grad_in)
            vector::gemm_outer<simd::native, false>(k_count, p_count, f_count, weight, 1, k_count, grad_out, p_count,
                                                    grad_cols, p_count);
    } else {
        if (grad_in) std::fill(grad_cols, grad_cols + k_count * p_count, T(0));
        for (std::size_t f = 0; f < f_count; ++f)
            for (std::size_t k = 0; k < k_count; ++k) {
                grad_weight[f * k_count + k] += dot<p_count>(grad_out + f * p_count, cols + k * p_count);
                if (grad_in) axpy<p_count>(grad_cols + k * p_count, weight[f * k_count + k], grad_out + f * p_count);
            }
    }
    if (grad_in) roll_back<G>(grad_cols, grad_in);
}

}  // namespace typenet::kernels::im2col
