// Compile-fail case: conv3d (a volume's) on an image shape<C, H, W>, two layers in.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::conv3d<8, typenet::kernel<3> ?>, typenet::got<typenet::shape<4, 14, 14> ?>, typenet::expected<typenet::any_shape_of_rank<4> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: the input is an image; a volume has a depth too.
using net = network<input<1, 16, 16>, conv2d<4, kernel<3>>, conv3d<8, kernel<3>>>;
#else
// The control: the same layers on a volume of 16 frames.
using net = network<input<1, 16, 16, 16>, conv3d<4, kernel<3>>, conv3d<8, kernel<3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
