// Compile-fail case: avg_pool padded so much that its first window reads only padding.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<0>, typenet::avg_pool<3, typenet::stride<1>, typenet::pad<3> ?>, typenet::got<typenet::shape<3, 16, 16> ?>, typenet::because<typenet::padding_leaves_a_window_without_input> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: pad 3 on a 3-wide window: the first window reads the 3 padded columns only.
using net = network<input<3, 16, 16>, avg_pool<3, stride<1>, pad<3>>>;
#else
// The control: pad 2, more than PyTorch's half window, as ONNX allows.
using net = network<input<3, 16, 16>, avg_pool<3, stride<1>, pad<2>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
