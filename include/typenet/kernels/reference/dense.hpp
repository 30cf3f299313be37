/// Defines `typenet::kernels::reference::dense_forward`, the plain matrix-vector product.
#pragma once

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

}  // namespace typenet::kernels::reference
