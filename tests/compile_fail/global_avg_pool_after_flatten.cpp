// Compile-fail case: a global pool after flatten, which has made the image a vector.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<3>, typenet::global_avg_pool, typenet::got<typenet::shape<512> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: flatten first.
using net = network<input<3, 8, 8>, conv2d<8, kernel<3>, pad<1>>, relu, flatten, global_avg_pool, dense<10>>;
#else
// The control: pool the image, then flatten.
using net = network<input<3, 8, 8>, conv2d<8, kernel<3>, pad<1>>, relu, global_avg_pool, flatten, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
