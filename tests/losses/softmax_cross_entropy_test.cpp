// Tests typenet/losses/softmax_cross_entropy.hpp against PyTorch's F.cross_entropy (the
// fixture pytorch_fixtures.hpp, made by make_loss_fixtures.py), central finite
// differences and hand-computed values.
#define BOOST_TEST_MODULE softmax_cross_entropy
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <typenet/losses/softmax_cross_entropy.hpp>

#include "loss_checks.hpp"
#include "pytorch_fixtures.hpp"

using namespace typenet;
namespace tt = boost::test_tools;

using loss = softmax_cross_entropy<fixtures::softmax_cross_entropy_classes>;

// The shape rule: a vector of 5 logits and nothing else, whatever the rank.
static_assert(loss::size == 5);
static_assert(std::is_same_v<decltype(loss::fit<shape<5>>()), shape<5>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<4>>()), rejection<expected<shape<5>>>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<5, 1, 1>>()), rejection<expected<shape<5>>>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<>>()), rejection<expected<shape<5>>>>);
// The fixture's labels are class_labels.
static_assert(std::is_same_v<class_label, std::uint8_t>);

BOOST_AUTO_TEST_CASE(matches_pytorch_with_labels) {
    loss_checks::check_against_pytorch<loss, double>(fixtures::softmax_cross_entropy_labels, 1e-12);
    loss_checks::check_against_pytorch<loss, float>(fixtures::softmax_cross_entropy_labels, 1e-5);
}

BOOST_AUTO_TEST_CASE(matches_pytorch_with_probabilities) {
    loss_checks::check_against_pytorch<loss, double>(fixtures::softmax_cross_entropy_probabilities, 1e-12);
    loss_checks::check_against_pytorch<loss, float>(fixtures::softmax_cross_entropy_probabilities, 1e-5);
}

BOOST_AUTO_TEST_CASE(gradient_matches_finite_differences) {
    loss_checks::check_finite_differences<loss>(fixtures::softmax_cross_entropy_labels);
    loss_checks::check_finite_differences<loss>(fixtures::softmax_cross_entropy_probabilities);
}

BOOST_AUTO_TEST_CASE(gradient_can_replace_the_logits) {
    loss_checks::check_in_place<loss>(fixtures::softmax_cross_entropy_labels);
    loss_checks::check_in_place<loss>(fixtures::softmax_cross_entropy_probabilities);
}

BOOST_AUTO_TEST_CASE(equal_logits_cost_the_log_of_the_class_count) {
    // softmax is 1/5 everywhere: each sample costs log 5, and the gradient is
    // (1/5 - one_hot) / 2 for a batch of 2.
    const std::vector<double> logits(10, 7.0);
    const std::vector<class_label> labels{0, 3};
    std::vector<double> grad(10);
    BOOST_TEST(loss::evaluate<double>(logits, labels, grad) == std::log(5.0), tt::tolerance(1e-15));
    const std::vector<double> expected{-0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, -0.4, 0.1};
    BOOST_TEST(loss_checks::relative_difference(grad, expected) < 1e-15);
}

BOOST_AUTO_TEST_CASE(one_hot_probabilities_are_labels) {
    const auto& c = fixtures::softmax_cross_entropy_labels[1];
    std::vector<double> one_hot(c.outputs.size()), from_labels(c.outputs.size()), from_one_hot(c.outputs.size());
    for (std::size_t n = 0; n < c.labels.size(); ++n) one_hot[n * loss::size + c.labels[n]] = 1;
    const double a = loss::evaluate<double>(c.outputs, c.labels, from_labels);
    const double b = loss::evaluate<double>(c.outputs, one_hot, from_one_hot);
    BOOST_TEST(a == b, tt::tolerance(1e-15));
    BOOST_TEST(loss_checks::relative_difference(from_labels, from_one_hot) < 1e-15);
}

BOOST_AUTO_TEST_CASE(rejects_spans_of_the_wrong_size) {
    std::vector<double> logits(10), grad(10), probabilities(10);
    std::vector<class_label> labels(2);
    loss_checks::check_rejects([&] { return loss::evaluate<double>(std::span(logits).first(7), labels, grad); },
                               {"softmax_cross_entropy<5>", "got 7 outputs", "n*5"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(std::span(logits).first(0), labels, grad); },
                               {"got 0 outputs", "n >= 1"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(logits, std::span(labels).first(1), grad); },
                               {"got 1 labels for a batch of 2 samples", "needs 2"});
    loss_checks::check_rejects(
        [&] { return loss::evaluate<double>(logits, std::span(probabilities).first(5), grad); },
        {"got 5 probabilities for a batch of 2 samples", "needs 10 (5 per sample)"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(logits, labels, std::span(grad).first(9)); },
                               {"room for 9 gradients for 10 outputs"});
}

BOOST_AUTO_TEST_CASE(rejects_a_label_that_is_not_a_class_before_writing) {
    const std::vector<double> logits(15, 1.0);
    const std::vector<class_label> labels{4, 0, 5};
    std::vector<double> grad(15, -1.0);
    BOOST_CHECK_EXCEPTION(loss::evaluate<double>(logits, labels, grad), std::out_of_range,
                          [](const std::out_of_range& e) {
                              BOOST_TEST_MESSAGE(e.what());
                              return std::string(e.what()).find("label 5 for sample 2; labels are 0 to 4") !=
                                     std::string::npos;
                          });
    BOOST_TEST(grad == std::vector<double>(15, -1.0), tt::per_element());
}
