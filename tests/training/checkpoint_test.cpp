// Tests typenet/training/checkpoint.hpp through trainer::fit: a run resumed in a new
// process ends bitwise equal to one that ran through, and would not without the optimizer's
// state; the optimizer's options come back; early stopping goes on where it stood; a file
// that does not fit is refused, naming what differs, and changes nothing.
#define BOOST_TEST_MODULE checkpoint
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include <spawn.h>
#include <sys/wait.h>

#include <typenet/typenet.hpp>

#include "../support/squares.hpp"
#include "../support/temp_dir.hpp"

namespace tn = typenet;
namespace fs = std::filesystem;
using tn::testing::squares;
using tn::testing::temp_dir;

extern char** environ;

// Dropout (the batch counter seeds it), batch norm (buffers) and Adam (moments, steps).
using cnn = tn::network<tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::batch_norm2d<>, tn::relu,
                        tn::max_pool<2>, tn::flatten, tn::dropout<25>, tn::dense<3>>;
using adam_type = tn::adam<float, cnn::parameter_count>;
using cnn_trainer = tn::trainer<cnn, tn::softmax_cross_entropy<3>, adam_type>;

const auto train_set = squares(96, 1), validation = squares(30, 2);

tn::fit_options options(std::size_t epochs) {
    return {.epochs = epochs, .seed = 11, .schedule = [](std::size_t e) { return tn::step_lr{2, 0.5}(0.01, e); },
            .progress = nullptr};
}

