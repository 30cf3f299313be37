// Compile-fail case: LeNet-5 whose second convolution's kernel is larger than its input.
// Its diagnostic is the yardstick of resnet50_block_without_projection.cpp's length.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<3>, typenet::conv2d<16, typenet::kernel<15> ?>, typenet::got<typenet::shape<6, 14, 14> ?>, typenet::because<typenet::kernel_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: a 15x15 kernel on a 14x14 input.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>, conv2d<16, kernel<15>>, relu,
                    max_pool<2>, flatten, dense<120>, relu, dense<84>, relu, dense<10>>;
#else
// The control: LeNet-5's 5x5 kernel.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>, conv2d<16, kernel<5>>, relu,
                    max_pool<2>, flatten, dense<120>, relu, dense<84>, relu, dense<10>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
