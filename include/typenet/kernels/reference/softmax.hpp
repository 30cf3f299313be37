/// Defines `typenet::kernels::reference::softmax_forward`, `log_softmax_forward` and their
/// backward passes, over the first axis of a tensor (a vector's values, or an image's
/// channels at each position).
#pragma once

#include <cmath>
#include <cstddef>

namespace typenet::kernels::reference {

// Over `C` values `Positions` apart, for each of the positions: the maximum and the sum of
// exp(x - maximum), so that large logits do not overflow exp.
template <std::size_t C, std::size_t Positions, class T>
void for_each_position(const T* in, auto visit) {
    for (std::size_t p = 0; p < Positions; ++p) {
        T top = in[p];
        for (std::size_t c = 1; c < C; ++c) top = std::fmax(top, in[c * Positions + p]);
        T sum = 0;
        for (std::size_t c = 0; c < C; ++c) sum += std::exp(in[c * Positions + p] - top);
        visit(p, top, sum);
    }
}

// in: shape<C, Positions...>  out: the same; `out` may be `in`.
template <std::size_t C, std::size_t Positions, class T>
void softmax_forward(const T* in, T* out) {
    for_each_position<C, Positions>(in, [&](std::size_t p, T top, T sum) {
        for (std::size_t c = 0; c < C; ++c) out[c * Positions + p] = std::exp(in[c * Positions + p] - top) / sum;
    });
}

// dL/din = y ⊙ (dL/dout − ⟨dL/dout, y⟩), from the output y; `grad_in` may be `grad_out`.
template <std::size_t C, std::size_t Positions, class T>
void softmax_backward(const T* out, const T* grad_out, T* grad_in) {
    for (std::size_t p = 0; p < Positions; ++p) {
        T dot = 0;
        for (std::size_t c = 0; c < C; ++c) dot += grad_out[c * Positions + p] * out[c * Positions + p];
        for (std::size_t c = 0; c < C; ++c)
            grad_in[c * Positions + p] = out[c * Positions + p] * (grad_out[c * Positions + p] - dot);
    }
}

// x − max − log Σ exp(x − max): no exp of a large number, no log of a tiny one.
template <std::size_t C, std::size_t Positions, class T>
void log_softmax_forward(const T* in, T* out) {
    for_each_position<C, Positions>(in, [&](std::size_t p, T top, T sum) {
        const T shift = top + std::log(sum);
        for (std::size_t c = 0; c < C; ++c) out[c * Positions + p] = in[c * Positions + p] - shift;
    });
}

// dL/din = dL/dout − exp(y) · Σ dL/dout, from the output y; `grad_in` may be `grad_out`.
template <std::size_t C, std::size_t Positions, class T>
void log_softmax_backward(const T* out, const T* grad_out, T* grad_in) {
    for (std::size_t p = 0; p < Positions; ++p) {
        T sum = 0;
        for (std::size_t c = 0; c < C; ++c) sum += grad_out[c * Positions + p];
        for (std::size_t c = 0; c < C; ++c)
            grad_in[c * Positions + p] = grad_out[c * Positions + p] - std::exp(out[c * Positions + p]) * sum;
    }
}

}  // namespace typenet::kernels::reference
