// Compile-fail case: conv_transpose2d with an output padding as large as its stride.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::conv_transpose2d<3, typenet::kernel<3>, typenet::stride<2>, typenet::pad<1>, typenet::output_padding<2> ?>, typenet::got<typenet::shape<8, 16, 16> ?>, typenet::because<typenet::output_padding_must_be_smaller_than_stride_or_dilation> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: output padding 2 with stride 2 (and dilation 1) would add rows no window reaches.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<2>, pad<1>>,
                    conv_transpose2d<3, kernel<3>, stride<2>, pad<1>, output_padding<2>>>;
#else
// The control: output padding 1 gives back 32×32.
using net = network<input<3, 32, 32>, conv2d<8, kernel<3>, stride<2>, pad<1>>,
                    conv_transpose2d<3, kernel<3>, stride<2>, pad<1>, output_padding<1>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
