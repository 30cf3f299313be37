// Compile-fail case: conv2d with 0 filters.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<0, typenet::kernel<3> ?>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::filters_must_be_at_least_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 0 filters.
using net = network<input<3, 32, 32>, conv2d<0, kernel<3>>>;
#else
// The control: 8 filters.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
