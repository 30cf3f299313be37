// What typenet's bench programs share: their command line and how they time a call
// (bench/PROTOCOL.md: at least 10 timed calls and about `seconds`, after a warm-up; 5 after
// 2 for the deep workloads, whose calls take up to seconds).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/idx.hpp>

namespace bench {

struct settings {
    std::size_t threads = 1;
    double seconds = 0.5;
    std::string data = "/usr/share/datasets/fashion-mnist";
};

/// `--threads N [--seconds S] [--data DIR]`; false (after printing `usage`) on anything else.
inline bool parse_settings(int argc, char** argv, settings& s, std::string_view usage) {
    for (int i = 1; i < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (i + 1 < argc && flag == "--threads") s.threads = std::strtoul(argv[i + 1], nullptr, 10);
        else if (i + 1 < argc && flag == "--seconds") s.seconds = std::strtod(argv[i + 1], nullptr);
        else if (i + 1 < argc && flag == "--data") s.data = argv[i + 1];
        else {
            fmt::print(stderr, "usage: {}\n", usage);
            return false;
        }
    }
    return true;
}

/// How many calls are timed at least, after how many untimed ones.
struct repetitions {
    std::size_t warmup = 3, calls = 10;
};
/// The deep workloads' (a call of VGG-16 at batch 8 takes seconds).
inline constexpr repetitions few_repetitions{2, 5};

/// Median milliseconds of `call`, after a warm-up, over at least `r.calls` calls and `seconds`.
template <class Call>
double median_ms(Call&& call, double seconds, repetitions r = {}) {
    using clock = std::chrono::steady_clock;
    for (std::size_t i = 0; i < r.warmup; ++i) call();
    std::vector<double> times;
    const auto start = clock::now();
    while (times.size() < r.calls || std::chrono::duration<double>(clock::now() - start).count() < seconds) {
        const auto t0 = clock::now();
        call();
        times.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    }
    std::nth_element(times.begin(), times.begin() + long(times.size() / 2), times.end());
    return times[times.size() / 2];
}

/// Median milliseconds of `net.forward` on a batch of `batch` samples, drawn from U(0, 1).
template <class Net>
double inference_ms(Net& net, std::size_t batch, double seconds, repetitions r = {}) {
    using T = typename Net::scalar_type;
    std::vector<T> in(batch * Net::input_size), out(batch * Net::output_size);
    std::mt19937 rng(1);
    std::uniform_real_distribution<T> pixel(0, 1);
    for (auto& x : in) x = pixel(rng);
    return median_ms([&] { net.forward(in, out); }, seconds, r);
}

/// Median milliseconds of one whole optimizer step (forward, backward, update) of
/// `trainer` on batches of `batch` images of `data`: each timed call is an epoch of the
/// first `steps` batches, so that the data's order is shuffled as in real training.
template <class Trainer>
double median_step_ms(Trainer& trainer, typenet::data::labeled_set data, std::size_t batch, std::size_t steps,
                      double seconds, repetitions r = {}) {
    data.images.count = batch * steps;
    data.images.pixels.resize(data.images.count * data.images.image_size());
    data.labels.resize(data.images.count);
    std::size_t epoch = 0;
    return median_ms([&] { trainer.train_epoch(data, epoch++, 1); }, seconds, r) / double(steps);
}

}  // namespace bench
