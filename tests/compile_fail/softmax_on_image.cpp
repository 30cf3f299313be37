// Compile-fail case: softmax given a 3-D tensor.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::softmax, typenet::got<typenet::shape<10, 1, 1> ?>, typenet::expected<typenet::any_shape_of_rank<1> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: softmax on shape<10, 1, 1>.
using net = network<input<3, 8, 8>, conv2d<10, kernel<8>>, softmax>;
#else
// The control: flatten first.
using net = network<input<3, 8, 8>, conv2d<10, kernel<8>>, flatten, softmax>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
