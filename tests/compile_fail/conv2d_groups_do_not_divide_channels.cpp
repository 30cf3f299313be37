// Compile-fail case: a grouped convolution whose groups do not divide its input's channels.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1, 0>, typenet::conv2d<12, typenet::kernel<3>, typenet::pad<1>, typenet::groups<4> ?>, typenet::got<typenet::shape<6, 16, 16> ?>, typenet::because<typenet::groups_must_divide_the_channels> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 6 channels in 4 groups.
using net = network<input<3, 16, 16>, conv2d<6, kernel<3>, pad<1>>, sequential<conv2d<12, kernel<3>, pad<1>, groups<4>>, relu>>;
#else
// The control: 6 channels in 3 groups of 2, 12 filters in 3 groups of 4.
using net = network<input<3, 16, 16>, conv2d<6, kernel<3>, pad<1>>, sequential<conv2d<12, kernel<3>, pad<1>, groups<3>>, relu>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
