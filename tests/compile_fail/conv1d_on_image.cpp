// Compile-fail case: conv1d given an image (rank 3) instead of a signal.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv1d<16, typenet::kernel<3> ?>, typenet::got<typenet::shape<3, 64, 64> ?>, typenet::expected<typenet::any_shape_of_rank<2> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: an image.
using net = network<input<3, 64, 64>, conv1d<16, kernel<3>>>;
#else
// The control: a signal.
using net = network<input<3, 64>, conv1d<16, kernel<3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
