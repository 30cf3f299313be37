// Compile-fail case: a rectangular window (width<…>) on a signal, which has one axis.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::max_pool<2, typenet::width<3> ?>, typenet::got<typenet::shape<4, 30> ?>, typenet::because<typenet::kernel_takes_1_size_for_a_signal> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<2, 32>, conv1d<4, kernel<3>>, max_pool<2, width<3>>, flatten, dense<3>>;
#else
using net = network<input<2, 32>, conv1d<4, kernel<3>>, max_pool<2>, flatten, dense<3>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
