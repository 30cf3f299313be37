// Compile-fail case: batch_norm2d, which normalizes the channels of an image, on the
// vector a flatten made, inside a block.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2, 1>, typenet::batch_norm2d<>, typenet::got<typenet::shape<128> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<3, 8, 8>, conv2d<8, kernel<3>, pad<1>>, max_pool<2>,
                    sequential<flatten, batch_norm2d<>, dense<10>>>;
#else
using net = network<input<3, 8, 8>, conv2d<8, kernel<3>, pad<1>>, max_pool<2>,
                    sequential<flatten, batch_norm1d<>, dense<10>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
