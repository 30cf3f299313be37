// Compile-fail case: a trainer for a network whose output comes out of a softmax that is
// not its last layer: the softmax ends a nested block. The trainer takes what goes into a final softmax as the logits
// and would apply softmax twice (it used to, silently).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: the network's output comes out of a softmax that is not its last layer
// expect-error: invalid_trainer<typenet::because<typenet::final_softmax_must_be_the_last_layer_outside_any_block> ?>
#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: the softmax inside the block.
using net = network<input<1, 8, 8>, flatten, sequential<dense<16>, relu, sequential<dense<5>, softmax>>>;
#else
// The control: the softmax after it.
using net = network<input<1, 8, 8>, flatten, sequential<dense<16>, relu, sequential<dense<5>>>, softmax>;
#endif

void declare_only(net& model) {
    auto opt = make_optimizer<sgd>(model, {.lr = 0.1});
    trainer<net, softmax_cross_entropy<5>, decltype(opt)> train(model, opt, 8);
    static_cast<void>(train);
}
