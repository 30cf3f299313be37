// Tests typenet/train.hpp and typenet/init.hpp on a small synthetic problem: learning,
// reproducibility, the NaN stop, the CSV log, the confusion matrix, bad data sets and the
// epoch callback.
#define BOOST_TEST_MODULE train
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <typenet/typenet.hpp>

#include "support/squares.hpp"

namespace tn = typenet;
using tn::testing::squares;
using net = tn::network<tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>>, tn::relu, tn::flatten, tn::dense<3>>;
using softmax_net = tn::network<tn::input<1, 6, 6>, tn::flatten, tn::dense<3>, tn::softmax>;

// A trainer sees a final softmax only as the last layer; one that gives the output from
// inside a block or before a dropout is refused (tests/compile_fail/trainer_softmax_*),
// one that a later layer reads is a softmax like any layer.
using tn::detail::trainer_verdict;
using refused = tn::invalid_trainer<tn::because<tn::final_softmax_must_be_the_last_layer_outside_any_block>>;
static_assert(std::is_void_v<trainer_verdict<softmax_net>>);
static_assert(std::is_void_v<trainer_verdict<tn::network<tn::input<4>, tn::sequential<tn::dense<3>, tn::softmax>, tn::dense<2>>>>);
static_assert(std::is_void_v<trainer_verdict<tn::network<tn::input<4>, tn::dense<3>, tn::dropout<10>, tn::softmax>>>);
static_assert(std::is_same_v<trainer_verdict<tn::network<tn::input<4>, tn::sequential<tn::dense<3>, tn::sequential<tn::softmax>>,
                                                         tn::dropout<10>>>,
                             refused>);

template <class Net>
auto make_trainer(Net& model, tn::sgd<float, Net::parameter_count>& opt, std::size_t threads = 1) {
    return tn::trainer<Net, tn::softmax_cross_entropy<3>, tn::sgd<float, Net::parameter_count>>(model, opt, 16, threads);
}

// Blocks of branches train like chains: a residual block and an Inception-like concat.
BOOST_AUTO_TEST_CASE(a_branching_network_learns) {
    using branching = tn::network<
        tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::relu,
        tn::residual<tn::sequential<tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::relu, tn::depthwise_conv2d<tn::kernel<3>, tn::pad<1>>>>,
        tn::relu, tn::concat<tn::conv2d<2, tn::kernel<1>>, tn::max_pool<3, tn::stride<1>, tn::pad<1>>>, tn::flatten, tn::dense<3>>;
    const auto train_set = squares(300, 1), test_set = squares(90, 2);
    branching model(3);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.05, .momentum = 0.9});
    tn::trainer<branching, tn::softmax_cross_entropy<3>, decltype(opt)> trainer(model, opt, 16, 2);
    const double before = trainer.evaluate(test_set).accuracy;
    trainer.fit(train_set, test_set, {.epochs = 4, .seed = 5, .progress = nullptr});
    BOOST_TEST(before < 0.7);
    BOOST_TEST(trainer.evaluate(test_set).accuracy > 0.95);
}

BOOST_AUTO_TEST_CASE(learns_and_reports_a_consistent_confusion_matrix) {
    const auto train_set = squares(300, 1), test_set = squares(90, 2);
    net model(3);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.1, .momentum = 0.9});
    auto trainer = make_trainer(model, opt);
    const double before = trainer.evaluate(test_set).accuracy;
    const auto reports = trainer.fit(train_set, test_set, {.epochs = 4, .seed = 5, .progress = nullptr});
    const auto after = trainer.evaluate(test_set);
    BOOST_TEST(before < 0.7);
    BOOST_TEST(after.accuracy > 0.95);
    BOOST_TEST(reports.back().test_accuracy == after.accuracy);
    BOOST_TEST(reports.back().train_loss < reports.front().train_loss);
    std::size_t total = 0, diagonal = 0;
    for (std::size_t t = 0; t < 3; ++t) {
        std::size_t row = 0;
        for (std::size_t p = 0; p < 3; ++p) row += after.confusion[t][p];
        BOOST_TEST(row == 30u);  // 30 samples of each class
        total += row;
        diagonal += after.confusion[t][t];
    }
    BOOST_TEST(total == 90u);
    BOOST_TEST(double(diagonal) / 90 == after.accuracy);
}

