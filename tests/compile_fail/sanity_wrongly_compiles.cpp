// Sanity case for the harness: here the "wrong" network is in fact right, so the file
// compiles with TYPENET_COMPILE_FAIL. check.py must notice and exit 1; meson registers this
// case with should_fail: true, so the suite passes only if the checker does notice. A typo
// here (a control that does not compile) makes check.py exit 99, which meson reports as
// ERROR even for a should_fail test: this case cannot pass by accident.
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::conv2d<4, typenet::kernel<3> ?>, typenet::got<typenet::shape<3, 8, 8> ?>, typenet::because<typenet::kernel_is_larger_than_the_padded_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// "Wrong", and yet it fits: a 3x3 kernel on an 8x8 input.
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>>;
#else
// The control.
using net = network<input<3, 8, 8>, conv2d<4, kernel<5>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
