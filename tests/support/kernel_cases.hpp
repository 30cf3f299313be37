// What the kernel tests share: the vector types this build has, a convolution geometry
// from its numbers, reproducible random inputs, and the check of a conv kernel's output.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <type_traits>
#include <vector>

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

namespace kernel_cases {

namespace simd = typenet::kernels::simd;

/// Portable always; AVX2 and AVX-512 when the compiler flags allow them.
using vector_types = boost::mpl::list<simd::vec<simd::isa::portable>
#if defined(__AVX2__) && defined(__FMA__)
                                      , simd::vec<simd::isa::avx2>
#endif
#if defined(__AVX512F__)
                                      , simd::vec<simd::isa::avx512>
#endif
                                      >;

/// C channels of H×W, F filters of KH×KW, stride S, dilation D, padding P0 (top and
/// bottom) and P1 (left and right).
template <long C, long H, long W, long F, int KH, int KW, int S, int D, int P0, int P1, bool Bias = true>
constexpr typenet::kernels::conv_geometry geometry{
    C, F,
    typenet::detail::make_window(false, H, W, std::array{KH, KW}, std::array{S}, std::array{D}, std::array{P0, P1},
                                 false, false),
    Bias};

/// A fast convolution's output against the reference's, for inputs and weights from
/// random_values: sums of up to C·KH·KW terms of size ≤ 1, in another order.
template <typenet::kernels::conv_geometry G>
void check_conv_output(const std::vector<float>& out, const std::vector<float>& out_ref, const char* vector_name) {
    const float scale = float(G.channels * G.win.h.kernel * G.win.w.kernel);
    for (std::size_t i = 0; i < out.size(); ++i)
        BOOST_TEST(std::abs(out[i] - out_ref[i]) <= 1e-6f * scale,
                   "output " << i << ": " << out[i] << " vs " << out_ref[i] << " (" << vector_name << ")");
}

/// n values uniform in [-1, 1) drawn from `seed`.
template <class T>
std::vector<T> random_values(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<T> u(-1, 1);
    std::vector<T> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

/// As an epilogue of a conv_case: a tensor added to the output in the kernel's loop, then
/// a ReLU, as at the end of a residual block.
struct adding_then_relu {};

/// Reproducible random input, weights and biases for G, and the reference's output from
/// them through the fused layers `Epilogue` (or adding_then_relu): what each fast kernel
/// is compared with; `epilogue()` is what the kernel is given.
template <typenet::kernels::conv_geometry G, class Epilogue>
struct conv_case {
    static constexpr bool adds = std::is_same_v<Epilogue, adding_then_relu>;

    conv_case() = default;
    conv_case(const conv_case&) = delete;  // `bias` points into its own vector
    conv_case& operator=(const conv_case&) = delete;

    std::vector<float> in = random_values<float>(std::size_t(G.in_size()), 1),
                       weight = random_values<float>(std::size_t(G.weight_size()), 2),
                       biases = random_values<float>(std::size_t(G.filters), 3);
    const float* bias = G.bias ? biases.data() : nullptr;
    std::vector<float> addend = random_values<float>(adds ? std::size_t(G.out_size()) : 0, 4);
    std::vector<float> expected = [this] {
        std::vector<float> out(std::size_t(G.out_size()));
        if constexpr (adds) {
            typenet::kernels::reference::conv2d_forward<G>(in.data(), weight.data(), bias, out.data(),
                                                           typenet::epilogue<>{});
            for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::max(0.f, out[i] + addend[i]);
        } else {
            typenet::kernels::reference::conv2d_forward<G>(in.data(), weight.data(), bias, out.data(), Epilogue{});
        }
        return out;
    }();
    /// The kernel's output buffer: NaN shows any value it leaves unwritten.
    std::vector<float> out = std::vector<float>(expected.size(), NAN);

    auto epilogue() const {
        if constexpr (adds)
            return typenet::adding_epilogue<float, typenet::epilogue<>, typenet::epilogue<typenet::relu>>{addend.data(),
                                                                                                          out.data()};
        else
            return Epilogue{};
    }
};

}  // namespace kernel_cases
