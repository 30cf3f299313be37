// Checks typenet::rmsprop against torch.optim.RMSprop (tests/optim/optim.bin), step by step.
#define BOOST_TEST_MODULE rmsprop
#include "fixtures.hpp"

#include <map>
#include <stdexcept>
#include <string>

#include <typenet/optim/rmsprop.hpp>

using optim_test::n;
using typenet::rmsprop;
using typenet::rmsprop_options;

static_assert(typenet::optimizer<rmsprop<double, n>>);
static_assert(typenet::optimizer<rmsprop<float, 1>>);

namespace {

// The twins of the cases of the same name in make_optim_fixtures.py.
const std::map<std::string, rmsprop_options> cases = {
    {"rmsprop", {}},
    {"rmsprop_momentum", {.momentum = 0.9}},
    {"rmsprop_centered", {.centered = true}},
    {"rmsprop_weight_decay", {.lr = 0.005, .alpha = 0.9, .weight_decay = 0.1}},
    {"rmsprop_centered_momentum",
     {.alpha = 0.95, .eps = 1e-6, .weight_decay = 0.01, .momentum = 0.5, .centered = true}},
};

bool rejects(const rmsprop_options& options, std::string_view message) {
    return optim_test::throws<std::invalid_argument>([&] { rmsprop<double, 3>{options}; }, message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_case_of_the_fixture_is_tested) { optim_test::check_every_case_is_tested("rmsprop", cases); }

BOOST_AUTO_TEST_CASE(defaults_are_pytorchs) {
    constexpr rmsprop_options o;
    static_assert(o.lr == 1e-2 && o.alpha == 0.99 && o.eps == 1e-8 && o.weight_decay == 0 && o.momentum == 0 &&
                  !o.centered);
}

BOOST_AUTO_TEST_CASE(double_follows_torch_step_by_step) {
    for (const auto& [name, options] : cases) optim_test::check_trajectory(name, rmsprop<double, n>(options));
}

// float rounds each step to 24 bits: the check is that float runs the same algorithm.
BOOST_AUTO_TEST_CASE(float_stays_close_to_torch) {
    for (const auto& [name, options] : cases) optim_test::check_trajectory(name, rmsprop<float, n>(options), 1e-5);
}

BOOST_AUTO_TEST_CASE(invalid_options_throw) {
    BOOST_TEST(rejects({.lr = -1}, "typenet: rmsprop: lr must be finite and at least 0 (got -1)"));
    BOOST_TEST(rejects({.alpha = -0.5}, "typenet: rmsprop: alpha must be finite and at least 0 (got -0.5)"));
    BOOST_TEST(rejects({.eps = 0}, "typenet: rmsprop: eps must be finite and greater than 0 (got 0)"));
    BOOST_TEST(rejects({.weight_decay = -1}, "typenet: rmsprop: weight_decay must be finite and at least 0 (got -1)"));
    BOOST_TEST(rejects({.momentum = std::numeric_limits<double>::infinity()},
                       "typenet: rmsprop: momentum must be finite and at least 0 (got inf)"));
}

BOOST_AUTO_TEST_CASE(non_finite_gradients_throw_and_change_nothing) {
    for (const auto& [name, options] : cases) {
        BOOST_TEST_CONTEXT(name) { optim_test::check_rejects_non_finite_gradients(rmsprop<double, n>(options)); }
    }
}
