// Compile-fail case: a trainer declared with a 10-way cross-entropy for a network that
// scores 5 classes. The error comes where the trainer is declared (it used to wait for the
// first call of fit()).
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: the loss does not fit the network's output
// expect-error: invalid_loss<typenet::softmax_cross_entropy<10>, typenet::expected<typenet::shape<10> ?>, typenet::got<typenet::shape<5> ?> ?>
#include <typenet/typenet.hpp>

using namespace typenet;

using net = network<input<1, 8, 8>, flatten, dense<5>>;

void declare_only(net& model) {
    auto opt = make_optimizer<sgd>(model, {.lr = 0.1});
#ifdef TYPENET_COMPILE_FAIL
    // Wrong: 10 classes for 5 scores.
    trainer<net, softmax_cross_entropy<10>, decltype(opt)> train(model, opt, 8);
#else
    // The control: as many classes as scores.
    trainer<net, softmax_cross_entropy<5>, decltype(opt)> train(model, opt, 8);
#endif
    static_cast<void>(train);
}
