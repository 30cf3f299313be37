// Compile-fail case: a network whose first argument is not input<…> (here shape<…>).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: a network starts with its input shape
// expect-error: is_input<typenet::shape<3, 8, 8> ?>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: shape<…>.
using net = network<shape<3, 8, 8>, conv2d<4, kernel<3>>>;
#else
// The control: input<…>.
using net = network<input<3, 8, 8>, conv2d<4, kernel<3>>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
