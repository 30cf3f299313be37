// Compile-fail case: conv1d's kernel is longer than its signal.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv1d<4, typenet::kernel<17> ?>, typenet::got<typenet::shape<2, 16> ?>, typenet::because<typenet::kernel_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 17 taps on 16 values.
using net = network<input<2, 16>, conv1d<4, kernel<17>>>;
#else
// The control: padding makes 18.
using net = network<input<2, 16>, conv1d<4, kernel<17>, pad<1>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
