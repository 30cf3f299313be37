// Compile-fail case: dense<0>.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2>, typenet::dense<0>, typenet::got<typenet::shape<128> ?>, typenet::because<typenet::units_must_be_at_least_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 0 units.
using net = network<input<784>, dense<128>, relu, dense<0>>;
#else
// The control: 10 units.
using net = network<input<784>, dense<128>, relu, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
