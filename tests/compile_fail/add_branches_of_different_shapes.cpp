// Compile-fail case: branches to add whose outputs differ in shape (the third is strided).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<1>, typenet::add<.*>, typenet::got<typenet::shape<4, 8, 8> ?>, typenet::because<typenet::added_branches_differ_in_shape<typenet::branch_output<0, typenet::shape<4, 8, 8> ?>, typenet::branch_output<2, typenet::shape<4, 4, 4> ?> ?> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
using third = conv2d<4, kernel<3>, stride<2>, pad<1>>;
#else
using third = conv2d<4, kernel<3>, pad<1>>;
#endif
using net = network<input<2, 8, 8>, conv2d<4, kernel<1>>, add<identity, conv2d<4, kernel<1>>, third>, relu>;

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
