// Checks typenet's learning-rate schedules against torch.optim.lr_scheduler
// (tests/optim/optim.bin): the rate of every epoch, as torch's scheduler set it.
#define BOOST_TEST_MODULE schedules
#include "fixtures.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <typenet/optim/schedules.hpp>

namespace {

using schedule = std::function<double(double base_lr, std::size_t epoch)>;

// The twins of the schedules of the same name in make_optim_fixtures.py.
// step_lr and multi_step_lr multiply as torch does: the very same bits.
const std::map<std::string, schedule> to_the_bit = {
    {"step_lr", typenet::step_lr{7, 0.3}},
    {"multi_step_lr", typenet::multi_step_lr{{23, 4, 11}, 0.3}},
};
// torch computes the cosine from epoch to epoch, typenet in closed form: the two differ
// by rounding (make_optim_fixtures.py measures 1e-14 at most), within the tolerance.
const std::map<std::string, schedule> to_rounding = {
    {"cosine_annealing", typenet::cosine_annealing{10, 0.001}},
    {"cosine_annealing_to_0", typenet::cosine_annealing{7}},
};

void check_schedule(const std::string& name, const schedule& lr, double tol) {
    const auto& schedules = optim_test::reference().schedules;
    const auto found = schedules.find(name);
    BOOST_TEST_REQUIRE((found != schedules.end()), name + ": no such schedule in optim.bin");
    const auto& [base_lr, torch] = found->second;
    for (std::size_t epoch = 0; epoch < torch.size(); ++epoch) {
        BOOST_TEST_CONTEXT(name << ", epoch " << epoch) {
            BOOST_TEST(lr(base_lr, epoch) == torch[epoch], boost::test_tools::tolerance(tol));
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_schedule_of_the_fixture_is_tested) {
    std::vector<std::string> in_file, here;
    for (const auto& [name, s] : optim_test::reference().schedules) in_file.push_back(name);
    for (const auto* table : {&to_the_bit, &to_rounding})
        for (const auto& [name, s] : *table) here.push_back(name);
    std::sort(here.begin(), here.end());
    BOOST_TEST(in_file == here, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(step_schedules_are_torchs_to_the_bit) {
    for (const auto& [name, lr] : to_the_bit) check_schedule(name, lr, 0.0);
}

BOOST_AUTO_TEST_CASE(cosine_annealing_is_torchs) {
    for (const auto& [name, lr] : to_rounding) check_schedule(name, lr, optim_test::tolerance);
    BOOST_TEST(typenet::cosine_annealing{7}(0.05, 7) == 0.0);  // cos(pi) is -1 exactly in double
}

BOOST_AUTO_TEST_CASE(a_milestone_given_twice_counts_twice) {
    const typenet::multi_step_lr twice{{5, 5}, 0.5};
    BOOST_TEST(twice(1.0, 4) == 1.0);
    BOOST_TEST(twice(1.0, 5) == 0.25);
}

BOOST_AUTO_TEST_CASE(invalid_schedules_throw) {
    using optim_test::throws;
    BOOST_TEST(throws<std::invalid_argument>([] { typenet::step_lr{0}; },
                                             "typenet: step_lr: step_size must be finite and greater than 0 (got 0)"));
    BOOST_TEST(throws<std::invalid_argument>([] { typenet::step_lr{10, -0.1}; },
                                             "typenet: step_lr: gamma must be finite and at least 0 (got -0.1)"));
    BOOST_TEST(throws<std::invalid_argument>([] { typenet::multi_step_lr{{10}, std::nan("")}; },
                                             "typenet: multi_step_lr: gamma must be finite and at least 0 (got nan)"));
    BOOST_TEST(throws<std::invalid_argument>([] { typenet::cosine_annealing{0}; },
                                             "typenet: cosine_annealing: t_max must be finite and greater than 0"));
    BOOST_TEST(throws<std::invalid_argument>([] { typenet::cosine_annealing{10, -1e-5}; },
                                             "typenet: cosine_annealing: eta_min must be finite and at least 0"));
}
