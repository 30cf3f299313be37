/// Defines `typenet::trainer`: mini-batch training of a network on a labelled image set,
/// with seeded shuffling, metrics, a progress display, a CSV log, a stop on NaN, an epoch
/// callback, early stopping and checkpoints to resume from (the last three in training/).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <numeric>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/hana/unpack.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <typenet/backprop.hpp>
#include <typenet/data/augmentation.hpp>
#include <typenet/data/dataset.hpp>
#include <typenet/detail/labeled_batch.hpp>
#include <typenet/evaluate.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/softmax.hpp>
#include <typenet/serialize.hpp>
#include <typenet/training/checkpoint.hpp>
#include <typenet/training/early_stopping.hpp>
#include <typenet/training/epoch_report.hpp>

namespace typenet {

/// Thrown when the loss stops being a finite number; the parameters are those from before
/// the batch that diverged.
struct training_diverged : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What `fit_options::on_epoch` asks for after an epoch: go on, or end the run there.
enum class after_epoch { go_on, stop };

/// How `trainer::fit` runs.
struct fit_options {
    std::size_t epochs = 1;
    std::uint64_t seed = 0;  ///< shuffling and dropout
    /// The learning rate of each epoch (counted from 0); empty: the optimizer's own.
    std::function<double(std::size_t epoch)> schedule = {};
    std::string csv_log = {};      ///< a CSV file with one row per epoch, if not empty
    std::FILE* progress = stdout;  ///< a bar on a terminal, one line per epoch otherwise; null: silent
    /// Random crops and flips of the training images, drawn from the seed (none by default).
    data::augmentation augment = {};
    /// Ends the run when the test loss stops improving, and gives the network back the
    /// parameters and buffers of the epoch with the lowest (training/early_stopping.hpp).
    std::optional<typenet::early_stopping> early_stopping = {};
    /// Called after each epoch, once its checkpoint is written, with its report; returning
    /// `after_epoch::stop` ends the run there. An exception from it propagates, the network,
    /// the optimizer and the trainer left as after that epoch (as its checkpoint holds them).
    std::function<after_epoch(const epoch_report&)> on_epoch = {};
    /// A checkpoint written after every epoch, atomically, if not empty: the network (its
    /// parameters and buffers), the optimizer, the trainer's counters and early stopping's
    /// state (training/checkpoint.hpp). It holds typenet's optimizers (sgd, adam, adamw,
    /// rmsprop); with another, fit refuses a checkpoint (std::invalid_argument).
    std::filesystem::path checkpoint = {};
    /// A checkpoint to go on from, if not empty: the run continues at the epoch after the
    /// one saved, as if it had never stopped (with the same options, schedule and data). Its
    /// seed and early stopping must be these options'; if anything does not fit, `io_error`
    /// says what and nothing changes. A checkpoint at `epochs` or beyond trains no more.
    std::filesystem::path resume_from = {};
};

namespace detail {

template <class Bound>
inline constexpr bool is_softmax_bound = false;
template <class Shape>
inline constexpr bool is_softmax_bound<softmax::on<Shape>> = true;

template <class Bound>
constexpr bool identity_at_inference() {
    if constexpr (requires { Bound::identity_at_inference; })
        return Bound::identity_at_inference;
    else
        return false;
}

// Whether the output of `Bound` comes out of a softmax: the last of a block's layers that
// is not the identity at inference, in nested blocks too.
template <class Bound>
constexpr bool output_is_softmax() {
    if constexpr (Bound::role == layer_role::block) {
        return boost::hana::unpack(typename Bound::layers{}, [](auto... t) {
            constexpr std::array<bool, sizeof...(t)> softmax{output_is_softmax<typename decltype(t)::type>()...};
            constexpr std::array<bool, sizeof...(t)> identity{identity_at_inference<typename decltype(t)::type>()...};
            for (std::size_t i = sizeof...(t); i-- > 0;)
                if (!identity[i]) return softmax[i];
            return false;
        });
    } else {
        return is_softmax_bound<Bound>;
    }
}

}  // namespace detail

/// What a build error shows when a trainer cannot train a network, and why:
///
///     invalid_trainer<because<final_softmax_must_be_the_last_layer_outside_any_block>>
template <class Why>
struct invalid_trainer {};

/// Why: the trainer takes what goes into a final softmax as the logits of its loss, and
/// sees a softmax only as the network's last layer; one inside a block, or before a
/// dropout, would be applied twice.
struct final_softmax_must_be_the_last_layer_outside_any_block;

namespace detail {

/// `void` when a trainer can train `Net`, else the `invalid_trainer<…>` to report.
template <class Net>
using trainer_verdict =
    std::conditional_t<ends_with_softmax<Net> || !output_is_softmax<typename Net::block>(), void,
                       invalid_trainer<because<final_softmax_must_be_the_last_layer_outside_any_block>>>;

// A named trait with its own `value`, so that the compiler prints the invalid_trainer<…>.
template <class Verdict>
struct trainer_accepts {
    static constexpr bool value = false;
};
template <>
struct trainer_accepts<void> {
    static constexpr bool value = true;
};

}  // namespace detail

/// Trains `Net` with `Loss` (a classification loss on class labels, e.g.
/// `softmax_cross_entropy<10>`) and `Optimizer`, whose fit to the network is checked at
/// compile time. Every buffer is allocated when the trainer is made. It evaluates on as many
/// threads as it trains: a network set to fewer is raised to `threads` (`Net::set_threads`).
///
///     auto opt = typenet::make_optimizer<typenet::adam>(model, {.lr = 1e-3});
///     typenet::trainer<net, typenet::softmax_cross_entropy<10>, decltype(opt)> train(model, opt, 64);
///     train.fit(train_set, test_set, {.epochs = 5, .seed = 1});
template <class Net, class Loss, class Optimizer>
class trainer {
    using T = typename Net::scalar_type;
    // Checked where the trainer is declared, not only when fit() first scores a batch.
    static_assert(sizeof(checked_loss<Loss, Net>) > 0);
    // If you see this error: move the softmax out of its block, after any dropout, to be
    // the network's last layer (or remove it: the loss applies its own).
    static_assert(detail::trainer_accepts<detail::trainer_verdict<Net>>::value,
                  "typenet: the network's output comes out of a softmax that is not its last layer; the trainer "
                  "would apply softmax twice");
    static constexpr std::size_t classes = Net::output_size;
    // typenet's optimizers take the network's frozen parameters and leave them alone; an
    // optimizer of the user's that cannot trains only networks with nothing frozen.
    static constexpr bool steps_around_frozen =
        requires(Optimizer& o, Net& n, std::span<const T, Net::parameter_count> g) { o.step(n.parameters(), g, n.frozen()); };

public:
    trainer(Net& net, Optimizer& optimizer, std::size_t batch, std::size_t threads = 1)
        : net_(net),
          optimizer_(optimizer),
          batch_(batch),
          pass_(batch, threads),
          batch_data_(batch),
          evaluator_(net, batch) {
        if (net.threads() < threads) net.set_threads(threads);
    }

