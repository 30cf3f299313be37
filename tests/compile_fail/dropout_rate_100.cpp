// Compile-fail case: dropout<100>: a rate of 100%.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::dropout<100(?:, 100)?>, typenet::got<typenet::shape<64> ?>, typenet::because<typenet::rate_must_be_in_0_to_1_excluding_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: p = 1.
using net = network<input<128>, dense<64>, dropout<100>, dense<10>>;
#else
// The control: p = 0.5.
using net = network<input<128>, dense<64>, dropout<50>, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
