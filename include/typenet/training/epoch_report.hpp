/// Defines `typenet::epoch_report`, one epoch's figures of `trainer::fit`, and
/// `typenet::detail::epoch_log`, which shows them on the progress stream and in the CSV log.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

namespace typenet {

/// One epoch's figures, as the progress display and the CSV log show them. `test_loss`
/// and `test_accuracy` are those of the second set given to `trainer::fit`, at inference
/// after the epoch: the validation set when it is one (`split_validation`), which is the
/// loss early stopping watches.
struct epoch_report {
    std::size_t epoch = 0;
    double learning_rate = 0, train_loss = 0, train_accuracy = 0, test_loss = 0, test_accuracy = 0, seconds = 0,
           images_per_second = 0;
    /// The epoch of the run with the lowest test loss so far (lower than the one before by
    /// more than early stopping's `min_delta`); with early stopping, the one it restores.
    std::size_t best_epoch = 0;
    /// Early stopping ends the run after this epoch.
    bool stops_early = false;
};

namespace detail {

// Where fit shows its reports: a line per epoch on the progress stream (null: silent) and
// a row per epoch in a CSV file (none if its name is empty), created when the log is, or
// with `append` (a resumed run) added to the rows of the run it goes on with.
class epoch_log {
public:
    epoch_log(std::FILE* progress, const std::string& csv_file, bool append) : progress_(progress) {
        if (csv_file.empty()) return;
        std::error_code ec;
        const bool header = !append || std::filesystem::file_size(csv_file, ec) == 0 || ec;
        csv_.open(csv_file, append ? std::ios::app : std::ios::trunc);
        if (!csv_) throw std::runtime_error(fmt::format("typenet: cannot write the training log {}", csv_file));
        if (header)
            csv_ << "epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second\n";
    }

    void write(const epoch_report& r, std::size_t epochs) {
        if (progress_) {
            if (isatty(fileno(progress_))) std::fputs("\r\033[K", progress_);  // clear the bar
            fmt::print(progress_,
                       "epoch {}/{}: loss {:.4f}, accuracy {:.4f}, test loss {:.4f}, test accuracy {:.4f}, "
                       "{:.1f} s, {:.0f} images/s, lr {:.3g}\n",
                       r.epoch + 1, epochs, r.train_loss, r.train_accuracy, r.test_loss, r.test_accuracy, r.seconds,
                       r.images_per_second, r.learning_rate);
            if (r.stops_early)
                fmt::print(progress_, "early stopping: the test loss has not improved since epoch {}, whose parameters "
                                      "the network gets back\n",
                           r.best_epoch + 1);
            std::fflush(progress_);
        }
        if (csv_.is_open()) {
            csv_ << fmt::format("{},{:.6g},{},{},{},{},{:.3f},{:.1f}\n", r.epoch + 1, r.learning_rate, r.train_loss,
                                r.train_accuracy, r.test_loss, r.test_accuracy, r.seconds, r.images_per_second);
            csv_.flush();
        }
    }

private:
    std::FILE* progress_;
    std::ofstream csv_;
};

}  // namespace detail
}  // namespace typenet
