// Compile-fail case: prelu with a slope count that is neither 1 nor the input's channels.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::prelu<16(UL)?>, typenet::got<typenet::shape<8, 30, 30> ?>, typenet::because<typenet::prelu_takes_1_parameter_or_1_per_channel> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 16 slopes after a convolution of 8 filters.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>>, prelu<16>>;
#else
// The control: one slope per channel.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>>, prelu<8>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
