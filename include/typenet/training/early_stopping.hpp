/// Defines `typenet::early_stopping`: when `trainer::fit` ends before its last epoch,
/// because the loss on the set it evaluates (a validation set) has stopped improving.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include <typenet/training/network_snapshot.hpp>

namespace typenet {

/// Stops `trainer::fit` after `patience` epochs in a row whose test loss (`epoch_report::
/// test_loss`, the loss on fit's second set) is not below the best so far by more than
/// `min_delta`, and gives the network back the parameters and buffers of the best epoch.
/// They are given back however the run ends: stopped early, stopped by the epoch callback,
/// or after its last epoch.
///
///     trainer.fit(split.train, split.validation,
///                 {.epochs = 100, .early_stopping = typenet::early_stopping{.patience = 5}});
struct early_stopping {
    /// Epochs without improvement that end the run: at least 1.
    std::size_t patience = 5;
    /// How much lower than the best a loss must be to count as better: at least 0.
    double min_delta = 0;

    bool operator==(const early_stopping&) const = default;
};

namespace detail {

inline void check_early_stopping(const std::optional<early_stopping>& stopping) {
    if (!stopping) return;
    if (stopping->patience == 0)
        throw std::invalid_argument("typenet: fit_options::early_stopping: patience must be at least 1 epoch");
    if (!(stopping->min_delta >= 0) || !std::isfinite(stopping->min_delta))
        throw std::invalid_argument(fmt::format(
            "typenet: fit_options::early_stopping: min_delta must be a finite number at least 0, not {}",
            stopping->min_delta));
}

// "with early stopping (patience 3, min_delta 0.01)", as errors name it.
inline std::string early_stopping_text(const std::optional<early_stopping>& stopping) {
    return stopping ? fmt::format("with early stopping (patience {}, min_delta {})", stopping->patience, stopping->min_delta)
                    : "without early stopping";
}

/// The epoch of `trainer::fit` with the lowest test loss so far, and with early stopping,
/// a copy of the network after it. A checkpoint keeps it all (training/checkpoint.hpp).
template <class Net>
struct best_epoch {
    double loss = std::numeric_limits<double>::infinity();  // none yet
    std::size_t epoch = 0;
    std::size_t epochs_without_improvement = 0;
    network_snapshot<Net> network;  // empty without early stopping

    /// Records the test loss of `epoch`, after which `net` stands.
    void record(std::size_t this_epoch, double test_loss, const std::optional<early_stopping>& stopping, const Net& net) {
        // A NaN is never an improvement; infinity - min_delta lets any finite loss in first.
        if (test_loss < loss - (stopping ? stopping->min_delta : 0)) {
            loss = test_loss;
            epoch = this_epoch;
            epochs_without_improvement = 0;
            if (stopping) network.take(net);
        } else {
            ++epochs_without_improvement;
        }
    }

    /// Whether early stopping ends the run here.
    bool ends_run(const std::optional<early_stopping>& stopping) const {
        return stopping && epochs_without_improvement >= stopping->patience;
    }
};

}  // namespace detail
}  // namespace typenet
