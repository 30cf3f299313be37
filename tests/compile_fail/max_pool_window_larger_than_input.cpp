// Compile-fail case: max_pool's window is larger than its input.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::max_pool<16>, typenet::got<typenet::shape<8, 8, 8> ?>, typenet::because<typenet::window_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: a 16x16 window on 8x8.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<4>>, max_pool<16>>;
#else
// The control: a 2x2 window.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<4>>, max_pool<2>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
