// Compile-fail case: leaky_relu<1, 0>: a slope of 1/0.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::leaky_relu<1, 0>, typenet::got<typenet::shape<8> ?>, typenet::because<typenet::slope_denominator_must_not_be_0> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: slope 1/0.
using net = network<input<16>, dense<8>, leaky_relu<1, 0>>;
#else
// The control: slope 1/5.
using net = network<input<16>, dense<8>, leaky_relu<1, 5>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