    /// One pass over `data` in an order shuffled from (`seed`, `epoch`).
    epoch_report train_epoch(const data::labeled_set& data, std::size_t epoch, std::uint64_t seed,
                             std::FILE* progress = nullptr, const data::augmentation& augment = {}) {
        detail::labeled_batch<Net, Loss>::check(data, "training");
        if (!steps_around_frozen && !net_.frozen().empty())
            throw std::invalid_argument(
                "typenet: the network has frozen layers, but the optimizer's step takes no frozen_parameters to leave "
                "them alone (typenet's optimizers do: step(params, grads, net.frozen()))");
        order_.resize(data.size());
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        std::shuffle(order_.begin(), order_.end(), std::mt19937_64(train_context::mix(seed + epoch)));
        epoch_report report{.epoch = epoch, .learning_rate = double(optimizer_.lr())};
        const bool bar = progress && isatty(fileno(progress));
        const auto start = std::chrono::steady_clock::now();
        double loss_sum = 0;
        std::size_t correct = 0, seen = 0, batch_index = 0;
        for (std::size_t first = 0; first < order_.size(); first += batch_, ++batch_index) {
            const std::size_t count = std::min(batch_, order_.size() - first);
            batch_data_.gather(data, std::span(order_).subspan(first, count));
            if (augment.enabled())
                batch_data_.augment(augment, count, train_context::mix(train_context::mix(seed + epoch) + first));
            const auto outputs = pass_.forward(net_, batch_data_.inputs(count), train_context::mix(seed) + iteration_++);
            const double batch_loss = batch_data_.loss_of(outputs, count, pass_.output_gradients());
            if (!std::isfinite(batch_loss))
                throw training_diverged(fmt::format(
                    "typenet: the loss became {} in epoch {}, batch {} (learning rate {}); the parameters are those "
                    "from before this batch. Lower the learning rate or check the data for NaN.",
                    batch_loss, epoch, batch_index, double(optimizer_.lr())));
            const auto gradients = pass_.backward(net_);
            try {
                if constexpr (steps_around_frozen)
                    optimizer_.step(net_.parameters(), gradients, net_.frozen());
                else
                    optimizer_.step(net_.parameters(), gradients);
            } catch (const std::domain_error& e) {  // a NaN gradient; the optimizer changed nothing
                throw training_diverged(fmt::format("typenet: the gradient is not finite in epoch {}, batch {}: {}",
                                                    epoch, batch_index, e.what()));
            }
            loss_sum += batch_loss * double(count);
            correct += batch_data_.correct(outputs, count);
            seen += count;
            if (bar) show_bar(progress, epoch, seen, data.size(), loss_sum / double(seen), double(correct) / double(seen),
                              seconds_since(start));
        }
        report.train_loss = loss_sum / double(seen);
        report.train_accuracy = double(correct) / double(seen);
        report.seconds = seconds_since(start);
        report.images_per_second = double(seen) / report.seconds;
        return report;
    }

    /// Loss, accuracy and confusion matrix in inference mode (dropout off).
    evaluation<classes> evaluate(const data::labeled_set& data) { return evaluator_(data); }

