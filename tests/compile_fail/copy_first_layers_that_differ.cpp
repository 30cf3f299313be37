// Compile-fail case: copy_first_layers<3> between networks whose third layer differs (a
// pretrained backbone whose second convolution has other filters).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// (the note under it names the position: layer_differs_between_the_two_networks_at<2>)
// expect-error-line: copy_first_layers<Count>: the networks' first Count layers must be the same layers on the same input shapes
#include <typenet/typenet.hpp>

using namespace typenet;

using pretrained = network<input<1, 28, 28>, conv2d<8, kernel<5>>, relu, conv2d<16, kernel<3>>, flatten, dense<5>>;
#ifdef TYPENET_COMPILE_FAIL
using fine_tuned = network<input<1, 28, 28>, conv2d<8, kernel<5>>, relu, conv2d<32, kernel<3>>, flatten, dense<3>>;
#else
using fine_tuned = network<input<1, 28, 28>, conv2d<8, kernel<5>>, relu, conv2d<16, kernel<3>>, flatten, dense<3>>;
#endif

[[maybe_unused]] load_report copy(const pretrained& from, fine_tuned& to) { return copy_first_layers<3>(from, to); }
