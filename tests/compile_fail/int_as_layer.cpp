// Compile-fail case: int written where a layer goes.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, int, typenet::got<typenet::shape<3, 8, 8> ?>, typenet::because<typenet::is_not_a_typenet_layer> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: int.
using net = network<input<3, 8, 8>, relu, int>;
#else
// The control: a layer.
using net = network<input<3, 8, 8>, relu, sigmoid>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
