/// Defines `typenet::kernels::axpy`, `dot`, `sum` and `generate`, the inner loops of the
/// portable kernels, written so that g++ -O2 vectorizes them.
#pragma once

#include <cstddef>

namespace typenet::kernels {

// -O2's cost model vectorizes only loops with no leftover iterations: work in blocks of
// `lanes` (the inner loop becomes one vector operation) and finish the tail one by one.
inline constexpr std::size_t lanes = 8;

/// y[i] += a · x[i] for i < N.
template <std::size_t N, class T>
inline void axpy(T* __restrict y, T a, const T* __restrict x) {
    constexpr std::size_t blocked = N - N % lanes;
    for (std::size_t i = 0; i < blocked; i += lanes)
        for (std::size_t l = 0; l < lanes; ++l) y[i + l] += a * x[i + l];
    for (std::size_t i = blocked; i < N; ++i) y[i] += a * x[i];
}

/// Σ x[i] · y[i] for i < N, in `lanes` independent partial sums.
template <std::size_t N, class T>
inline T dot(const T* __restrict x, const T* __restrict y) {
    constexpr std::size_t blocked = N - N % lanes;
    T partial[lanes] = {};
    for (std::size_t i = 0; i < blocked; i += lanes)
        for (std::size_t l = 0; l < lanes; ++l) partial[l] += x[i + l] * y[i + l];
    T sum = 0;
    for (std::size_t i = blocked; i < N; ++i) sum += x[i] * y[i];
    for (std::size_t l = 0; l < lanes; ++l) sum += partial[l];
    return sum;
}

/// Σ x[i] for i < N, in `lanes` independent partial sums (a single sum is a chain of
/// dependent adds that g++ may not reorder).
template <std::size_t N, class T>
inline T sum(const T* x) {
    constexpr std::size_t blocked = N - N % lanes;
    T partial[lanes] = {};
    for (std::size_t i = 0; i < blocked; i += lanes)
        for (std::size_t l = 0; l < lanes; ++l) partial[l] += x[i + l];
    T total = 0;
    for (std::size_t i = blocked; i < N; ++i) total += x[i];
    for (std::size_t l = 0; l < lanes; ++l) total += partial[l];
    return total;
}

/// out[i] = f(i) for i < N, where f may read out[i] itself (an in-place layer): each block
/// is computed whole before it is stored, so g++ vectorizes it despite the possible alias.
template <std::size_t N, class T, class F>
inline void generate(T* out, F f) {
    constexpr std::size_t blocked = N - N % lanes;
    for (std::size_t i = 0; i < blocked; i += lanes) {
        T block[lanes];
        for (std::size_t l = 0; l < lanes; ++l) block[l] = f(i + l);
        for (std::size_t l = 0; l < lanes; ++l) out[i + l] = block[l];
    }
    for (std::size_t i = blocked; i < N; ++i) out[i] = f(i);
}

}  // namespace typenet::kernels
