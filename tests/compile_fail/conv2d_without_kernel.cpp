// Compile-fail case: conv2d whose kernel<…> was forgotten: stride<2> stands where the kernel
// goes.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<8, typenet::stride<2> ?>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::is_not_an_option_of_this_layer<typenet::stride<2> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: no kernel<…>.
using net = network<input<3, 32, 32>, conv2d<8, stride<2>>>;
#else
// The control: kernel<3>.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<2>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
