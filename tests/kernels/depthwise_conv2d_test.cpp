// Tests typenet/kernels/depthwise_conv2d.hpp's forward pass against the reference
// convolution run on each channel alone: float through the public entry point and
// through the vector path on every vector type this build has, double through the
// scalar loop; on odd shapes: rows narrower than a vector and of several, stride 2 (and
// 3, the scalar loop), dilation 2, asymmetric and wide padding, 5×5 and non-square
// kernels, a multiplier of 2 and 3, no bias, a fused ReLU or ReLU6.
#define BOOST_TEST_MODULE depthwise_conv2d
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <typenet/kernels/depthwise_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/relu6.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
namespace simd = k::simd;
using typenet::detail::axis;
using typenet::detail::window;

// One group of a depthwise convolution: 1 channel of H×W into M filters, each axis with
// its kernel, stride, dilation and padding before and after.
template <long H, long W, long M, axis Rows, axis Columns, bool Bias = true>
constexpr k::conv_geometry depthwise{1, M, window{Rows, Columns}, Bias};

template <long Size, long Kernel, long Stride = 1, long Pad = 0, long Dilation = 1, long PadAfter = Pad>
constexpr axis along{Size, Kernel, Stride, Dilation, Pad, PadAfter};

constexpr long channels = 3;

// Runs `run` on all filters in two uneven parts, as two threads would, and compares what
// it wrote with the reference's output, which inputs in [-4, 4] make clip at 6 too.
template <k::conv_geometry G, class T, class Epilogue, class Run>
void compare(const std::string& what, Run run) {
    constexpr long m = G.filters, taps = G.win.h.kernel * G.win.w.kernel, plane = G.win.h.size * G.win.w.size;
    constexpr long out_plane = G.out_h() * G.out_w();
    auto in = kernel_cases::random_values<T>(std::size_t(channels * plane), 1);
    for (auto& x : in) x *= 4;
    const auto weight = kernel_cases::random_values<T>(std::size_t(channels * m * taps), 2);
    const auto biases = kernel_cases::random_values<T>(std::size_t(channels * m), 3);
    const T* bias = G.bias ? biases.data() : nullptr;
    std::vector<T> expected(std::size_t(channels * m * out_plane)), out(expected.size(), T(NAN));
    for (long c = 0; c < channels; ++c)
        k::reference::conv2d_forward<G>(in.data() + c * plane, weight.data() + c * m * taps,
                                        bias ? bias + c * m : nullptr, expected.data() + c * m * out_plane, Epilogue{});
    const long filters = channels * m, cut = filters / 3;
    run(in.data(), weight.data(), bias, out.data(), 0, cut);
    run(in.data(), weight.data(), bias, out.data(), cut, filters);
    // Sums of `taps` products of size ≤ 4 (and the bias), in another order.
    const T tolerance = T(4e-6) * T(taps + 1);
    for (std::size_t i = 0; i < out.size(); ++i)
        BOOST_TEST(std::abs(out[i] - expected[i]) <= tolerance,
                   what << ", output " << i << ": " << out[i] << " vs " << expected[i]);
}

template <k::conv_geometry G, class Epilogue = typenet::epilogue<>>
void check() {
    compare<G, float, Epilogue>("float", [](auto... a) { k::depthwise::conv2d_forward<G, float, Epilogue>(a...); });
    compare<G, double, Epilogue>("double", [](auto... a) { k::depthwise::conv2d_forward<G, double, Epilogue>(a...); });
    if constexpr (k::depthwise::detail::vectorizes(G)) {
        boost::mpl::for_each<kernel_cases::vector_types>([](auto v) {
            using V = decltype(v);
            compare<G, float, Epilogue>(V::name, [](auto... a) { k::depthwise::detail::forward<G, V, Epilogue>(a...); });
        });
    }
}

using relu = typenet::epilogue<typenet::relu>;
using relu6 = typenet::epilogue<typenet::relu6>;

BOOST_AUTO_TEST_CASE(rows_narrower_than_a_vector) {
    check<depthwise<5, 7, 1, along<5, 3, 1, 1>, along<7, 3, 1, 1>>, relu>();
    check<depthwise<7, 7, 1, along<7, 3, 1, 1>, along<7, 3, 1, 1>>, relu6>();
    check<depthwise<12, 3, 1, along<12, 3>, along<3, 3>>>();  // one output column
}
BOOST_AUTO_TEST_CASE(multiplier_2_without_bias) {
    check<depthwise<9, 13, 2, along<9, 3, 1, 1>, along<13, 3, 1, 1>, false>, relu6>();
}
BOOST_AUTO_TEST_CASE(rows_of_several_vectors_in_passes_of_uneven_rows) {
    check<depthwise<20, 64, 1, along<20, 3, 1, 1>, along<64, 3, 1, 1>>, relu>();
    check<depthwise<14, 14, 1, along<14, 3, 1, 1>, along<14, 3, 1, 1>>, relu6>();
}
BOOST_AUTO_TEST_CASE(stride_2) {
    check<depthwise<7, 17, 1, along<7, 3, 2, 1>, along<17, 3, 2, 1>>, relu>();
    check<depthwise<8, 33, 2, along<8, 3, 2, 1>, along<33, 3, 2, 1>>, relu6>();
    check<depthwise<28, 28, 1, along<28, 3, 2, 1>, along<28, 3, 2, 1>>, relu6>();
}
BOOST_AUTO_TEST_CASE(five_by_five_and_wide_padding) {
    check<depthwise<6, 33, 1, along<6, 5, 1, 2>, along<33, 5, 1, 2>, false>, relu>();
    check<depthwise<9, 21, 1, along<9, 3, 1, 3>, along<21, 3, 2, 4>>>();
}
BOOST_AUTO_TEST_CASE(dilation_2) {
    check<depthwise<11, 40, 1, along<11, 3, 1, 2, 2>, along<40, 3, 1, 2, 2>>>();
}
BOOST_AUTO_TEST_CASE(asymmetric_padding) {
    // TensorFlow's "same": one more after than before.
    check<depthwise<10, 37, 1, along<10, 3, 1, 0, 1, 1>, along<37, 3, 1, 0, 1, 1>>>();
    check<depthwise<9, 35, 1, along<9, 3, 2, 0, 1, 1>, along<35, 3, 2, 0, 1, 1>>, relu>();
}
BOOST_AUTO_TEST_CASE(non_square_kernel_and_strides) {
    check<depthwise<9, 70, 1, along<9, 3, 2, 1>, along<70, 5, 1, 2>>>();
    check<depthwise<6, 21, 3, along<6, 1, 2>, along<21, 1, 2>>>();
}
BOOST_AUTO_TEST_CASE(stride_3_in_the_scalar_loop) {
    static_assert(!k::depthwise::detail::vectorizes(depthwise<13, 50, 1, along<13, 3, 3, 1>, along<50, 3, 3, 1>>));
    check<depthwise<13, 50, 1, along<13, 3, 3, 1>, along<50, 3, 3, 1>>>();
}
