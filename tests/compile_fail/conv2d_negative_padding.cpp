// Compile-fail case: conv2d with negative padding.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<6, typenet::kernel<5>, typenet::pad<-2> ?>, typenet::got<typenet::shape<1, 28, 28> ?>, typenet::because<typenet::padding_must_not_be_negative> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: padding -2.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<-2>>, relu>;
#else
// The control: padding 2.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
