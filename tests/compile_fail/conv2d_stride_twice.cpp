// Compile-fail case: conv2d given stride<2> and stride<1> (the first used to win silently).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<8, typenet::kernel<3>, typenet::stride<2>, typenet::pad<1>, typenet::stride<1> ?>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::option_is_given_twice<typenet::stride<2>, typenet::stride<1> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: two strides.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<2>, pad<1>, stride<1>>>;
#else
// The control: one.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<2>, pad<1>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
