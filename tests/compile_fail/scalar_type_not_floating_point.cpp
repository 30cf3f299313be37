// Compile-fail case: basic_network<int, …>: the scalar type must be float or double.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: the scalar type of a network must be float or double
// expect-error: is_floating_point_v<int>
#include <cstddef>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: int.
using net = basic_network<int, input<4>, dense<2>>;
#else
// The control: double.
using net = basic_network<double, input<4>, dense<2>>;
#endif

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
