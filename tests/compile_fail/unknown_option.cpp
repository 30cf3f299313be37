// Compile-fail case: conv2d given int as an option.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<8, typenet::kernel<3>, int>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::is_not_an_option_of_this_layer<int> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: int is no option.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, int>>;
#else
// The control: no_bias is one.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, no_bias>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
