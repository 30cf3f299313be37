// Compile-fail case: batch_norm1d (a signal's or a vector's) on an image, in the body of
// a residual block.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1, 0, 1>, typenet::batch_norm1d<>, typenet::got<typenet::shape<8, 6, 6> ?>, typenet::expected<typenet::any_shape_of_rank<2> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<8, 6, 6>, relu, residual<sequential<conv2d<8, kernel<3>, pad<1>, no_bias>, batch_norm1d<>>>>;
#else
using net = network<input<8, 6, 6>, relu, residual<sequential<conv2d<8, kernel<3>, pad<1>, no_bias>, batch_norm2d<>>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
