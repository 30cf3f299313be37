// Compile-fail case: a 2-D depthwise convolution on a signal.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::depthwise_conv2d<typenet::kernel<3>, typenet::pad<1> ?>, typenet::got<typenet::shape<8, 40> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<2, 40>, conv1d<8, kernel<3>, pad<1>>, depthwise_conv2d<kernel<3>, pad<1>>>;
#else
using net = network<input<2, 40>, conv1d<8, kernel<3>, pad<1>>, depthwise_conv1d<kernel<3>, pad<1>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
