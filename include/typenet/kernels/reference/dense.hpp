/// Defines `typenet::kernels::reference::dense_forward`, the plain matrix-vector product.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/loops.hpp>

namespace typenet::kernels::reference {

// in: shape<I>  out: shape<O>  w: shape<O,I> (PyTorch's Linear.weight)  b: shape<O>
template <std::size_t I, std::size_t O, bool Bias, class T, class Epilogue>
void dense_forward(const T* in, const T* weight, const T* bias, T* out, Epilogue ep) {
    for (std::size_t o = 0; o < O; ++o) out[o] = ep.apply((Bias ? bias[o] : T(0)) + dot<I>(weight + o * I, in));
}

// The gradients of dense_forward: accumulates dL/dweight and dL/dbias unless grad_weight
// is null, writes dL/din unless grad_in is null.
template <std::size_t I, std::size_t O, bool Bias, class T>
void dense_backward(const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias) {
    if (grad_in) std::fill(grad_in, grad_in + I, T(0));
    for (std::size_t o = 0; o < O; ++o) {
        const T g = grad_out[o];
        if (grad_weight) {
            if constexpr (Bias) grad_bias[o] += g;
            axpy<I>(grad_weight + o * I, g, in);
        }
        if (grad_in) axpy<I>(grad_in, g, weight + o * I);
    }
}

}  // namespace typenet::kernels::reference
