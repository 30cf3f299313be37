// Compile-fail case: an error inside a sequential<…> block, reported with its path layer<2, 1>.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<2, 1>, typenet::conv2d<16, typenet::kernel<13> ?>, typenet::got<typenet::shape<8, 12, 12> ?>, typenet::because<typenet::kernel_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: a 13x13 kernel on 12x12.
using net = network<input<1, 28, 28>, conv2d<8, kernel<5>>, relu,
                    sequential<max_pool<2>, conv2d<16, kernel<13>>, relu>, flatten, dense<10>>;
#else
// The control: a 5x5 kernel.
using net = network<input<1, 28, 28>, conv2d<8, kernel<5>>, relu,
                    sequential<max_pool<2>, conv2d<16, kernel<5>>, relu>, flatten, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
