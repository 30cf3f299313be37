// Compile-fail case: input<3, 0, 8>: an input with a zero dimension (followed by a conv2d, which
// must add no second error).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: every dimension of input<\.\.\.> must be at least 1
// expect-error: input_dimensions_are_at_least_1<typenet::input<3, 0, 8> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: height 0.
using net = network<input<3, 0, 8>, conv2d<4, kernel<3>>>;
#else
// The control: height 8.
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
