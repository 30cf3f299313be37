// Compile-fail case: an adaptive pool given a height and a width for a signal.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::adaptive_max_pool<2, 4>, typenet::got<typenet::shape<4, 30> ?>, typenet::because<typenet::output_size_takes_1_value_for_a_signal> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<2, 32>, conv1d<4, kernel<3>>, adaptive_max_pool<2, 4>, flatten, dense<3>>;
#else
using net = network<input<2, 32>, conv1d<4, kernel<3>>, adaptive_max_pool<4>, flatten, dense<3>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
