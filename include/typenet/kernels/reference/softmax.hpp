/// Defines `typenet::kernels::reference::softmax_forward`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace typenet::kernels::reference {

// in: shape<N>  out: shape<N>; `out` may be `in`. Subtracts the maximum first so that
// large logits do not overflow exp.
template <std::size_t N, class T>
void softmax_forward(const T* in, T* out) {
    const T top = *std::max_element(in, in + N);
    T sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += out[i] = std::exp(in[i] - top);
    for (std::size_t i = 0; i < N; ++i) out[i] /= sum;
}

// dL/din = y ⊙ (dL/dout − ⟨dL/dout, y⟩), from the output y; `grad_in` may be `grad_out`.
template <std::size_t N, class T>
void softmax_backward(const T* out, const T* grad_out, T* grad_in) {
    T dot = 0;
    for (std::size_t i = 0; i < N; ++i) dot += grad_out[i] * out[i];
    for (std::size_t i = 0; i < N; ++i) grad_in[i] = out[i] * (grad_out[i] - dot);
}

}  // namespace typenet::kernels::reference
