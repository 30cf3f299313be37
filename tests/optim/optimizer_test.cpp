// Checks the optimizer contract (include/typenet/optim/optimizer.hpp): make_optimizer
// sizes an optimizer for a network; optimizers allocate once, when made, and never in
// step(); schedules drive them through set_lr. Every global operator new is replaced and
// counted (tests/support/count_allocations.hpp).
#define BOOST_TEST_MODULE optimizer
#include "fixtures.hpp"

#include <array>
#include <type_traits>
#include <utility>
#include <vector>

#include <typenet/layers/conv1d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/network.hpp>
#include <typenet/optim/adam.hpp>
#include <typenet/optim/optimizer.hpp>
#include <typenet/optim/rmsprop.hpp>
#include <typenet/optim/schedules.hpp>
#include <typenet/optim/sgd.hpp>

#include "../support/count_allocations.hpp"

namespace {

using optim_test::n;
using typenet::testing::allocations;
using small_net = typenet::basic_network<double, typenet::input<2, 5>, typenet::conv1d<3, typenet::kernel<2>>,
                                         typenet::flatten, typenet::dense<2>>;

// Allocations while making an optimizer, then while it takes `steps` steps.
template <class Optimizer>
std::pair<long, long> allocations_of(const typename Optimizer::options_type& options, std::size_t steps = 5) {
    const auto& f = optim_test::reference();
    std::vector<double> params(f.initial.begin(), f.initial.end());
    const long before = allocations();
    Optimizer opt(options);
    const long made = allocations();
    for (std::size_t s = 0; s < steps; ++s)
        opt.step(std::span<double, n>(params), std::span<const double, n>(f.gradients.data() + s * n, n));
    return {made - before, allocations() - made};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
    const long before = allocations();
    auto* p = new std::vector<int>(1000);
    BOOST_TEST(allocations() - before >= 2);
    delete p;
}

BOOST_AUTO_TEST_CASE(make_optimizer_takes_the_networks_scalar_and_parameter_count) {
    small_net net(7);
    auto opt = typenet::make_optimizer<typenet::adam>(net, {.lr = 0.01});
    static_assert(std::is_same_v<decltype(opt), typenet::adam<double, small_net::parameter_count>>);
    static_assert(std::is_same_v<decltype(typenet::make_optimizer<typenet::sgd>(net, {.lr = 0.1})),
                                 typenet::sgd<double, 3 * 2 * 2 + 3 + 2 * 12 + 2>>);
    static_assert(typenet::optimizer<decltype(opt)>);
    BOOST_TEST(opt.lr() == 0.01);

    const std::vector<double> before(net.parameters().begin(), net.parameters().end());
    std::array<double, small_net::parameter_count> grads{};
    grads.fill(1.0);
    opt.step(net.parameters(), grads);
    // Adam's first step moves every parameter by lr / (1 + eps) against its gradient.
    for (std::size_t i = 0; i < before.size(); ++i)
        BOOST_TEST(net.parameters()[i] == before[i] - 0.01 / (1 + 1e-8), boost::test_tools::tolerance(1e-14));
    BOOST_TEST(opt.steps() == 1u);
}

using sgd = typenet::sgd<double, n>;
using adam = typenet::adam<double, n>;
using adamw = typenet::adamw<double, n>;
using rmsprop = typenet::rmsprop<double, n>;

BOOST_AUTO_TEST_CASE(an_optimizer_allocates_its_state_once_when_made) {
    BOOST_TEST(allocations_of<sgd>({.lr = 0.1}).first == 0);  // no state
    BOOST_TEST(allocations_of<sgd>({.lr = 0.1, .momentum = 0.9}).first == 1);
    BOOST_TEST(allocations_of<adam>({.amsgrad = true}).first == 1);
    BOOST_TEST(allocations_of<adamw>({}).first == 1);
    BOOST_TEST(allocations_of<rmsprop>({.momentum = 0.9, .centered = true}).first == 1);
}

BOOST_AUTO_TEST_CASE(step_allocates_nothing) {
    BOOST_TEST(allocations_of<sgd>({.lr = 0.1}).second == 0);
    BOOST_TEST(allocations_of<sgd>({.lr = 0.1, .momentum = 0.9, .nesterov = true}).second == 0);
    BOOST_TEST(allocations_of<adam>({.weight_decay = 0.1, .amsgrad = true}).second == 0);
    BOOST_TEST(allocations_of<adamw>({}).second == 0);
    BOOST_TEST(allocations_of<rmsprop>({.momentum = 0.9, .centered = true}).second == 0);
}

BOOST_AUTO_TEST_CASE(schedules_drive_an_optimizer_without_allocating) {
    sgd opt({.lr = 0.1});
    const typenet::step_lr step{10, 0.5};
    const typenet::multi_step_lr milestones{{3, 6}};
    const typenet::cosine_annealing cosine{20, 1e-4};
    const long before = allocations();
    for (std::size_t epoch = 0; epoch < 30; ++epoch) {
        opt.set_lr(step(0.1, epoch));
        opt.set_lr(milestones(opt.lr(), epoch));
        opt.set_lr(cosine(opt.lr(), epoch));
    }
    BOOST_TEST(allocations() - before == 0);
    BOOST_TEST(opt.lr() > 0.0);
}
