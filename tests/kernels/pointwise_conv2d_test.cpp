// Tests typenet/kernels/pointwise_conv2d.hpp against the reference loops, for every vector
// type this build has, on odd shapes: filters and columns that fill no block of the
// product, a sum longer than one strip (so that only its last part is finished), no bias,
// a fused ReLU, a residual block's shortcut added before it, and the columns split
// between two calls mid-strip, as threads split them.
#define BOOST_TEST_MODULE pointwise_conv2d
#include <boost/test/unit_test.hpp>

#include <typenet/kernels/pointwise_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::geometry;
using kernel_cases::vector_types;

template <k::conv_geometry G, class V, class Epilogue = typenet::epilogue<>>
void compare() {
    kernel_cases::conv_case<G, Epilogue> c;
    constexpr long columns = G.out_h() * G.out_w(), cut = columns / 3 + 1;
    k::pointwise::conv2d_columns<G, V>(c.in.data(), c.weight.data(), c.bias, c.out.data(), 0, cut, c.epilogue());
    k::pointwise::conv2d_columns<G, V>(c.in.data(), c.weight.data(), c.bias, c.out.data(), cut, columns,
                                       c.epilogue());
    kernel_cases::check_conv_output<G>(c.out, c.expected, V::name);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(odd_sizes, V, vector_types) {
    compare<geometry<5, 13, 11, 7, 1, 1, 1, 1, 0, 0>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(sum_longer_than_a_strip_no_bias_with_relu, V, vector_types) {
    // 700 channels: two or more parts of the sum on every vector type.
    compare<geometry<700, 3, 5, 9, 1, 1, 1, 1, 0, 0, false>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(shortcut_added_then_relu, V, vector_types) {
    // A bottleneck's last convolution: 1×1, its shortcut added, then ReLU.
    compare<geometry<64, 7, 9, 33, 1, 1, 1, 1, 0, 0>, V, kernel_cases::adding_then_relu>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(long_sum_with_shortcut, V, vector_types) {
    compare<geometry<515, 2, 30, 6, 1, 1, 1, 1, 0, 0>, V, kernel_cases::adding_then_relu>();
}

// conv2d takes this kernel for 1×1 convolutions with stride 1, no padding and 48 channels
// or more, on AVX2 only (where it was measured faster).
static_assert(k::pointwise::fits<geometry<64, 56, 56, 256, 1, 1, 1, 1, 0, 0>>);
static_assert(!k::pointwise::fits<geometry<64, 56, 56, 256, 1, 1, 2, 1, 0, 0>>);  // stride 2
static_assert(!k::pointwise::fits<geometry<64, 56, 56, 256, 1, 1, 1, 1, 1, 1>>);  // padding
static_assert(!k::pointwise::fits<geometry<64, 56, 56, 256, 3, 3, 1, 1, 1, 1>>);  // 3×3
static_assert(!k::pointwise::prefer<geometry<24, 56, 56, 144, 1, 1, 1, 1, 0, 0>, k::simd::vec<k::simd::isa::portable>>);
#if defined(__AVX2__) && defined(__FMA__)
static_assert(k::pointwise::prefer<geometry<64, 56, 56, 256, 1, 1, 1, 1, 0, 0>, k::simd::vec<k::simd::isa::avx2>>);
static_assert(!k::pointwise::prefer<geometry<24, 56, 56, 144, 1, 1, 1, 1, 0, 0>, k::simd::vec<k::simd::isa::avx2>>);
#endif