BOOST_AUTO_TEST_CASE(same_seed_same_parameters_whatever_the_threads) {
    const auto data = squares(100, 1);
    net a(3), b(3), c(3);
    auto oa = tn::make_optimizer<tn::sgd>(a, {.lr = 0.05}), ob = tn::make_optimizer<tn::sgd>(b, {.lr = 0.05}),
         oc = tn::make_optimizer<tn::sgd>(c, {.lr = 0.05});
    auto ta = make_trainer(a, oa), tb = make_trainer(b, ob, 2), tc = make_trainer(c, oc);
    ta.train_epoch(data, 0, 7);
    tb.train_epoch(data, 0, 7);
    tc.train_epoch(data, 0, 8);
    // Two threads sum the per-sample gradients in another order: equal to rounding.
    for (std::size_t i = 0; i < net::parameter_count; ++i)
        BOOST_TEST(a.parameters()[i] == b.parameters()[i], boost::test_tools::tolerance(1e-4f));
    bool differs = false;
    for (std::size_t i = 0; i < net::parameter_count; ++i) differs |= a.parameters()[i] != c.parameters()[i];
    BOOST_TEST(differs);  // another seed shuffles otherwise
    // The trainer evaluates on its threads too, and scores as one thread does.
    BOOST_TEST(a.threads() == 1u);
    BOOST_TEST(b.threads() == 2u);
    BOOST_TEST(ta.evaluate(data).loss == tb.evaluate(data).loss, boost::test_tools::tolerance(1e-4));
}

BOOST_AUTO_TEST_CASE(a_diverging_loss_stops_training_and_keeps_the_last_good_parameters) {
    auto data = squares(64, 1);
    data.images.image(40)[7] = std::numeric_limits<float>::quiet_NaN();
    net model(3);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.01});
    auto trainer = make_trainer(model, opt);
    std::string message;
    try {
        trainer.train_epoch(data, 0, 1);
    } catch (const tn::training_diverged& e) {
        message = e.what();
    }
    // relu passes the NaN on, so the loss itself becomes NaN in the batch holding image 40.
    BOOST_TEST(message.find("the loss became nan in epoch 0") != std::string::npos, message);
    for (float v : model.parameters()) BOOST_TEST_REQUIRE(std::isfinite(v));
}

BOOST_AUTO_TEST_CASE(a_network_ending_in_softmax_trains_through_it) {
    const auto train_set = squares(300, 1), test_set = squares(90, 2);
    softmax_net model(2);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.5});
    auto trainer = make_trainer(model, opt);
    trainer.fit(train_set, test_set, {.epochs = 5, .seed = 1, .progress = nullptr});
    const auto result = trainer.evaluate(test_set);
    BOOST_TEST(result.accuracy > 0.95);
    BOOST_TEST(result.loss < 0.5);
}

BOOST_AUTO_TEST_CASE(writes_one_csv_row_per_epoch_and_plain_progress_lines) {
    const auto data = squares(60, 1);
    net model(3);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.1});
    auto trainer = make_trainer(model, opt);
    const auto csv = std::filesystem::temp_directory_path() / "typenet_train_test.csv";
    std::FILE* progress = std::tmpfile();
    trainer.fit(data, data, {.epochs = 3, .seed = 1, .schedule = [](std::size_t e) { return 0.1 / double(e + 1); },
                             .csv_log = csv.string(), .progress = progress});
    std::ifstream in(csv);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    BOOST_TEST_REQUIRE(lines.size() == 4u);
    BOOST_TEST(lines[0] == "epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second");
    BOOST_TEST(lines[2].rfind("2,0.05,", 0) == 0);  // the schedule's rate for epoch 2
    std::rewind(progress);
    char buffer[4096] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, progress);
    const std::string text(buffer, n);
    BOOST_TEST(text.find("epoch 3/3: loss") != std::string::npos);
    BOOST_TEST(text.find('\r') == std::string::npos);  // not a terminal: no bar
    std::fclose(progress);
    std::filesystem::remove(csv);
}

