// Compile-fail case: an adaptive pool to an output of width 0.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0, 1>, typenet::adaptive_avg_pool<7, 0>, typenet::got<typenet::shape<3, 16, 16> ?>, typenet::because<typenet::output_size_must_be_at_least_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<3, 16, 16>, sequential<relu, adaptive_avg_pool<7, 0>>, flatten, dense<3>>;
#else
using net = network<input<3, 16, 16>, sequential<relu, adaptive_avg_pool<7, 1>>, flatten, dense<3>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
