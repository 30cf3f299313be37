// What every loss test checks, written once: the loss and its gradient against a PyTorch
// fixture (in double and in float), the gradient against central finite differences in
// double, the gradient computed in place over the outputs, and the sizes it refuses.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "pytorch_fixtures.hpp"

namespace loss_checks {

namespace tt = boost::test_tools;

/// max |a - b| / max |b|: how far a gradient is from a reference, relative to the
/// reference's largest component (a component far below the others, such as the
/// probability of a logit 2000 below the maximum, does not count on its own).
inline double relative_difference(std::span<const double> a, std::span<const double> b) {
    double difference = 0, largest = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const double d = std::abs(a[i] - b[i]);
        if (std::isnan(d)) return d;  // std::max would drop it, and a NaN gradient pass
        difference = std::max(difference, d);
        largest = std::max(largest, std::abs(b[i]));
    }
    return largest > 0 ? difference / largest : difference;
}

template <class T>
std::vector<T> converted(std::span<const double> values) {
    return std::vector<T>(values.begin(), values.end());
}

/// Whether `Loss` also takes one label per sample (softmax_cross_entropy does).
template <class Loss>
constexpr bool takes_labels = requires(std::span<const double> x, std::span<const std::uint8_t> labels,
                                       std::span<double> grad) { Loss::template evaluate<double>(x, labels, grad); };

/// `Loss::evaluate<T>` of a fixture's case at `outputs`: with its labels, or its targets in T.
template <class Loss, class T>
T evaluate_case(const fixtures::loss_case& c, std::span<const T> outputs, std::span<T> grad) {
    if constexpr (takes_labels<Loss>)
        if (!c.labels.empty()) return Loss::template evaluate<T>(outputs, c.labels, grad);
    const std::vector<T> targets = converted<T>(c.targets);
    return Loss::template evaluate<T>(outputs, targets, grad);
}

/// The loss and gradient of every case match PyTorch's: to `tolerance`, relative, in T.
template <class Loss, class T>
void check_against_pytorch(std::span<const fixtures::loss_case> cases, double tolerance) {
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("case " << c.name << ", " << (sizeof(T) == 8 ? "double" : "float")) {
            const std::vector<T> outputs = converted<T>(c.outputs);
            std::vector<T> grad(outputs.size());
            const double loss = evaluate_case<Loss, T>(c, std::span<const T>(outputs), std::span<T>(grad));
            BOOST_TEST(loss == c.loss, tt::tolerance(tolerance));
            BOOST_TEST(relative_difference(std::vector<double>(grad.begin(), grad.end()), c.grad_outputs) <= tolerance);
        }
    }
}

/// The gradient of every case matches central finite differences of the loss, in double:
/// relative error below 1e-6.
template <class Loss>
void check_finite_differences(std::span<const fixtures::loss_case> cases) {
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("case " << c.name) {
            std::vector<double> x(c.outputs.begin(), c.outputs.end()), analytic(x.size()), scratch(x.size());
            evaluate_case<Loss, double>(c, std::span<const double>(x), std::span<double>(analytic));
            const auto loss_at = [&] {
                return evaluate_case<Loss, double>(c, std::span<const double>(x), std::span<double>(scratch));
            };
            std::vector<double> numeric(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) {
                // Rounding costs eps·|loss|/h, the curvature h²: 1e-5 keeps both far below 1e-6,
                // also beside logits of 1000 (a step relative to them would meet the curvature).
                const double h = 1e-5;
                const double saved = x[i];
                x[i] = saved + h;
                const double above = loss_at();
                x[i] = saved - h;
                const double below = loss_at();
                x[i] = saved;
                numeric[i] = (above - below) / (2 * h);
            }
            BOOST_TEST(relative_difference(numeric, analytic) < 1e-6);
        }
    }
}

/// With grad_outputs the outputs themselves, every case gives the same loss and gradient.
template <class Loss>
void check_in_place(std::span<const fixtures::loss_case> cases) {
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("case " << c.name) {
            std::vector<double> x(c.outputs.begin(), c.outputs.end()), grad(x.size());
            const double apart = evaluate_case<Loss, double>(c, std::span<const double>(x), std::span<double>(grad));
            const double in_place = evaluate_case<Loss, double>(c, std::span<const double>(x), std::span<double>(x));
            BOOST_TEST(in_place == apart);
            BOOST_TEST(x == grad, tt::per_element());
        }
    }
}

/// `evaluate()` throws std::invalid_argument whose message contains every one of `words`.
template <class Call>
void check_rejects(Call evaluate, const std::vector<std::string>& words) {
    BOOST_CHECK_EXCEPTION(evaluate(), std::invalid_argument, [&](const std::invalid_argument& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        return std::all_of(words.begin(), words.end(),
                           [&](const std::string& w) { return message.find(w) != std::string::npos; });
    });
}

}  // namespace loss_checks
