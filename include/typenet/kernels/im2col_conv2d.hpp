/// Defines `typenet::kernels::im2col::conv2d_forward` and `conv2d_backward`: convolution
/// as a matrix product over the unrolled input, the products' loop bounds compile-time
/// constants so the compiler vectorizes them; float's backward pass runs the
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

// The unrolling is written for a window (the input's size, the kernel, stride, padding
// and dilation) with the channels known at run time: a row's taps, the valid ranges and
// the copies are constants, and convolutions with the same window share an instance (one
// per whole geometry cost GoogLeNet's build 9 s on g++, 37 s on clang++).

// Calls visit(ky, kx) for every tap, kx a compile-time constant for the usual small
// kernels, so that each tap's valid range along a row, and the copies, are constants too.
template <detail::window Win, class Visit>
void for_each_tap(Visit visit) {
    for (long ky = 0; ky < Win.h.kernel; ++ky) {
        if constexpr (Win.w.kernel <= 7)
            kernels::unroll<Win.w.kernel>([&](auto kx) { visit(ky, kx); });
        else
            for (long kx = 0; kx < Win.w.kernel; ++kx) visit(ky, kx);
    }
}

// in: shape<C,H,W>  cols: shape<C·KH·KW, OH·OW>, zero where a tap falls in the padding.
template <detail::window Win, class T>
void unroll(long channels, const T* in, T* cols) {
    // (The lambdas name Win's members rather than capture copies of them: g++ 12 fails
    // internally on captured constexpr locals of a structural type.)
    for_each_tap<Win>([&](long ky, auto kx) {
        constexpr long oh = Win.h.out(), ow = Win.w.out();
        const auto [y0, y1] = valid_outputs(Win.h, ky);
        const auto [x0, x1] = valid_outputs(Win.w, kx);
        for (long c = 0; c < channels; ++c) {
            T* row = cols + ((c * Win.h.kernel + ky) * Win.w.kernel + kx) * oh * ow;
            // Taps in the padding read zero.
            std::fill(row, row + y0 * ow, T(0));
            for (long y = y0; y < y1; ++y) {
                T* target = row + y * ow;
                const T* source = in + (c * Win.h.size + Win.h.source(y, ky)) * Win.w.size;
                std::fill(target, target + x0, T(0));
                if constexpr (Win.w.stride == 1)
                    std::memcpy(target + x0, source + Win.w.source(x0, kx), std::size_t(x1 - x0) * sizeof(T));
                else
                    for (long x = x0; x < x1; ++x) target[x] = source[Win.w.source(x, kx)];
                std::fill(target + x1, target + ow, T(0));
            }
            std::fill(row + y1 * ow, row + oh * ow, T(0));
        }
    });
}

template <conv_geometry G, class T>
void unroll(const T* in, T* cols) {
    unroll<G.win>(G.channels, in, cols);
}

// The reverse of unroll, adding: grad_in[c, iy, ix] += Σ grad_cols at the taps that read it.
template <detail::window Win, class T>
void roll_back(long channels, const T* grad_cols, T* grad_in) {
    std::fill(grad_in, grad_in + channels * Win.h.size * Win.w.size, T(0));
    for_each_tap<Win>([&](long ky, auto kx) {
        constexpr long oh = Win.h.out(), ow = Win.w.out();
        const auto [y0, y1] = valid_outputs(Win.h, ky);
        const auto [x0, x1] = valid_outputs(Win.w, kx);
        // Channels inside rows: the next add to an overlapping stretch of grad_in comes
        // a channel loop later, once the previous store has left the store buffer (a
        // masked load overlapping a pending masked store waits for it).
        for (long y = y0; y < y1; ++y)
            for (long c = 0; c < channels; ++c) {
                const T* row = grad_cols + ((c * Win.h.kernel + ky) * Win.w.kernel + kx) * oh * ow + y * ow;
                T* target = grad_in + (c * Win.h.size + Win.h.source(y, ky)) * Win.w.size;
                if constexpr (Win.w.stride == 1)
                    add_to(target + Win.w.source(x0, kx), row + x0, x1 - x0);
                else
                    for (long x = x0; x < x1; ++x) target[Win.w.source(x, kx)] += row[x];
            }
    });
}

