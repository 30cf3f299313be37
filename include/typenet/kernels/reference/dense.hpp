/// Defines `typenet::kernels::reference::dense_forward`, the plain matrix-vector product.
#pragma once

#include <algorithm>
#include <cstddef>

namespace typenet::kernels::reference {

// in: shape<I>  out: shape<O>  w: shape<O,I> (PyTorch's Linear.weight)  b: shape<O>
template <std::size_t I, std::size_t O, bool Bias, class T, class Epilogue>
void dense_forward(const T* in, const T* weight, const T* bias, T* out, Epilogue ep) {
    for (std::size_t o = 0; o < O; ++o) {
        const T* row = weight + o * I;
        T acc = Bias ? bias[o] : T(0);
        for (std::size_t i = 0; i < I; ++i) acc += row[i] * in[i];
        out[o] = ep.apply(acc);
    }
}

// The gradients of dense_forward: accumulates dL/dweight and dL/dbias, writes dL/din
// unless it is null.
template <std::size_t I, std::size_t O, bool Bias, class T>
void dense_backward(const T* in, const T* weight, const T* grad_out, T* grad_in, T* grad_weight, T* grad_bias) {
    if (grad_in) std::fill(grad_in, grad_in + I, T(0));
    for (std::size_t o = 0; o < O; ++o) {
        const T g = grad_out[o];
        if constexpr (Bias) grad_bias[o] += g;
        T* grow = grad_weight + o * I;
        const T* row = weight + o * I;
        for (std::size_t i = 0; i < I; ++i) grow[i] += g * in[i];
        if (grad_in)
            for (std::size_t i = 0; i < I; ++i) grad_in[i] += g * row[i];
    }
}

}  // namespace typenet::kernels::reference
