// Compile-fail case: conv2d with dilation<0>, after two layers.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2>, typenet::conv2d<8, typenet::kernel<3>, typenet::dilation<0> ?>, typenet::got<typenet::shape<8, 30, 30> ?>, typenet::because<typenet::dilation_must_be_at_least_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: dilation 0.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>>, relu,
                    conv2d<8, kernel<3>, dilation<0>>>;
#else
// The control: dilation 2.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>>, relu,
                    conv2d<8, kernel<3>, dilation<2>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
