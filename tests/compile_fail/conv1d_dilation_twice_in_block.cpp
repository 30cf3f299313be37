// Compile-fail case: conv1d inside a block given dilation twice.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1, 0>, typenet::conv1d<4, typenet::kernel<3>, typenet::dilation<2>, typenet::dilation<2> ?>, typenet::got<typenet::shape<4, 30> ?>, typenet::because<typenet::option_is_given_twice<typenet::dilation<2>, typenet::dilation<2> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: the same dilation twice is a slip too.
using net = network<input<2, 32>, conv1d<4, kernel<3>>, sequential<conv1d<4, kernel<3>, dilation<2>, dilation<2>>, relu>>;
#else
// The control: once.
using net = network<input<2, 32>, conv1d<4, kernel<3>>, sequential<conv1d<4, kernel<3>, dilation<2>>, relu>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
