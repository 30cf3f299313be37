// Tests typenet/kernels/winograd_conv2d.hpp against the reference loops, for every vector
// type this build has (portable always; AVX2 and AVX-512 when the flags allow), on odd
// shapes: odd output sizes (a last tile half outside), channels and filters that are not
// a multiple of the vector width, no padding, asymmetric padding, padding wider than the
// window reaches, one row of tiles, chunks cut mid-row, a fused ReLU, and a residual
// block's shortcut added before it.
#define BOOST_TEST_MODULE winograd_conv2d
#include <boost/test/unit_test.hpp>

#include <vector>

#include <typenet/kernels/winograd_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::geometry;
using kernel_cases::vector_types;
using typenet::detail::make_window;

// Runs the kernel over its tiles in uneven parts, as threads would: the first cut is not
// at a row of tiles nor at a chunk.
template <k::conv_geometry G, class V, class Epilogue = typenet::epilogue<>>
void compare() {
    static_assert(G.win.fault == typenet::detail::window_fault::none);
    using B = k::winograd::conv2d_blocking<G, V>;
    static_assert(B::feasible);
    kernel_cases::conv_case<G, Epilogue> c;
    std::vector<float> packed(B::packed_size);
    k::winograd::pack<G, V>(c.weight.data(), packed.data());
    constexpr long cut = B::tiles / 3 + 1;
    k::winograd::conv2d_tiles<G, V>(c.in.data(), packed.data(), c.bias, c.out.data(), 0, cut, c.epilogue());
    k::winograd::conv2d_tiles<G, V>(c.in.data(), packed.data(), c.bias, c.out.data(), cut, B::tiles, c.epilogue());
    kernel_cases::check_conv_output<G>(c.out, c.expected, V::name);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(odd_sizes_padding_1, V, vector_types) {
    compare<geometry<5, 13, 11, 7, 3, 3, 1, 1, 1, 1>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(no_padding_odd_output_no_bias, V, vector_types) {
    // 31 → 29: the last tile of each row and the last row of tiles are half outside.
    compare<geometry<6, 31, 31, 20, 3, 3, 1, 1, 0, 0, false>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(rows_wider_than_two_vectors_with_relu, V, vector_types) {
    compare<geometry<17, 9, 70, 33, 3, 3, 1, 1, 1, 1>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(shortcut_added_then_relu, V, vector_types) {
    // A basic block's second convolution: odd sizes, so runs of tiles masked at both ends.
    compare<geometry<17, 13, 29, 19, 3, 3, 1, 1, 1, 1>, V, kernel_cases::adding_then_relu>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(padding_2_reaches_past_every_tap, V, vector_types) {
    compare<geometry<3, 5, 6, 4, 3, 3, 1, 1, 2, 2>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(one_row_of_tiles, V, vector_types) {
    compare<geometry<4, 3, 40, 9, 3, 3, 1, 1, 0, 1>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(asymmetric_padding, V, vector_types) {
    // TensorFlow's "same" with an even size: pads one more after than before.
    constexpr k::conv_geometry g{6, 17,
                                 make_window(false, 16, 14, std::array{3, 3}, std::array{1}, std::array{1},
                                             std::array{0, 1, 0, 1}, false, false)};
    compare<g, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(second_convolution_of_the_keras_example, V, vector_types) {
    compare<geometry<32, 31, 31, 64, 3, 3, 1, 1, 0, 0>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(big_conv_of_the_benchmark, V, vector_types) {
    compare<geometry<64, 56, 56, 64, 3, 3, 1, 1, 1, 1>, V>();
}

// conv2d takes this kernel for many channels and filters only, and where it fits.
using native = k::simd::native;
static_assert(k::winograd::prefer<geometry<64, 56, 56, 64, 3, 3, 1, 1, 1, 1>, native>);
static_assert(k::winograd::prefer<geometry<32, 31, 31, 64, 3, 3, 1, 1, 0, 0>, native>);
static_assert(!k::winograd::prefer<geometry<3, 64, 64, 32, 3, 3, 1, 1, 0, 0>, native>);   // 3 channels
static_assert(!k::winograd::prefer<geometry<64, 56, 56, 64, 3, 3, 2, 1, 1, 1>, native>);  // stride 2
static_assert(!k::winograd::prefer<geometry<64, 56, 56, 64, 5, 5, 1, 1, 2, 2>, native>);  // 5x5
static_assert(!k::winograd::prefer<geometry<64, 56, 56, 64, 3, 3, 1, 2, 2, 2>, native>);  // dilation 2
