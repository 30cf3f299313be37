// Compile-fail case: a grouped transposed convolution whose groups do not divide its
// input's channels.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv_transpose2d<8, typenet::kernel<4>, typenet::stride<2>, typenet::pad<1>, typenet::groups<4> ?>, typenet::got<typenet::shape<6, 8, 8> ?>, typenet::because<typenet::groups_must_divide_the_channels> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 6 channels in 4 groups.
using net = network<input<6, 8, 8>, conv_transpose2d<8, kernel<4>, stride<2>, pad<1>, groups<4>>, relu>;
#else
// The control: 6 channels in 2 groups of 3, 8 filters in 2 groups of 4.
using net = network<input<6, 8, 8>, conv_transpose2d<8, kernel<4>, stride<2>, pad<1>, groups<2>>, relu>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