BOOST_AUTO_TEST_CASE(rejects_data_of_the_wrong_shape) {
    auto data = squares(10, 1);
    data.images.rows = 5;
    net model;
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.1});
    auto trainer = make_trainer(model, opt);
    BOOST_CHECK_EXCEPTION(trainer.evaluate(data), std::invalid_argument, [](const std::invalid_argument& e) {
        return std::string(e.what()).find("1x5x6 = 30 values; the network's input has 36") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(initializers_draw_the_documented_distributions) {
    using wide = tn::network<tn::input<400>, tn::dense<300>>;
    auto model = std::make_unique<wide>();
    auto moments = [&] {
        const auto w = model->parameters().first(120000);
        double sum = 0, squares = 0, largest = 0;
        for (float v : w) sum += v, squares += double(v) * v, largest = std::max(largest, double(std::abs(v)));
        return std::array{sum / 120000, squares / 120000, largest};
    };
    auto bias_is_zero = [&] {
        const auto b = model->parameters().last(300);
        return std::all_of(b.begin(), b.end(), [](float v) { return v == 0.0f; });
    };
    tn::initialize(*model, tn::initializer::he_normal, 1);
    auto m = moments();
    BOOST_TEST(m[1] == 2.0 / 400, boost::test_tools::tolerance(0.02));
    BOOST_TEST(bias_is_zero());
    tn::initialize(*model, tn::initializer::he_uniform, 1);
    m = moments();
    BOOST_TEST(m[2] <= std::sqrt(6.0 / 400));
    BOOST_TEST(m[1] == 2.0 / 400, boost::test_tools::tolerance(0.02));  // U(±a) has variance a²/3
    tn::initialize(*model, tn::initializer::glorot_uniform, 1);
    m = moments();
    BOOST_TEST(m[1] == 2.0 / 700, boost::test_tools::tolerance(0.02));
    tn::initialize(*model, tn::initializer::glorot_normal, 1);
    BOOST_TEST(moments()[1] == 2.0 / 700, boost::test_tools::tolerance(0.02));
    tn::initialize(*model, tn::initializer::pytorch_default, 1);
    m = moments();
    BOOST_TEST(m[1] == 1.0 / 3 / 400, boost::test_tools::tolerance(0.02));
    BOOST_TEST(!bias_is_zero());
    BOOST_TEST(std::abs(m[0]) < 1e-3);
}

// The callback sees each epoch's report once, as fit returns it, and can end the run.
BOOST_AUTO_TEST_CASE(the_epoch_callback_sees_every_report_and_can_stop_the_run) {
    const auto train_set = squares(60, 1), test_set = squares(30, 2);
    net model(3);
    auto opt = tn::make_optimizer<tn::sgd>(model, {.lr = 0.1});
    auto trainer = make_trainer(model, opt);
    std::vector<tn::epoch_report> seen;
    const auto reports = trainer.fit(train_set, test_set,
                                     {.epochs = 5, .seed = 1, .progress = nullptr, .on_epoch = [&](const tn::epoch_report& r) {
                                          seen.push_back(r);
                                          return seen.size() == 3 ? tn::after_epoch::stop : tn::after_epoch::go_on;
                                      }});
    BOOST_TEST_REQUIRE(seen.size() == 3u);  // stopped after the third of five epochs
    BOOST_TEST_REQUIRE(reports.size() == 3u);
    for (std::size_t e = 0; e < 3; ++e) {
        BOOST_TEST(seen[e].epoch == e);
        BOOST_TEST(seen[e].test_loss == reports[e].test_loss);
        BOOST_TEST(seen[e].train_loss == reports[e].train_loss);
        BOOST_TEST(!seen[e].stops_early);  // a stop asked for is not early stopping
    }
    BOOST_TEST(reports.back().test_loss == trainer.evaluate(test_set).loss);  // the network after epoch 3
    BOOST_TEST(opt.steps() == 3u * 4u);                                        // 60 samples: 4 batches of 16
}

// An exception from the callback leaves the network and the optimizer as after its epoch:
// as a run of that many epochs leaves them.
BOOST_AUTO_TEST_CASE(an_exception_from_the_epoch_callback_leaves_the_trainer_after_its_epoch) {
    const auto train_set = squares(60, 1), test_set = squares(30, 2);
    net thrown(3), control(3);
    auto opt = tn::make_optimizer<tn::sgd>(thrown, {.lr = 0.1, .momentum = 0.9});
    auto control_opt = tn::make_optimizer<tn::sgd>(control, {.lr = 0.1, .momentum = 0.9});
    auto trainer = make_trainer(thrown, opt);
    auto control_trainer = make_trainer(control, control_opt);
    struct callback_failed {};
    BOOST_CHECK_THROW(trainer.fit(train_set, test_set,
                                  {.epochs = 4, .seed = 1, .progress = nullptr, .on_epoch = [](const tn::epoch_report& r) {
                                       if (r.epoch == 1) throw callback_failed{};
                                       return tn::after_epoch::go_on;
                                   }}),
                      callback_failed);
    control_trainer.fit(train_set, test_set, {.epochs = 2, .seed = 1, .progress = nullptr});
    BOOST_TEST(std::memcmp(thrown.parameters().data(), control.parameters().data(), sizeof(float) * net::parameter_count) == 0);
    BOOST_TEST(opt.steps() == control_opt.steps());
}

// Any optimizer of the minimal complete definition trains; checkpoints hold typenet's only.
struct plain_descent {
    using scalar_type = float;
    static constexpr std::size_t parameter_count = net::parameter_count;
    struct options_type {
        double lr = 0.1;
    };
    explicit plain_descent(const options_type& o) : lr_(float(o.lr)) {}
    void step(std::span<float, parameter_count> params, std::span<const float, parameter_count> grads) {
        for (std::size_t i = 0; i < parameter_count; ++i) params[i] -= lr_ * grads[i];
        ++steps_;
    }
    float lr() const { return lr_; }
    void set_lr(float lr) { lr_ = lr; }
    std::size_t steps() const { return steps_; }

private:
    float lr_;
    std::size_t steps_ = 0;
};
static_assert(tn::optimizer<plain_descent>);
static_assert(!tn::detail::checkpointable_optimizer<plain_descent>);

BOOST_AUTO_TEST_CASE(an_optimizer_of_ones_own_trains_but_is_not_checkpointed) {
    const auto data = squares(60, 1);
    net model(3);
    plain_descent opt({});
    tn::trainer<net, tn::softmax_cross_entropy<3>, plain_descent> trainer(model, opt, 16);
    BOOST_TEST(trainer.fit(data, data, {.epochs = 2, .progress = nullptr}).size() == 2u);
    BOOST_TEST(opt.steps() == 8u);
    BOOST_CHECK_EXCEPTION(trainer.fit(data, data, {.epochs = 2, .progress = nullptr, .checkpoint = "unwritten.tnckpt"}),
                          std::invalid_argument, [](const std::invalid_argument& e) {
                              return std::string(e.what()).find("need one of typenet's optimizers") != std::string::npos;
                          });
    BOOST_TEST(opt.steps() == 8u);  // refused before any epoch
}
