// Compile-fail case: a 10-way cross-entropy on a network that scores 5 classes, used as a
// trainer would (evaluate on a batch). The one error names the loss, the output it needs
// and the output the network has.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error whose first lines match
// expect-error: error: static[_ ]assert(?:ion)? failed.*typenet: the loss does not fit the network's output
// expect-error: invalid_loss<typenet::softmax_cross_entropy<10>, typenet::expected<typenet::shape<10> ?>, typenet::got<typenet::shape<5> ?> ?>
#include <array>

#include <typenet/typenet.hpp>

using namespace typenet;

using net = network<input<1, 28, 28>, flatten, dense<32>, relu, dense<5>>;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: 10 classes for 5 scores.
using loss = checked_loss<softmax_cross_entropy<10>, net>;
#else
// The control: as many classes as scores.
using loss = checked_loss<softmax_cross_entropy<5>, net>;
#endif

float mean_loss() {
    std::array<float, 2 * net::output_size> scores{}, grad_scores{};
    const std::array<class_label, 2> labels{1, 4};
    return loss::evaluate(scores, labels, grad_scores);
}
