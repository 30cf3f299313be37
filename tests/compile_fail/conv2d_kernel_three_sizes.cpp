// Compile-fail case: kernel<1, 2, 3>: three sizes for a 2-D kernel.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<4, typenet::kernel<1, 2, 3> ?>, typenet::got<typenet::shape<3, 8, 8> ?>, typenet::because<typenet::kernel_takes_1_or_2_sizes> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: three sizes.
using net = network<input<3, 8, 8>, conv2d<4, kernel<1, 2, 3>>>;
#else
// The control: height and width.
using net = network<input<3, 8, 8>, conv2d<4, kernel<1, 3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
