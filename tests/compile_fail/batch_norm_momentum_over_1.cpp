// Compile-fail case: a batch norm momentum of 3/2, which would give a new batch more
// than all of the running statistics' weight.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::batch_norm2d<typenet::momentum<3, 2> ?>, typenet::got<typenet::shape<4, 6, 6> ?>, typenet::because<typenet::momentum_must_be_in_0_to_1> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>, batch_norm2d<momentum<3, 2>>>;
#else
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>, batch_norm2d<momentum<3, 20>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
