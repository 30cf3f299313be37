// Tests typenet/losses/mean_squared_error.hpp against PyTorch's F.mse_loss (the fixture
// pytorch_fixtures.hpp, made by make_loss_fixtures.py), central finite differences and
// hand-computed values.
#define BOOST_TEST_MODULE mean_squared_error
#include <boost/test/unit_test.hpp>

#include <span>
#include <type_traits>
#include <vector>

#include <typenet/losses/mean_squared_error.hpp>

#include "loss_checks.hpp"
#include "pytorch_fixtures.hpp"

using namespace typenet;
namespace tt = boost::test_tools;

using loss = mean_squared_error<fixtures::mean_squared_error_size>;

// The shape rule: a vector of 6 values and nothing else.
static_assert(loss::size == 6);
static_assert(std::is_same_v<decltype(loss::fit<shape<6>>()), shape<6>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<2, 3>>()), rejection<expected<shape<6>>>>);
static_assert(std::is_same_v<decltype(loss::fit<shape<7>>()), rejection<expected<shape<6>>>>);

BOOST_AUTO_TEST_CASE(matches_pytorch) {
    loss_checks::check_against_pytorch<loss, double>(fixtures::mean_squared_error, 1e-12);
    loss_checks::check_against_pytorch<loss, float>(fixtures::mean_squared_error, 1e-5);
}

BOOST_AUTO_TEST_CASE(gradient_matches_finite_differences) {
    loss_checks::check_finite_differences<loss>(fixtures::mean_squared_error);
}

BOOST_AUTO_TEST_CASE(gradient_can_replace_the_outputs) {
    loss_checks::check_in_place<loss>(fixtures::mean_squared_error);
}

BOOST_AUTO_TEST_CASE(mean_over_every_value_of_the_batch) {
    // Two samples of 2: squared errors 1, 4, 0, 9 → 14 / 4; gradient 2·error / 4.
    const std::vector<double> outputs{1, 2, 3, 4}, targets{0, 0, 3, 1};
    std::vector<double> grad(4);
    BOOST_TEST(mean_squared_error<2>::evaluate<double>(outputs, targets, grad) == 3.5, tt::tolerance(1e-15));
    BOOST_TEST(grad == (std::vector<double>{0.5, 1.0, 0.0, 1.5}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(rejects_spans_of_the_wrong_size) {
    std::vector<double> outputs(12), targets(12), grad(12);
    loss_checks::check_rejects([&] { return loss::evaluate<double>(std::span(outputs).first(8), targets, grad); },
                               {"mean_squared_error<6>", "got 8 outputs", "n*6"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(outputs, std::span(targets).first(6), grad); },
                               {"got 6 targets for a batch of 2 samples", "needs 12 (6 per sample)"});
    loss_checks::check_rejects([&] { return loss::evaluate<double>(outputs, targets, std::span(grad).first(0)); },
                               {"room for 0 gradients for 12 outputs"});
}
