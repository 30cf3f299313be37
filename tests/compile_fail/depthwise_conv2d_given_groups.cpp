// Compile-fail case: a depthwise convolution given groups, which it sets itself.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::depthwise_conv2d<typenet::kernel<3>, typenet::groups<2> ?>, typenet::got<typenet::shape<4, 10, 10> ?>, typenet::because<typenet::is_not_an_option_of_this_layer<typenet::groups<2> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<4, 10, 10>, depthwise_conv2d<kernel<3>, groups<2>>>;
#else
using net = network<input<4, 10, 10>, depthwise_conv2d<kernel<3>, multiplier<2>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
