// Compile-fail case: max_pool given exclude_padding, an option of avg_pool only.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::max_pool<3, typenet::stride<2>, typenet::pad<1>, typenet::exclude_padding>, typenet::got<typenet::shape<3, 32, 32> ?>, typenet::because<typenet::is_not_an_option_of_this_layer<typenet::exclude_padding> ?> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: max_pool.
using net = network<input<3, 32, 32>, max_pool<3, stride<2>, pad<1>, exclude_padding>>;
#else
// The control: avg_pool.
using net = network<input<3, 32, 32>, avg_pool<3, stride<2>, pad<1>, exclude_padding>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
