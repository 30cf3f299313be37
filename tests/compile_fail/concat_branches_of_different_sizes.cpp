// Compile-fail case: an Inception-like block (layer<1, 1>: the second layer of the block
// at 1) whose third branch forgets the padding of its 5×5 convolution, so that its output
// is smaller than the others'.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1, 1>, typenet::concat<.*>, typenet::got<typenet::shape<8, 12, 12> ?>, typenet::because<typenet::concatenated_branches_differ_beyond_channels<typenet::branch_output<0, typenet::shape<4, 12, 12> ?>, typenet::branch_output<2, typenet::shape<2, 8, 8> ?> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: conv2d<2, kernel<5>> without pad<2> makes 12×12 into 8×8.
using third = sequential<conv2d<2, kernel<1>>, relu, conv2d<2, kernel<5>>>;
#else
// The control: padded, it keeps 12×12.
using third = sequential<conv2d<2, kernel<1>>, relu, conv2d<2, kernel<5>, pad<2>>>;
#endif
using inception = concat<conv2d<4, kernel<1>>, sequential<conv2d<3, kernel<1>>, relu, conv2d<4, kernel<3>, pad<1>>>, third,
                         sequential<max_pool<3, stride<1>, pad<1>>, conv2d<2, kernel<1>>>>;
using net = network<input<3, 24, 24>, conv2d<8, kernel<3>, pad<1>>, sequential<max_pool<2>, inception, relu>, flatten, dense<10>>;

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
