// Compile-fail case: zero_pad on a vector, which has no spatial axes to pad.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::zero_pad<1 ?>, typenet::got<typenet::shape<48> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: padding after the flatten.
using net = network<input<3, 4, 4>, flatten, zero_pad<1>>;
#else
// The control: padding before it.
using net = network<input<3, 4, 4>, zero_pad<1>, flatten>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
