// Compile-fail case: dense given an image (rank 3): the flatten before it is missing.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2>, typenet::dense<10>, typenet::got<typenet::shape<4, 24, 24> ?>, typenet::expected<typenet::any_shape_of_rank<1> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: no flatten.
using net = network<input<1, 28, 28>, conv2d<4, kernel<5>>, relu, dense<10>>;
#else
// The control: flatten.
using net = network<input<1, 28, 28>, conv2d<4, kernel<5>>, relu, flatten, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
