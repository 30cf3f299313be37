// Tests typenet/training/early_stopping.hpp through trainer::fit: the run stops `patience`
// epochs after its best, whose parameters and buffers the network gets back; min_delta;
// the options checked before anything changes.
#define BOOST_TEST_MODULE early_stopping
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <typenet/typenet.hpp>

#include "../support/squares.hpp"

namespace tn = typenet;
using tn::testing::squares;

// Batch norm, so that the buffers must come back too.
using net = tn::network<tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>>, tn::batch_norm2d<>, tn::relu, tn::flatten, tn::dense<3>>;
using optimizer = tn::sgd<float, net::parameter_count>;
using net_trainer = tn::trainer<net, tn::softmax_cross_entropy<3>, optimizer>;

// Parameters then buffers.
std::vector<float> values_of(const net& model) {
    std::vector<float> v(model.parameters().begin(), model.parameters().end());
    v.insert(v.end(), model.buffers().begin(), model.buffers().end());
    return v;
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A validation set with every other label wrong: its loss falls while the network learns
// the easy half, then rises as it grows sure of the answers the other half calls wrong.
tn::data::labeled_set mislabeled(std::size_t count, unsigned seed) {
    auto set = squares(count, seed);
    for (std::size_t i = 0; i < count; i += 2) set.labels[i] = std::uint8_t((set.labels[i] + 1) % 3);
    return set;
}

struct recorded_run {
    std::vector<tn::epoch_report> reports;
    std::vector<std::vector<float>> after;  // the network after each epoch, as the callback saw it
    std::vector<float> end;                 // and after fit
};

recorded_run run(const tn::data::labeled_set& validation, std::size_t epochs, std::optional<tn::early_stopping> stopping) {
    net model(3);
    optimizer opt({.lr = 0.01, .momentum = 0.5});
    net_trainer trainer(model, opt, 16);
    recorded_run r;
    r.reports = trainer.fit(squares(60, 1), validation,
                            {.epochs = epochs, .seed = 1, .progress = nullptr, .early_stopping = stopping,
                             .on_epoch = [&](const tn::epoch_report&) {
                                 r.after.push_back(values_of(model));
                                 return tn::after_epoch::go_on;
                             }});
    r.end = values_of(model);
    return r;
}

// The epoch that counts as best: the first whose loss is below every earlier one.
std::size_t best_of(std::span<const tn::epoch_report> reports) {
    std::size_t best = 0;
    for (std::size_t e = 1; e < reports.size(); ++e)
        if (reports[e].test_loss < reports[best].test_loss) best = e;
    return best;
}

BOOST_AUTO_TEST_CASE(stops_patience_epochs_after_the_best_and_gives_back_its_parameters_and_buffers) {
    const auto r = run(mislabeled(30, 2), 30, tn::early_stopping{.patience = 3});
    const std::size_t best = best_of(r.reports);
    BOOST_TEST_MESSAGE("best epoch " << best << " of " << r.reports.size());
    BOOST_TEST_REQUIRE(r.reports.size() == best + 1 + 3);  // 3 epochs without improvement, then no more
    BOOST_TEST(r.reports.size() < 30u);
    BOOST_TEST(r.after.size() == r.reports.size());
    for (std::size_t e = 0; e < r.reports.size(); ++e) {
        BOOST_TEST(r.reports[e].stops_early == (e + 1 == r.reports.size()));
        BOOST_TEST(r.reports[e].best_epoch == best_of(std::span(r.reports).first(e + 1)));
    }
    BOOST_TEST(same_bits(r.end, r.after[best]));         // the best epoch's parameters and buffers
    BOOST_TEST(!same_bits(r.end, r.after.back()));       // not those of the last epoch
}

BOOST_AUTO_TEST_CASE(a_run_that_reaches_its_last_epoch_also_ends_with_the_best_parameters) {
    const auto r = run(mislabeled(30, 2), 4, tn::early_stopping{.patience = 10});
    BOOST_TEST_REQUIRE(r.reports.size() == 4u);
    BOOST_TEST(!r.reports.back().stops_early);
    BOOST_TEST(same_bits(r.end, r.after[best_of(r.reports)]));
}

BOOST_AUTO_TEST_CASE(without_early_stopping_the_network_keeps_its_last_parameters) {
    const auto r = run(mislabeled(30, 2), 4, std::nullopt);
    BOOST_TEST_REQUIRE(r.reports.size() == 4u);
    BOOST_TEST(r.reports.back().best_epoch == best_of(r.reports));  // reported all the same
    BOOST_TEST(same_bits(r.end, r.after.back()));
}

// Only a loss lower than the best by more than min_delta is an improvement: the validation
// loss falls, but never by 100, so the first epoch stays the best.
BOOST_AUTO_TEST_CASE(an_improvement_is_a_fall_of_more_than_min_delta) {
    const auto r = run(squares(30, 2), 30, tn::early_stopping{.patience = 2, .min_delta = 100});
    BOOST_TEST_REQUIRE(r.reports.size() == 3u);
    BOOST_TEST(r.reports.back().test_loss < r.reports.front().test_loss);  // it did learn
    BOOST_TEST(r.reports.back().best_epoch == 0u);
    BOOST_TEST(r.reports.back().stops_early);
    BOOST_TEST(same_bits(r.end, r.after[0]));
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused_before_anything_changes) {
    net model(3);
    optimizer opt({.lr = 0.1});
    net_trainer trainer(model, opt, 16);
    const auto before = values_of(model);
    const auto refused = [&](tn::early_stopping stopping, const std::string& part) {
        std::string message;
        try {
            trainer.fit(squares(30, 1), squares(30, 2), {.epochs = 2, .progress = nullptr, .early_stopping = stopping});
        } catch (const std::invalid_argument& e) {
            message = e.what();
        }
        BOOST_TEST(message.find(part) != std::string::npos, "\"" << message << "\" lacks \"" << part << "\"");
    };
    refused({.patience = 0}, "fit_options::early_stopping: patience must be at least 1 epoch");
    refused({.patience = 2, .min_delta = -0.5}, "min_delta must be a finite number at least 0, not -0.5");
    refused({.patience = 2, .min_delta = std::numeric_limits<double>::quiet_NaN()}, "not nan");
    BOOST_TEST(same_bits(values_of(model), before));
    BOOST_TEST(opt.steps() == 0u);
}
