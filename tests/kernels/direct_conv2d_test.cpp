// Tests typenet/kernels/direct_conv2d.hpp against the reference loops, for every vector
// type this build has (portable always; AVX2 and AVX-512 when the flags allow), on odd
// shapes: filters and widths that are not a multiple of the vector width, 1×1 and 7×7
// kernels, stride 2, dilation 2, asymmetric padding, a signal, a fused ReLU, and a
// residual block's shortcut added before it.
#define BOOST_TEST_MODULE direct_conv2d
#include <boost/test/unit_test.hpp>

#include <vector>

#include <typenet/kernels/direct_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::geometry;
using kernel_cases::vector_types;
using typenet::detail::make_window;

// Runs the kernel over its rows in two uneven parts, as two threads would.
template <k::conv_geometry G, class V, class Epilogue = typenet::epilogue<>>
void compare() {
    static_assert(G.win.fault == typenet::detail::window_fault::none);
    kernel_cases::conv_case<G, Epilogue> c;
    std::vector<float> packed(k::direct::conv2d_blocking<G, V>::packed_size);
    k::direct::pack<G, V>(c.weight.data(), c.bias, packed.data());
    constexpr long rows = k::direct::conv2d_row_count<G, V>;
    k::direct::conv2d_rows<G, V>(c.in.data(), packed.data(), c.out.data(), 0, rows / 3, c.epilogue());
    k::direct::conv2d_rows<G, V>(c.in.data(), packed.data(), c.out.data(), rows / 3, rows, c.epilogue());
    kernel_cases::check_conv_output<G>(c.out, c.expected, V::name);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(three_by_three_odd_sizes, V, vector_types) {
    compare<geometry<3, 13, 11, 5, 3, 3, 1, 1, 1, 1>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(one_by_one, V, vector_types) { compare<geometry<7, 9, 10, 3, 1, 1, 1, 1, 0, 0>, V>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(seven_by_seven_stride_2, V, vector_types) {
    compare<geometry<2, 17, 19, 20, 7, 7, 2, 1, 3, 3>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(dilation_2_no_bias, V, vector_types) {
    compare<geometry<3, 12, 12, 33, 3, 3, 1, 2, 2, 2, false>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(non_square_kernel, V, vector_types) {
    compare<geometry<2, 8, 15, 3, 2, 5, 1, 1, 0, 2>, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(filters_in_three_vectors_with_relu, V, vector_types) {
    compare<geometry<5, 9, 23, 48, 3, 3, 1, 1, 1, 1>, V, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(shortcut_added_then_relu_stride_2, V, vector_types) {
    // A projection's output added as the filters are transposed out, past a vector's end.
    compare<geometry<5, 15, 23, 21, 3, 3, 2, 1, 1, 1>, V, kernel_cases::adding_then_relu>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(stride_2_asymmetric_padding, V, vector_types) {
    // TensorFlow's "same" with stride 2 on an even size pads one more after than before.
    constexpr k::conv_geometry g{6, 17,
                                 make_window(false, 16, 14, std::array{3, 3}, std::array{2}, std::array{1},
                                             std::array{0, 1, 0, 1}, false, false)};
    compare<g, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(signal, V, vector_types) {
    constexpr k::conv_geometry g{3, 4,
                                 make_window(true, 1, 37, std::array{5}, std::array{2}, std::array{1}, std::array{2, 1},
                                             false, false)};
    compare<g, V>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(big_conv_of_the_benchmark, V, vector_types) {
    compare<geometry<64, 56, 56, 64, 3, 3, 1, 1, 1, 1>, V>();
}
