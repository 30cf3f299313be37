// Compile-fail case: conv2d given a vector (rank 1) by flatten.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::conv2d<4, typenet::kernel<3> ?>, typenet::got<typenet::shape<192> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: flatten before conv2d.
using net = network<input<3, 8, 8>, flatten, conv2d<4, kernel<3>>>;
#else
// The control: flatten after it.
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>, flatten>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
