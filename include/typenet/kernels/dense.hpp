/// Defines `typenet::kernels::vector::dense_forward`: float matrix-vector product with
/// explicit vectors, several weight rows at a time so that each load of the input serves
/// all of them and their independent sums hide the FMA latency. Tested against the
/// reference (tests/kernels/dense_test.cpp).
#pragma once

#include <cstddef>
#include <type_traits>

#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::vector {

/// Weight rows dense_forward reads at once.
inline constexpr long dense_rows_per_block = 8;

// in: shape<I>  out: shape<O>  weight: shape<O,I> (PyTorch's Linear.weight)  bias: shape<O>
// Rows [first, last) of the output, so that threads can share one sample.
template <std::size_t I, std::size_t O, bool Bias, class V, class Epilogue>
void dense_forward(const float* in, const float* weight, const float* bias, float* out, Epilogue ep,
                   std::size_t first = 0, std::size_t last = O) {
    constexpr std::size_t lanes = V::lanes, full = I / lanes * lanes;
    auto rows = [&]<long Rows>(std::size_t o, std::integral_constant<long, Rows>) {
        V acc[Rows];
        unroll<Rows>([&](auto r) __attribute__((always_inline)) { acc[r] = V::zero(); });
        for (std::size_t i = 0; i < full; i += lanes) {
            const V x = V::load(in + i);
            unroll<Rows>([&](auto r) __attribute__((always_inline)) { acc[r] = fma(V::load(weight + (o + r) * I + i), x, acc[r]); });
        }
        unroll<Rows>([&](auto r) __attribute__((always_inline)) {
            float sum = acc[r].sum();
            for (std::size_t i = full; i < I; ++i) sum += weight[(o + r) * I + i] * in[i];
            out[o + r] = ep.apply((Bias ? bias[o + r] : 0.f) + sum);
        });
    };
    std::size_t o = first;
    for (; o + dense_rows_per_block <= last; o += dense_rows_per_block)
        rows(o, std::integral_constant<long, dense_rows_per_block>{});
    for (; o < last; ++o) rows(o, std::integral_constant<long, 1>{});
}

}  // namespace typenet::kernels::vector