// Everything training depends on: the network's parameters and buffers, the optimizer's
// state arrays, steps and learning rate.
template <class Net, class Optimizer>
std::vector<float> state_of(const Net& model, const Optimizer& opt) {
    std::vector<float> v(model.parameters().begin(), model.parameters().end());
    v.insert(v.end(), model.buffers().begin(), model.buffers().end());
    for (std::size_t k = 0; k < opt.state_array_count(); ++k)
        v.insert(v.end(), opt.state_array(k).begin(), opt.state_array(k).end());
    v.push_back(float(opt.steps()));
    v.push_back(opt.lr());
    return v;
}
std::vector<float> values_of(const cnn& model) {
    std::vector<float> v(model.parameters().begin(), model.parameters().end());
    v.insert(v.end(), model.buffers().begin(), model.buffers().end());
    return v;
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Trains 4 epochs from scratch, writing a checkpoint after each; keeps a copy of the one
// after epoch `kept` (from 0) as `copy`. Returns the network after the 4 epochs.
std::vector<float> run_through(const fs::path& checkpoint, std::size_t kept, const fs::path& copy) {
    cnn model(3);
    adam_type opt({.lr = 0.01});
    cnn_trainer trainer(model, opt, 16);
    auto o = options(4);
    o.checkpoint = checkpoint;
    o.on_epoch = [&](const tn::epoch_report& r) {
        if (r.epoch == kept) fs::copy_file(checkpoint, copy, fs::copy_options::overwrite_existing);
        return tn::after_epoch::go_on;
    };
    trainer.fit(train_set, validation, o);
    return values_of(model);
}

// Runs this test program again, in a new process, with `args`; returns its exit status.
int run_this_program(std::vector<std::string> args) {
    char* self = boost::unit_test::framework::master_test_suite().argv[0];
    std::vector<char*> argv{self};
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, self, nullptr, nullptr, argv.data(), environ) != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The new process of the next case: goes on from the checkpoint argv[1] in a network and
// an optimizer made otherwise (other initial values, another learning rate), up to epoch
// 4, and saves the network to argv[2]. Run only by that case.
BOOST_AUTO_TEST_CASE(resume_in_this_process, *boost::unit_test::disabled()) {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    BOOST_TEST_REQUIRE(suite.argc == 3);
    cnn model(99);
    adam_type opt({.lr = 0.5});
    cnn_trainer trainer(model, opt, 16);
    auto o = options(4);
    o.resume_from = suite.argv[1];
    const auto reports = trainer.fit(train_set, validation, o);
    BOOST_TEST_REQUIRE(reports.size() == 2u);
    BOOST_TEST(reports.front().epoch == 2u);
    tn::save_parameters(model, suite.argv[2]);
}

BOOST_AUTO_TEST_CASE(a_run_resumed_in_a_new_process_ends_bitwise_equal_to_one_that_ran_through) {
    temp_dir dir;
    const auto through = run_through(dir / "run.tnckpt", 1, dir / "after_2.tnckpt");
    BOOST_TEST_REQUIRE(run_this_program({"--run_test=resume_in_this_process", "--", (dir / "after_2.tnckpt").string(),
                                         (dir / "resumed.tnet").string()}) == 0);
    cnn resumed(5);
    tn::load_parameters(resumed, dir / "resumed.tnet");  // parameters and buffers, float32 as they are
    BOOST_TEST(same_bits(values_of(resumed), through));
}

// Goes on from `checkpoint` to epoch 4 by hand, as fit does, but with `fresh_optimizer`
// true the optimizer loses its moments and steps once the checkpoint is loaded.
std::vector<float> resume_by_hand(const fs::path& checkpoint, bool fresh_optimizer) {
    cnn model(99);
    adam_type opt({.lr = 0.01});
    cnn_trainer trainer(model, opt, 16);
    auto o = options(2);
    o.resume_from = checkpoint;
    BOOST_TEST(trainer.fit(train_set, validation, o).empty());  // loads it: epoch 2 is the run's end
    if (fresh_optimizer) opt = adam_type({.lr = 0.01});
    for (std::size_t epoch = 2; epoch < 4; ++epoch) {
        opt.set_lr(float(o.schedule(epoch)));
        trainer.train_epoch(train_set, epoch, o.seed);
    }
    return values_of(model);
}

// The test above can fail: going on by hand ends where fit does, but not without the
// optimizer's state.
BOOST_AUTO_TEST_CASE(a_run_resumed_without_the_optimizer_state_ends_elsewhere) {
    temp_dir dir;
    const auto through = run_through(dir / "run.tnckpt", 1, dir / "after_2.tnckpt");
    BOOST_TEST(same_bits(resume_by_hand(dir / "after_2.tnckpt", false), through));
    BOOST_TEST(!same_bits(resume_by_hand(dir / "after_2.tnckpt", true), through));
}

// Without a schedule the learning rate is the optimizer's: it comes back, with every other
// option, even those that change how many state arrays the optimizer keeps.
BOOST_AUTO_TEST_CASE(the_optimizer_comes_back_with_its_options_and_state) {
    temp_dir dir;
    cnn saved(3);
    adam_type saved_opt({.lr = 0.003, .betas = {0.8, 0.99}, .amsgrad = true});
    cnn_trainer(saved, saved_opt, 16).fit(train_set, validation,
                                          {.epochs = 2, .seed = 11, .progress = nullptr, .checkpoint = dir / "run.tnckpt"});
    cnn model(5);
    adam_type opt({.lr = 0.5});
    cnn_trainer trainer(model, opt, 16);
    // Epoch 2 is where the saved run stands: the checkpoint is loaded, and no epoch trained.
    const auto more = trainer.fit(train_set, validation,
                                  {.epochs = 2, .seed = 11, .progress = nullptr, .resume_from = dir / "run.tnckpt"});
    BOOST_TEST(more.empty());
    BOOST_TEST(opt.lr() == 0.003f);
    BOOST_TEST(opt.options().betas[0] == 0.8);
    BOOST_TEST(opt.options().amsgrad);
    BOOST_TEST(opt.state_array_count() == 3u);
    BOOST_TEST(same_bits(state_of(model, opt), state_of(saved, saved_opt)));
}

// A validation set whose every label is wrong: its loss rises as the network learns.
tn::data::labeled_set mislabeled() {
    auto set = squares(30, 2);
    for (auto& label : set.labels) label = std::uint8_t((label + 1) % 3);
    return set;
}

// Early stopping's state is in the checkpoint: the best loss, its epoch, the epochs since,
// and the best parameters, which the resumed run gives back when it stops.
BOOST_AUTO_TEST_CASE(early_stopping_goes_on_where_it_stood) {
    temp_dir dir;
    const auto wrong = mislabeled();
    const auto early = [&](std::size_t epochs) {
        auto o = options(epochs);
        o.early_stopping = tn::early_stopping{.patience = 2};
        return o;
    };
    cnn model(3);
    adam_type opt({.lr = 0.01});
    cnn_trainer trainer(model, opt, 16);
    auto o = early(20);
    o.checkpoint = dir / "run.tnckpt";
    o.on_epoch = [&](const tn::epoch_report& r) {
        fs::copy_file(dir / "run.tnckpt", dir / fmt::format("after_{}.tnckpt", r.epoch + 1));
        return tn::after_epoch::go_on;
    };
    const auto reports = trainer.fit(train_set, wrong, o);
    BOOST_TEST_REQUIRE(reports.back().stops_early);
    const std::size_t ran = reports.size();
    BOOST_TEST_REQUIRE(ran >= 3u);
    for (const std::size_t from : {ran - 1, ran}) {  // before the last epoch, and after it
        cnn resumed(99);
        adam_type resumed_opt({.lr = 0.01});
        cnn_trainer resumed_trainer(resumed, resumed_opt, 16);
        auto ro = early(20);
        ro.resume_from = dir / fmt::format("after_{}.tnckpt", from);
        const auto more = resumed_trainer.fit(train_set, wrong, ro);
        BOOST_TEST(more.size() == ran - from);  // the epoch left, or none
        if (!more.empty()) BOOST_TEST(more.back().stops_early);
        BOOST_TEST(same_bits(values_of(resumed), values_of(model)));  // the best epoch's
    }
}

// Runs fit, which must throw io_error naming `file` and each of `parts`.
template <class F>
void check_io_error(F&& fit, const fs::path& file, std::initializer_list<std::string> parts) {
    std::string message;
    try {
        fit();
    } catch (const tn::io_error& e) {
        message = e.what();
    }
    BOOST_TEST_REQUIRE(!message.empty(), "no io_error for " << file);
    BOOST_TEST(message.find(file.filename().string()) != std::string::npos, message);
    for (const std::string& part : parts)
        BOOST_TEST(message.find(part) != std::string::npos, "\"" << message << "\" lacks \"" << part << "\"");
}

BOOST_AUTO_TEST_CASE(a_checkpoint_that_does_not_fit_is_refused_naming_what_differs_and_changes_nothing) {
    temp_dir dir;
    const auto good = dir / "good.tnckpt";
    {
        cnn source(3);
        adam_type source_opt({.lr = 0.01});
        auto o = options(1);
        o.checkpoint = good;
        cnn_trainer(source, source_opt, 16).fit(train_set, validation, o);
        tn::save_parameters(source, dir / "weights.tnet");
    }
    // Checkpoints of another network (no dropout), optimizer and scalar type.
    using other_net = tn::network<tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::batch_norm2d<>, tn::relu,
                                  tn::max_pool<2>, tn::flatten, tn::dense<3>>;
    using double_cnn =
        tn::basic_network<double, tn::input<1, 6, 6>, tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::batch_norm2d<>,
                          tn::relu, tn::max_pool<2>, tn::flatten, tn::dropout<25>, tn::dense<3>>;
    const auto write = [&](auto model, auto opt, const fs::path& file) {
        auto o = options(1);
        o.checkpoint = file;
        tn::trainer<decltype(model), tn::softmax_cross_entropy<3>, decltype(opt)>(model, opt, 16).fit(train_set, validation, o);
    };
    write(other_net(3), tn::adam<float, other_net::parameter_count>({}), dir / "other_network.tnckpt");
    write(cnn(3), tn::sgd<float, cnn::parameter_count>({.lr = 0.1, .momentum = 0.9}), dir / "sgd.tnckpt");
    write(double_cnn(3), tn::adam<double, double_cnn::parameter_count>({}), dir / "double.tnckpt");

    cnn model(5);
    adam_type opt({.lr = 0.02});
    cnn_trainer trainer(model, opt, 16);
    trainer.fit(train_set, validation, options(1));  // a state of its own to keep
    const auto before = state_of(model, opt);
    const auto refused = [&](const fs::path& file, std::initializer_list<std::string> parts, auto change_options) {
        auto o = options(3);
        o.resume_from = file;
        change_options(o);
        check_io_error([&] { trainer.fit(train_set, validation, o); }, file, parts);
        BOOST_TEST(same_bits(state_of(model, opt), before));
    };
    const auto as_saved = [](tn::fit_options&) {};
    const auto bytes = tn::testing::read_all(good);

    refused(dir.write("truncated.tnckpt", tn::testing::bytes(bytes.begin(), bytes.begin() + std::ptrdiff_t(bytes.size() / 2))),
            {"truncated: expected", "but the file ends after"}, as_saved);
    auto flipped = bytes;
    flipped[flipped.size() / 2] ^= 0x10;
    refused(dir.write("flipped.tnckpt", flipped), {"checksum mismatch", "the file is corrupt"}, as_saved);
    refused(dir / "other_network.tnckpt",
            {"saved from a different network: the signatures differ at line 7", "file:    5 dense 3",
             "network: 5 dropout 25/100"},
            as_saved);
    refused(dir / "sgd.tnckpt", {"saved with optimizer sgd; this trainer's is adam"}, as_saved);
    refused(dir / "double.tnckpt", {"saved from a float64 network and optimizer; this trainer's are float32"}, as_saved);
    refused(dir / "weights.tnet", {"a parameter file (save_parameters), not a checkpoint"}, as_saved);
    refused(dir / "absent.tnckpt", {"cannot open"}, as_saved);
    refused(good, {"saved by a run with seed 11, not fit_options::seed 12"}, [](tn::fit_options& o) { o.seed = 12; });
    refused(good, {"saved by a run without early stopping, not with early stopping (patience 5, min_delta 0)"},
            [](tn::fit_options& o) { o.early_stopping = tn::early_stopping{}; });
    // And the good one goes on, for the two epochs left of three.
    auto o = options(3);
    o.resume_from = good;
    BOOST_TEST(trainer.fit(train_set, validation, o).size() == 2u);
}
