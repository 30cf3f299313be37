// Checks typenet::adam and typenet::adamw against torch.optim.Adam and torch.optim.AdamW
// (tests/optim/optim.bin), step by step.
#define BOOST_TEST_MODULE adam
#include "fixtures.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <typenet/optim/adam.hpp>

using optim_test::n;
using typenet::adam;
using typenet::adam_options;
using typenet::adamw;
using typenet::adamw_options;

static_assert(typenet::optimizer<adam<double, n>>);
static_assert(typenet::optimizer<adamw<float, 1>>);
static_assert(!std::is_same_v<adam<double, n>, adamw<double, n>>);

namespace {

// The twins of the cases of the same name in make_optim_fixtures.py.
const std::map<std::string, adam_options> adam_cases = {
    {"adam", {}},
    {"adam_weight_decay", {.lr = 0.01, .weight_decay = 0.1}},
    {"adam_amsgrad", {.lr = 0.01, .betas = {0.8, 0.99}, .amsgrad = true}},
};
const std::map<std::string, adamw_options> adamw_cases = {
    {"adamw", {}},
    {"adamw_amsgrad", {.lr = 0.01, .betas = {0.85, 0.995}, .weight_decay = 0.1, .amsgrad = true}},
};

template <class Options>
bool rejects(const Options& options, std::string_view message) {
    return optim_test::throws<std::invalid_argument>([&] { typenet::basic_adam<double, 3, Options>{options}; },
                                                     message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_case_of_the_fixture_is_tested) {
    optim_test::check_every_case_is_tested("adam", adam_cases, adamw_cases);
}

BOOST_AUTO_TEST_CASE(defaults_are_pytorchs) {
    constexpr adam_options a;
    static_assert(a.lr == 1e-3 && a.betas[0] == 0.9 && a.betas[1] == 0.999 && a.eps == 1e-8 && a.weight_decay == 0 &&
                  !a.amsgrad);
    constexpr adamw_options w;
    static_assert(w.lr == 1e-3 && w.betas[0] == 0.9 && w.betas[1] == 0.999 && w.eps == 1e-8 &&
                  w.weight_decay == 1e-2 && !w.amsgrad);
}

BOOST_AUTO_TEST_CASE(double_follows_torch_step_by_step) {
    for (const auto& [name, options] : adam_cases) optim_test::check_trajectory(name, adam<double, n>(options));
    for (const auto& [name, options] : adamw_cases) optim_test::check_trajectory(name, adamw<double, n>(options));
}

// float rounds each step to 24 bits: the check is that float runs the same algorithm.
BOOST_AUTO_TEST_CASE(float_stays_close_to_torch) {
    for (const auto& [name, options] : adam_cases) optim_test::check_trajectory(name, adam<float, n>(options), 1e-5);
    for (const auto& [name, options] : adamw_cases) optim_test::check_trajectory(name, adamw<float, n>(options), 1e-5);
}

BOOST_AUTO_TEST_CASE(invalid_options_throw) {
    BOOST_TEST(rejects(adam_options{.lr = -1e-3}, "typenet: adam: lr must be finite and at least 0 (got -0.001)"));
    BOOST_TEST(rejects(adam_options{.betas = {1.0, 0.999}}, "typenet: adam: betas[0] must be in [0, 1) (got 1)"));
    BOOST_TEST(rejects(adam_options{.betas = {0.9, -0.1}}, "typenet: adam: betas[1] must be in [0, 1) (got -0.1)"));
    BOOST_TEST(rejects(adam_options{.eps = 0}, "typenet: adam: eps must be finite and greater than 0 (got 0)"));
    BOOST_TEST(rejects(adam_options{.weight_decay = -0.1}, "weight_decay must be finite and at least 0 (got -0.1)"));
    BOOST_TEST(rejects(adamw_options{.eps = -1e-8}, "typenet: adamw: eps must be finite and greater than 0"));
    BOOST_TEST(rejects(adamw_options{.betas = {std::nan(""), 0.999}},
                       "typenet: adamw: betas[0] must be in [0, 1) (got nan)"));
    BOOST_CHECK_NO_THROW((adam<double, 3>{{.lr = 0, .betas = {0, 0}}}));
}

BOOST_AUTO_TEST_CASE(set_lr_checks_and_sets_the_next_steps_rate) {
    adamw<double, n> opt({});
    BOOST_TEST(opt.lr() == 1e-3);
    opt.set_lr(2e-4);
    BOOST_TEST(opt.lr() == 2e-4);
    BOOST_TEST(optim_test::throws<std::invalid_argument>([&] { opt.set_lr(std::nan("")); },
                                                         "typenet: adamw: lr must be finite and at least 0 (got nan)"));
}

BOOST_AUTO_TEST_CASE(non_finite_gradients_throw_and_change_nothing) {
    for (const auto& [name, options] : adam_cases) {
        BOOST_TEST_CONTEXT(name) { optim_test::check_rejects_non_finite_gradients(adam<double, n>(options)); }
    }
    for (const auto& [name, options] : adamw_cases) {
        BOOST_TEST_CONTEXT(name) { optim_test::check_rejects_non_finite_gradients(adamw<double, n>(options)); }
    }
}
