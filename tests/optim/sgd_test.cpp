// Checks typenet::sgd against torch.optim.SGD (tests/optim/optim.bin), step by step.
#define BOOST_TEST_MODULE sgd
#include "fixtures.hpp"

#include <map>
#include <stdexcept>
#include <string>

#include <typenet/optim/sgd.hpp>

using optim_test::n;
using typenet::sgd;
using typenet::sgd_options;

static_assert(typenet::optimizer<sgd<double, n>>);
static_assert(typenet::optimizer<sgd<float, 1>>);

namespace {

// The twins of the cases of the same name in make_optim_fixtures.py.
const std::map<std::string, sgd_options> cases = {
    {"sgd", {.lr = 0.1}},
    {"sgd_momentum", {.lr = 0.05, .momentum = 0.9}},
    {"sgd_nesterov", {.lr = 0.05, .momentum = 0.9, .nesterov = true}},
    {"sgd_weight_decay", {.lr = 0.1, .weight_decay = 0.1}},
    {"sgd_dampening", {.lr = 0.05, .momentum = 0.9, .dampening = 0.5}},
    {"sgd_nesterov_weight_decay", {.lr = 0.05, .momentum = 0.8, .weight_decay = 0.01, .nesterov = true}},
};

bool rejects(const sgd_options& options, std::string_view message) {
    return optim_test::throws<std::invalid_argument>([&] { sgd<double, 3>{options}; }, message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_case_of_the_fixture_is_tested) { optim_test::check_every_case_is_tested("sgd", cases); }

BOOST_AUTO_TEST_CASE(double_follows_torch_step_by_step) {
    for (const auto& [name, options] : cases) optim_test::check_trajectory(name, sgd<double, n>(options));
}

// float rounds each step to 24 bits: the check is that float runs the same algorithm.
BOOST_AUTO_TEST_CASE(float_stays_close_to_torch) {
    for (const auto& [name, options] : cases) optim_test::check_trajectory(name, sgd<float, n>(options), 1e-5);
}

BOOST_AUTO_TEST_CASE(invalid_options_throw) {
    BOOST_TEST(rejects({}, "typenet: sgd: lr must be given, as PyTorch's SGD has no default (got nan)"));
    BOOST_TEST(rejects({.lr = -0.1}, "typenet: sgd: lr must be finite and at least 0 (got -0.1)"));
    BOOST_TEST(rejects({.lr = 0.1, .momentum = -0.9}, "momentum must be finite and at least 0 (got -0.9)"));
    BOOST_TEST(rejects({.lr = 0.1, .weight_decay = -1}, "weight_decay must be finite and at least 0 (got -1)"));
    BOOST_TEST(rejects({.lr = 0.1, .dampening = std::nan("")}, "dampening must be finite (got nan)"));
    BOOST_TEST(rejects({.lr = 0.1, .nesterov = true}, "typenet: sgd: nesterov needs momentum greater than 0 (got 0)"));
    BOOST_TEST(rejects({.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true},
                       "typenet: sgd: nesterov needs dampening 0 (got 0.1)"));
    BOOST_CHECK_NO_THROW((sgd<double, 3>{{.lr = 0}}));
}

BOOST_AUTO_TEST_CASE(set_lr_checks_and_sets_the_next_steps_rate) {
    sgd<double, n> opt({.lr = 0.1});
    BOOST_TEST(opt.lr() == 0.1);
    opt.set_lr(0.025);
    BOOST_TEST(opt.lr() == 0.025);
    BOOST_TEST(optim_test::throws<std::invalid_argument>([&] { opt.set_lr(-1); }, "lr must be finite and at least 0"));
    BOOST_TEST(opt.lr() == 0.025);
}

BOOST_AUTO_TEST_CASE(non_finite_gradients_throw_and_change_nothing) {
    for (const auto& [name, options] : cases) {
        BOOST_TEST_CONTEXT(name) { optim_test::check_rejects_non_finite_gradients(sgd<double, n>(options)); }
    }
}
