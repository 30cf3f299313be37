// Tests typenet/losses/binary_cross_entropy_with_logits.hpp against PyTorch's
// F.binary_cross_entropy_with_logits (the fixture pytorch_fixtures.hpp, made by
// make_loss_fixtures.py), central finite differences and hand-computed values.
#define BOOST_TEST_MODULE binary_cross_entropy_with_logits
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <span>
#include <type_traits>
#include <vector>

#include <typenet/losses/binary_cross_entropy_with_logits.hpp>

#include "loss_checks.hpp"
#include "pytorch_fixtures.hpp"

using namespace typenet;
namespace tt = boost::test_tools;

using loss = binary_cross_entropy_with_logits<fixtures::binary_cross_entropy_with_logits_size>;

// The shape rule: a vector of 4 logits and nothing else.
static_assert(loss::size == 4);
static_assert(std::is_same_v<decltype(loss::fit<shape<4>>()), shape<4>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<4, 1>>()), rejection<expected<shape<4>>>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<2>>()), rejection<expected<shape<4>>>>);

BOOST_AUTO_TEST_CASE(matches_pytorch) {
    loss_checks::check_against_pytorch<loss, double>(fixtures::binary_cross_entropy_with_logits, 1e-12);
    loss_checks::check_against_pytorch<loss, float>(fixtures::binary_cross_entropy_with_logits, 1e-5);
}

BOOST_AUTO_TEST_CASE(gradient_matches_finite_differences) {
    loss_checks::check_finite_differences<loss>(fixtures::binary_cross_entropy_with_logits);
}

BOOST_AUTO_TEST_CASE(gradient_can_replace_the_logits) {
    loss_checks::check_in_place<loss>(fixtures::binary_cross_entropy_with_logits);
}

BOOST_AUTO_TEST_CASE(a_logit_of_0_costs_log_2_whatever_the_target) {
    // σ(0) = 1/2: each value costs log 2, and its gradient is (1/2 - y) / 2.
    const std::vector<double> logits{0, 0}, targets{0, 0.75};
    std::vector<double> grad(2);
    BOOST_TEST(binary_cross_entropy_with_logits<2>::evaluate<double>(logits, targets, grad) == std::log(2.0),
               tt::tolerance(1e-15));
    BOOST_TEST(grad == (std::vector<double>{0.25, -0.125}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(rejects_spans_of_the_wrong_size) {
    std::vector<double> logits(8), targets(8), grad(8);
    loss_checks::check_rejects([&] { return loss::evaluate<double>(std::span(logits).first(6), targets, grad); },
                               {"binary_cross_entropy_with_logits<4>", "got 6 outputs", "n*4"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(logits, std::span(targets).first(2), grad); },
                               {"got 2 targets for a batch of 2 samples", "needs 8 (4 per sample)"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(logits, targets, std::span(grad).first(4)); },
                               {"room for 4 gradients for 8 outputs"});
}
