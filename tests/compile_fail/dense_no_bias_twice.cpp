// Compile-fail case: dense given no_bias twice.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2>, typenet::dense<10, typenet::no_bias, typenet::no_bias>, typenet::got<typenet::shape<128> ?>, typenet::because<typenet::option_is_given_twice<typenet::no_bias, typenet::no_bias> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: no_bias twice.
using net = network<input<784>, dense<128>, relu, dense<10, no_bias, no_bias>>;
#else
// The control: once.
using net = network<input<784>, dense<128>, relu, dense<10, no_bias>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
