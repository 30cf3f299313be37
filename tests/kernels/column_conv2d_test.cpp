// Tests typenet/kernels/column_conv2d.hpp against the reference loops, for every vector
// type this build has (portable always; AVX2 and AVX-512 when the flags allow), on odd
// shapes: widths that are not a multiple of the vector width or narrower than one vector,
// filters, rows and columns that leave a smaller last block, 1×1 and 7×7 kernels, stride
// 2 in height, dilation 2, symmetric and asymmetric padding, no bias, signals, a fused ReLU,
// and a residual block's shortcut added before it.
#define BOOST_TEST_MODULE column_conv2d
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <typenet/kernels/column_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::geometry;
using kernel_cases::vector_types;
using typenet::detail::make_window;

// Columns must be neighbours in the input: a stride along the width is not a vector load.
static_assert(k::columns::fits<geometry<3, 13, 11, 5, 3, 3, 1, 1, 1, 1>>);
static_assert(!k::columns::fits<geometry<3, 13, 11, 5, 3, 3, 2, 1, 1, 1>>);
static_assert(!k::columns::prefer_columns<geometry<3, 13, 11, 5, 3, 3, 2, 1, 1, 1>, kernel_cases::simd::native>);
#if defined(__AVX512F__)
// What the rule chooses for the convolutions of bench/PROTOCOL.md, as measured there
// (one core, both kernels with their per-call preparation).
using avx512 = kernel_cases::simd::vec<kernel_cases::simd::isa::avx512>;
static_assert(k::columns::prefer_columns<geometry<1, 28, 28, 6, 5, 5, 1, 1, 2, 2>, avx512>);    // LeNet-5 conv1: 3.4×
static_assert(k::columns::prefer_columns<geometry<3, 64, 64, 32, 3, 3, 1, 1, 0, 0>, avx512>);   // W1 conv1: 1.9×
static_assert(!k::columns::prefer_columns<geometry<6, 14, 14, 16, 5, 5, 1, 1, 0, 0>, avx512>);  // LeNet-5 conv2: 0.86×
static_assert(!k::columns::prefer_columns<geometry<64, 56, 56, 64, 3, 3, 1, 1, 1, 1>, avx512>); // W3: 0.89×
#endif

// C channels of H×W (W = 40 unless given), F filters of K×K, stride S in height only,
// padding P0 above, P1 below, P2 left and P3 right.
template <long C, long H, long F, int K, int S, int P0, int P1, int P2, int P3, long W = 40>
constexpr k::conv_geometry padded_geometry{
    C, F, make_window(false, H, W, std::array{K}, std::array{S, 1}, std::array{1}, std::array{P0, P1, P2, P3}, false,
                      false)};

// Runs the kernel over its work units in two uneven parts, as two threads would.
template <k::conv_geometry G, class V, class Epilogue = typenet::epilogue<>>
void compare() {
    static_assert(G.win.fault == typenet::detail::window_fault::none);
    kernel_cases::conv_case<G, Epilogue> c;
    // NaN in the buffer shows any value the kernel reads but pad_input did not write.
    std::vector<float> padded(k::columns::conv2d_blocking<G, V>::padded_size, NAN);
    k::columns::pad_input<G, V>(c.in.data(), padded.data());
    constexpr long units = k::columns::conv2d_row_count<G, V>;
    k::columns::conv2d_rows<G, V>(padded.data(), c.weight.data(), c.bias, c.out.data(), 0, units / 3, c.epilogue());
    k::columns::conv2d_rows<G, V>(padded.data(), c.weight.data(), c.bias, c.out.data(), units / 3, units,
                                  c.epilogue());
    kernel_cases::check_conv_output<G>(c.out, c.expected, V::name);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(three_by_three_odd_sizes, V, vector_types) {
    compare<geometry<3, 13, 11, 5, 3, 3, 1, 1, 1, 1>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(narrower_than_a_vector, V, vector_types) {
    compare<geometry<2, 6, 3, 7, 3, 3, 1, 1, 0, 0>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(one_by_one, V, vector_types) { compare<geometry<7, 9, 10, 3, 1, 1, 1, 1, 0, 0>, V>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(one_by_one_shortcut_added_then_relu, V, vector_types) {
    // A bottleneck's last convolution: rows of 19, so tails of every vector width.
    compare<geometry<9, 11, 19, 13, 1, 1, 1, 1, 0, 0>, V, kernel_cases::adding_then_relu>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(seven_by_seven_stride_2_in_height, V, vector_types) {
    compare<padded_geometry<2, 17, 20, 7, 2, 3, 3, 3, 3, 19>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(dilation_2_no_bias, V, vector_types) {
    compare<geometry<3, 12, 12, 33, 3, 3, 1, 2, 2, 2, false>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(non_square_kernel, V, vector_types) {
    compare<geometry<2, 8, 15, 3, 2, 5, 1, 1, 0, 2>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(asymmetric_padding, V, vector_types) {
    compare<padded_geometry<4, 11, 9, 3, 1, 2, 0, 0, 1>, V>();
    compare<padded_geometry<4, 11, 9, 3, 1, 0, 1, 2, 0, 37>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(stride_2_asymmetric_padding, V, vector_types) {
    // TensorFlow's "same" with stride 2 on an even size pads one more after than before.
    compare<padded_geometry<6, 16, 17, 3, 2, 0, 1, 1, 1, 14>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(lenet_conv1_with_relu, V, vector_types) {
    compare<geometry<1, 28, 28, 6, 5, 5, 1, 1, 2, 2>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(many_filters_in_uneven_blocks_with_relu, V, vector_types) {
    compare<geometry<3, 30, 62, 37, 3, 3, 1, 1, 0, 0>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(wide_rows_in_uneven_tiles, V, vector_types) {
    compare<geometry<2, 9, 102, 10, 3, 3, 1, 1, 0, 0>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(signal, V, vector_types) {
    constexpr k::conv_geometry g{3, 4,
                                 make_window(true, 1, 37, std::array{5}, std::array{1}, std::array{2}, std::array{2, 1},
                                             false, false)};
    compare<g, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(long_signal, V, vector_types) {
    constexpr k::conv_geometry g{1, 8,
                                 make_window(true, 1, 1000, std::array{3}, std::array{1}, std::array{1}, std::array{0},
                                             false, false)};
    compare<g, V>();
}