// The weight gradient dw += grad_out · colsᵀ as a sum of outer products, dwᵀ = cols ·
// grad_outᵀ with the filters along the vectors, rather than as dot products along the
// output plane: dot products of a plane of 49 or 196 values spend their time on partial
// vectors and on adding lanes (ResNet-20's layers, measured: 42-84 GFLOP/s as dot
// products, 99-164 as outer products, both transposes included). With fewer than 64 rows
// of columns, or more filters than rows (the transposes then cost more than they save),
// the dot products stay faster.
inline constexpr bool weight_gradient_by_outer_products(std::size_t filters, std::size_t rows) {
    return rows >= 64 && rows >= filters;
}

/// The scratch float's weight gradient takes (conv2d_backward's `transposed`): grad_out
/// and the gradient transposed, when it runs as outer products; else none.
template <conv_geometry G>
inline constexpr std::size_t transposed_size = [] {
    const std::size_t f_count = std::size_t(G.filters);
    const std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    const std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    return weight_gradient_by_outer_products(f_count, k_count) ? f_count * (p_count + k_count) : 0;
}();

// float's two products of the backward pass, sizes at run time as well:
// dw += grad_out · colsᵀ, and grad_cols = wᵀ · grad_out unless grad_cols is null.
// `transposed`: (filters × (plane + rows)) values, for the weight gradient by outer
// products.
inline void backward_products(const conv_geometry& g, const float* cols, const float* weight, const float* grad_out,
                              float* grad_weight, float* grad_cols, float* transposed) {
    const std::size_t f_count = std::size_t(g.filters);
    const std::size_t k_count = std::size_t(g.channels * g.win.h.kernel * g.win.w.kernel);
    const std::size_t p_count = std::size_t(g.out_h() * g.out_w());
    if (grad_weight && weight_gradient_by_outer_products(f_count, k_count)) {
        float* const grad_out_t = transposed;                        // p_count × f_count
        float* const grad_weight_t = transposed + p_count * f_count;  // k_count × f_count
        vector::transpose<simd::native, false>(f_count, p_count, grad_out, p_count, grad_out_t, f_count);
        vector::gemm_outer<simd::native, false>(k_count, f_count, p_count, cols, p_count, 1, grad_out_t, f_count,
                                                grad_weight_t, f_count);
        vector::transpose<simd::native, true>(k_count, f_count, grad_weight_t, f_count, grad_weight, k_count);
    } else if (grad_weight) {
        vector::gemm_dot<simd::native>(f_count, k_count, p_count, grad_out, p_count, cols, p_count,
                                       [&](std::size_t f, std::size_t k, float s) { grad_weight[f * k_count + k] += s; });
    }
    if (grad_cols)
        vector::gemm_outer<simd::native, false>(k_count, p_count, f_count, weight, 1, k_count, grad_out, p_count,
                                                grad_cols, p_count);
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

// Given the columns of the forward pass and dL/dout: accumulates dL/dw and dL/db unless
// grad_weight is null (a frozen layer, whose columns are then not read), and writes dL/din
// (through grad_cols, columns_size<G> values of scratch) unless grad_in is null.
// float runs the two products with explicit vectors, its weight gradient through
// `transposed` (transposed_size<G> values of scratch); double runs plain loops.
template <conv_geometry G, class T>
void conv2d_backward(const T* cols, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias,
                     T* grad_cols, T* transposed) {
    constexpr std::size_t f_count = std::size_t(G.filters);
    constexpr std::size_t k_count = std::size_t(G.channels * G.win.h.kernel * G.win.w.kernel);
    constexpr std::size_t p_count = std::size_t(G.out_h() * G.out_w());
    if (G.bias && grad_weight)
        for (std::size_t f = 0; f < f_count; ++f) grad_bias[f] += sum<p_count>(grad_out + f * p_count);
    if constexpr (std::is_same_v<T, float>) {
        backward_products(G, cols, weight, grad_out, grad_weight, grad_in ? grad_cols : nullptr, transposed);
    } else {
        if (grad_in) std::fill(grad_cols, grad_cols + k_count * p_count, T(0));
        for (std::size_t f = 0; f < f_count; ++f)
            for (std::size_t k = 0; k < k_count; ++k) {
                if (grad_weight) grad_weight[f * k_count + k] += dot<p_count>(grad_out + f * p_count, cols + k * p_count);
                if (grad_in) axpy<p_count>(grad_cols + k * p_count, weight[f * k_count + k], grad_out + f * p_count);
            }
    }
    if (grad_in) roll_back<G.win>(G.channels, grad_cols, grad_in);
}

}  // namespace typenet::kernels::im2col
