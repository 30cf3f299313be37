// Tests typenet/kernels/batch_norm.hpp: float's vector loops against the same sums and
// values in double, on runs shorter than a vector, of one vector, of several with a
// partial last one, and longer than the chunk the float partial sums are added up in;
// values off zero (mean 5), so that the variance's sum is taken around the mean; a
// fused ReLU and a residual addition in the normalization; nothing read or written past
// the run (NaN and a sentinel after it).
#define BOOST_TEST_MODULE batch_norm_kernels
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include <typenet/kernels/batch_norm.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace bn = typenet::kernels::batch_norm;

namespace {

const std::size_t lengths[] = {1, 3, 15, 16, 17, 49, 196, 784, 1500, 3136};
constexpr float sentinel = 1234.5f;

// n values around `center`, then NaN: a loop reading past the run would show.
std::vector<float> run_of(std::size_t n, float center, unsigned seed) {
    std::vector<float> v = kernel_cases::random_values<float>(n, seed);
    for (float& x : v) x += center;
    v.resize(n + 32, NAN);
    return v;
}

void check_sum(double got, double want, double magnitude, const char* what, std::size_t n) {
    BOOST_TEST(std::abs(got - want) <= 1e-6 * magnitude, what << " of " << n << ": " << got << " vs " << want);
}

// The values a store wrote and the sentinel after them untouched.
void check_stored(const std::vector<float>& got, const std::vector<double>& want, const char* what) {
    for (std::size_t i = 0; i < want.size(); ++i)
        BOOST_TEST(std::abs(double(got[i]) - want[i]) <= 1e-5 * (1 + std::abs(want[i])),
                   what << " of " << want.size() << " [" << i << "]: " << got[i] << " vs " << want[i]);
    for (std::size_t i = want.size(); i < got.size(); ++i)
        BOOST_TEST(got[i] == sentinel, what << " of " << want.size() << " wrote past the run at " << i);
}

}  // namespace

BOOST_AUTO_TEST_CASE(statistics) {
    for (const std::size_t n : lengths) {
        const std::vector<float> x = run_of(n, 5.0f, 1);
        double sum = 0, magnitude = 0;
        for (std::size_t i = 0; i < n; ++i) sum += x[i], magnitude += std::abs(x[i]);
        check_sum(bn::sum(x.data(), n), sum, magnitude, "sum", n);
        const double mean = sum / double(n);
        double squares = 0;
        for (std::size_t i = 0; i < n; ++i) squares += (x[i] - mean) * (x[i] - mean);
        // Around the mean, the squares are of values in [-1, 1): their sum to 1e-6 of n.
        check_sum(bn::squared_deviations(x.data(), n, mean), squares, double(n), "squared deviations", n);
    }
}

BOOST_AUTO_TEST_CASE(normalize_with_relu_and_with_an_addition) {
    const float mean = 0.1f, inverse_std = 1.7f, weight = -0.8f, bias = 0.3f;
    for (const std::size_t n : lengths) {
        const std::vector<float> in = run_of(n, 0.0f, 2), addend = run_of(n, 0.0f, 3);
        std::vector<double> relu(n), added(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double y = (double(in[i]) - mean) * inverse_std * weight + bias;
            relu[i] = std::max(0.0, y);
            added[i] = std::max(0.0, y + addend[i]);
        }
        std::vector<float> out(n + 32, sentinel);
        bn::normalize(in.data(), out.data(), n, mean, inverse_std, weight, bias, typenet::epilogue<typenet::relu>{});
        check_stored(out, relu, "normalize, ReLU");
        std::fill(out.begin(), out.end(), sentinel);
        bn::normalize(in.data(), out.data(), n, mean, inverse_std, weight, bias,
                      typenet::adding_epilogue<float, typenet::epilogue<>, typenet::epilogue<typenet::relu>>{
                          addend.data(), out.data()});
        check_stored(out, added, "normalize, addition then ReLU");
    }
}

BOOST_AUTO_TEST_CASE(gradients) {
    const float mean = 0.2f, inverse_std = 1.3f, factor = 0.7f;
    for (const std::size_t n : lengths) {
        const std::vector<float> dy = run_of(n, 0.0f, 4), x = run_of(n, 0.0f, 5);
        double dy_sum = 0, dy_xhat_sum = 0, magnitude = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double xhat = (double(x[i]) - mean) * inverse_std;
            dy_sum += dy[i];
            dy_xhat_sum += dy[i] * xhat;
            magnitude += std::abs(dy[i]) * (1 + std::abs(xhat));
        }
        // Added to what is there.
        double got_dy = 1.0, got_dy_xhat = -2.0;
        bn::gradient_sums(dy.data(), x.data(), n, mean, inverse_std, got_dy, got_dy_xhat);
        check_sum(got_dy, 1.0 + dy_sum, magnitude, "dy sum", n);
        check_sum(got_dy_xhat, -2.0 + dy_xhat_sum, magnitude, "dy x̂ sum", n);

        const float mean_dy = float(dy_sum / double(n)), mean_dy_xhat = float(dy_xhat_sum / double(n));
        std::vector<double> want(n);
        for (std::size_t i = 0; i < n; ++i)
            want[i] = factor * (dy[i] - mean_dy - (double(x[i]) - mean) * inverse_std * mean_dy_xhat);
        std::vector<float> grad_in(n + 32, sentinel);
        bn::input_gradient(dy.data(), x.data(), grad_in.data(), n, mean, inverse_std, factor, mean_dy, mean_dy_xhat);
        check_stored(grad_in, want, "input gradient");
    }
}