    /// Trains for `options.epochs`, evaluating on `test` after each epoch (a validation set,
    /// which early stopping watches), and returns the reports of the epochs it ran: fewer if
    /// early stopping or `on_epoch` ends the run. Both sets are checked before anything changes.
    ///
    ///     auto split = typenet::split_validation(train_set, 0.1, /*seed=*/1);
    ///     trainer.fit(split.train, split.validation,
    ///                 {.epochs = 50, .seed = 1, .early_stopping = typenet::early_stopping{.patience = 5},
    ///                  .checkpoint = "run.tnckpt"});
    std::vector<epoch_report> fit(const data::labeled_set& train, const data::labeled_set& test,
                                  const fit_options& options) {
        detail::labeled_batch<Net, Loss>::check(train, "training");
        detail::labeled_batch<Net, Loss>::check(test, "test");
        detail::check_early_stopping(options.early_stopping);
        detail::epoch_log log(options.progress, options.csv_log, /*append=*/!options.resume_from.empty());
        detail::fit_progress<Net> run = start_or_resume(options);
        std::vector<epoch_report> reports;
        while (run.next_epoch < options.epochs && !run.best.ends_run(run.stopping)) {
            const std::size_t epoch = run.next_epoch++;
            if (options.schedule) optimizer_.set_lr(T(options.schedule(epoch)));
            epoch_report r = train_epoch(train, epoch, options.seed, options.progress, options.augment);
            const auto e = evaluate(test);
            r.test_loss = e.loss;
            r.test_accuracy = e.accuracy;
            run.best.record(epoch, r.test_loss, run.stopping, net_);
            r.best_epoch = run.best.epoch;
            r.stops_early = run.best.ends_run(run.stopping) && run.next_epoch < options.epochs;
            log.write(r, options.epochs);
            save_checkpoint(options.checkpoint, run);
            reports.push_back(r);
            if (options.on_epoch && options.on_epoch(r) == after_epoch::stop) break;
        }
        run.best.network.restore(net_);  // kept with early stopping only
        return reports;
    }

private:
    // A new run from epoch 0, or the run that `options.resume_from` saved, put back into the
    // network, the optimizer and this trainer once all of it is read and checked.
    detail::fit_progress<Net> start_or_resume(const fit_options& options) {
        const detail::fit_progress<Net> start{.seed = options.seed, .stopping = options.early_stopping, .best = {}};
        if constexpr (!detail::checkpointable_optimizer<Optimizer>) {
            if (!options.checkpoint.empty() || !options.resume_from.empty())
                throw std::invalid_argument("typenet: fit_options::checkpoint and resume_from need one of typenet's "
                                            "optimizers, whose state a checkpoint can hold");
            return start;
        } else {
            return options.resume_from.empty() ? start : resume(options);
        }
    }

    // Changes nothing before every check is done and every value decoded.
    detail::fit_progress<Net> resume(const fit_options& options) {
        const std::filesystem::path& file = options.resume_from;
        auto saved = detail::read_checkpoint<Net>(file, optimizer_);
        if (saved.progress.seed != options.seed)
            throw io_error(file, fmt::format("saved by a run with seed {}, not fit_options::seed {}: a run goes on with "
                                             "its own seed",
                                             saved.progress.seed, options.seed));
        if (saved.progress.stopping != options.early_stopping)
            throw io_error(file, fmt::format("saved by a run {}, not {} as fit_options say: a run goes on with its own "
                                             "early stopping",
                                             detail::early_stopping_text(saved.progress.stopping),
                                             detail::early_stopping_text(options.early_stopping)));
        saved.network.restore(net_);
        optimizer_ = std::move(*saved.optimizer);
        iteration_ = saved.iteration;
        return std::move(saved.progress);
    }

    // After an epoch, if asked for; a run without typenet's optimizer has been refused before.
    void save_checkpoint(const std::filesystem::path& file, const detail::fit_progress<Net>& run) const {
        if constexpr (detail::checkpointable_optimizer<Optimizer>)
            if (!file.empty()) detail::write_checkpoint(file, net_, optimizer_, iteration_, run);
    }

    static double seconds_since(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    static void show_bar(std::FILE* out, std::size_t epoch, std::size_t seen, std::size_t total, double loss_value,
                         double accuracy, double seconds) {
        constexpr int width = 30;
        const int filled = int(double(width) * double(seen) / double(total));
        fmt::print(out, "\repoch {} [{}{}] {}/{} loss {:.4f} accuracy {:.4f} {:.0f} images/s", epoch + 1,
                   std::string(std::size_t(filled), '='), std::string(std::size_t(width - filled), ' '), seen, total,
                   loss_value, accuracy, double(seen) / seconds);
        std::fflush(out);
    }

    Net& net_;
    Optimizer& optimizer_;
    std::size_t batch_;
    backprop<Net> pass_;
    detail::labeled_batch<Net, Loss> batch_data_;
    evaluator<Net, Loss> evaluator_;
    std::vector<std::size_t> order_;
    std::uint64_t iteration_ = 0;
};

}  // namespace typenet
