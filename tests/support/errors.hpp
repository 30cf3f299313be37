// How far typenet's values are from a reference, as the tests measure it:
// relative_error against a fixture's values (PyTorch's), difference_error of gradients
// against central finite differences. Include it after #define BOOST_TEST_MODULE.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace typenet::testing {

/// max |ours − theirs| / max |theirs|: an error relative to the array's scale.
template <class T>
double relative_error(std::span<const T> ours, const std::vector<double>& theirs) {
    BOOST_TEST_REQUIRE(ours.size() == theirs.size());
    double scale = 0, error = 0;
    for (std::size_t i = 0; i < theirs.size(); ++i) {
        scale = std::max(scale, std::abs(theirs[i]));
        error = std::max(error, std::abs(double(ours[i]) - theirs[i]));
    }
    BOOST_TEST_REQUIRE(scale > 0.0);
    return error / scale;
}

/// ||analytic − numeric|| / (||analytic|| + ||numeric||) over every value of `values` (a
/// network's parameters, or its inputs), where numeric is the central difference of
/// `loss()` (a double) with step 1e-6 and `analytic` the gradient to check.
template <class Loss>
double difference_error(std::span<double> values, std::span<const double> analytic, Loss loss) {
    BOOST_TEST_REQUIRE(values.size() == analytic.size());
    const double h = 1e-6;
    double diff = 0, norm_a = 0, norm_n = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double saved = values[i];
        values[i] = saved + h;
        const double up = loss();
        values[i] = saved - h;
        const double down = loss();
        values[i] = saved;
        const double numeric = (up - down) / (2 * h);
        diff += (analytic[i] - numeric) * (analytic[i] - numeric);
        norm_a += analytic[i] * analytic[i];
        norm_n += numeric * numeric;
    }
    BOOST_TEST_REQUIRE(norm_a > 0.0);  // a check of all-zero gradients would prove nothing
    return std::sqrt(diff) / (std::sqrt(norm_a) + std::sqrt(norm_n));
}

}  // namespace typenet::testing
