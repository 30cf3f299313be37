// Compile-fail case: max_pool3d's window is deeper than its input, three layers in.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2>, typenet::max_pool3d<4 ?>, typenet::got<typenet::shape<8, 2, 12, 12> ?>, typenet::because<typenet::window_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: a 4x4x4 window on 2 frames of 12x12.
using net = network<input<3, 4, 14, 14>, conv3d<8, kernel<3>>, relu, max_pool3d<4>>;
#else
// The control: a 2x2x2 window fits.
using net = network<input<3, 4, 14, 14>, conv3d<8, kernel<3>>, relu, max_pool3d<2>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
