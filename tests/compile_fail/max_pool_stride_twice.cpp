// Compile-fail case: max_pool given two strides.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::max_pool<3, typenet::stride<2>, typenet::stride<3> ?>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::option_is_given_twice<typenet::stride<2>, typenet::stride<3> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: two strides.
using net = network<input<3, 32, 32>, max_pool<3, stride<2>, stride<3>>>;
#else
// The control: one.
using net = network<input<3, 32, 32>, max_pool<3, stride<2>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
