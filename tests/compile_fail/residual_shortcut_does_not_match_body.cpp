// Compile-fail case: a residual block whose body halves the image and doubles the channels,
// with the identity as its shortcut.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::residual<.*>, typenet::got<typenet::shape<4, 8, 8> ?>, typenet::because<typenet::shortcut_output_differs_from_body_output<typenet::body_output<typenet::shape<8, 4, 4> ?>, typenet::shortcut_output<typenet::shape<4, 8, 8> ?> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

using body = sequential<conv2d<8, kernel<3>, stride<2>, pad<1>>, relu, conv2d<8, kernel<3>, pad<1>>>;
#ifdef TYPENET_COMPILE_FAIL
// Wrong: the identity cannot be added to an output of another shape.
using net = network<input<4, 8, 8>, conv2d<4, kernel<1>>, residual<body>, relu>;
#else
// The control: a projection shortcut of the body's shape.
using net = network<input<4, 8, 8>, conv2d<4, kernel<1>>, residual<body, conv2d<8, kernel<1>, stride<2>>>, relu>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
