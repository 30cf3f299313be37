// Compile-fail case: conv2d's kernel is larger than its input, three layers in.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<3>, typenet::conv2d<32, typenet::kernel<9> ?>, typenet::got<typenet::shape<16, 7, 7> ?>, typenet::because<typenet::kernel_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: a 9x9 kernel on a 7x7 input.
using net = network<input<3, 16, 16>, conv2d<16, kernel<3>>, relu, max_pool<2>,
                    conv2d<32, kernel<9>>>;
#else
// The control: a 5x5 kernel fits.
using net = network<input<3, 16, 16>, conv2d<16, kernel<3>>, relu, max_pool<2>,
                    conv2d<32, kernel<5>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
