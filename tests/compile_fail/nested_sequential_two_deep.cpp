// Compile-fail case: an error two blocks deep, reported as layer<0, 1, 2>.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0, 1, 2>, typenet::conv2d<8, typenet::kernel<3> ?>, typenet::got<typenet::shape<1568> ?>, typenet::expected<typenet::any_shape_of_rank<3> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: conv2d after flatten.
using net = network<input<3, 16, 16>,
                    sequential<conv2d<8, kernel<3>>, sequential<relu, flatten, conv2d<8, kernel<3>>>>>;
#else
// The control: flatten last.
using net = network<input<3, 16, 16>,
                    sequential<conv2d<8, kernel<3>>, sequential<relu, conv2d<8, kernel<3>>, flatten>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
