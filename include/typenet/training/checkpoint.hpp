/// Defines the checkpoints of `trainer::fit`: a file with all that a run needs to go on
/// after an epoch as if it had never stopped, written by `fit_options::checkpoint` and read
/// by `fit_options::resume_from`. A resumed run ends bitwise equal to one that ran through
/// (same seed, same options, same data, one thread or the same threads).
///
///     trainer.fit(train, validation, {.epochs = 30, .seed = 1, .checkpoint = "run.tnckpt"});
///     // after a crash, the same program goes on from the epoch after the last one saved:
///     trainer.fit(train, validation, {.epochs = 30, .seed = 1, .checkpoint = "run.tnckpt",
///                                     .resume_from = "run.tnckpt"});
///
/// Format version 1, in the conventions of parameter files (serialize.hpp): integers are
/// unsigned and little-endian; values (c bytes each) are IEEE 754 in the file's scalar
/// type, options and losses IEEE 754 float64 (f64), all little-endian.
///
///     bytes     field
///     8         magic "TYPENETC"
///     4         u32 format version: 1
///     4         u32 scalar code c: 4 = float32, 8 = float64 (the network's and the optimizer's)
///     4 + S     u32 S, then the network's signature, as in a parameter file
///     8 + c·V   u64 V = P + B, then the network's P parameters and B buffers (network::
///               parameters(), then network::buffers())
///     4 + O     u32 O, then the optimizer's name: "sgd", "adam", "adamw" or "rmsprop"
///     4 + 8·K   u32 K, then its options as K f64, the fields of its options type in their
///               order (a bool is 0 or 1, an array gives its elements); lr as it stands
///     8         u64 the optimizer's steps taken
///     4 + 8     u32 A, u64 P: A arrays of state (momentum, moments, …) of P values each,
///     c·A·P     then their values, array after array in the optimizer's order
///     8         u64 fit_options::seed of the run
///     8         u64 the next epoch: where the run goes on, and what the schedule is given
///     8         u64 the training batches so far: the counter that seeds dropout
///     8         u64 early stopping's patience (0: the run has no early stopping)
///     8         f64 early stopping's min_delta
///     8         f64 the lowest test loss so far (+inf before the first epoch)
///     8         u64 its epoch
///     8         u64 the epochs since then without improvement
///     8 + c·W   u64 W (V with early stopping, else 0), then the network's parameters and
///               buffers after that best epoch
///     4         u32 CRC-32 (zlib's `crc32`) of every byte before it
///
/// A checkpoint holds typenet's optimizers: `detail::checkpointable_optimizer`.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <typenet/optim/adam.hpp>
#include <typenet/optim/rmsprop.hpp>
#include <typenet/optim/sgd.hpp>
#include <typenet/serialize.hpp>
#include <typenet/training/early_stopping.hpp>
#include <typenet/training/network_snapshot.hpp>

namespace typenet::detail {

/// Where a run of `trainer::fit` stands after an epoch, besides its network, its optimizer
/// and the trainer's count of batches.
template <class Net>
struct fit_progress {
    std::uint64_t seed = 0;
    std::size_t next_epoch = 0;
    std::optional<early_stopping> stopping;
    best_epoch<Net> best;
};

/// A checkpoint read and decoded, every value checked against `Net` and `Optimizer`, and
/// nothing of the trainer's changed yet.
template <class Net, class Optimizer>
struct decoded_checkpoint {
    network_snapshot<Net> network;
    std::optional<Optimizer> optimizer;  // made from the file's options, holding its state
    std::uint64_t iteration = 0;
    fit_progress<Net> progress;
};

inline constexpr std::array<std::uint8_t, 8> checkpoint_magic{'T', 'Y', 'P', 'E', 'N', 'E', 'T', 'C'};
inline constexpr std::uint32_t checkpoint_version = 1;
// typenet's optimizers keep at most 3 arrays; a larger count is a corrupt file.
inline constexpr std::uint32_t max_state_arrays = 16;

// The fields of each optimizer's options, in their order: what a checkpoint stores of them.
inline auto option_fields(sgd_options& o) { return std::tie(o.lr, o.momentum, o.dampening, o.weight_decay, o.nesterov); }
template <class Options>
    requires std::is_same_v<Options, adam_options> || std::is_same_v<Options, adamw_options>
auto option_fields(Options& o) {
    return std::tie(o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad);
}
inline auto option_fields(rmsprop_options& o) {
    return std::tie(o.lr, o.alpha, o.eps, o.weight_decay, o.momentum, o.centered);
}

inline void append_option(std::vector<double>& to, double v) { to.push_back(v); }
inline void append_option(std::vector<double>& to, bool v) { to.push_back(v ? 1 : 0); }
template <std::size_t K>
void append_option(std::vector<double>& to, const std::array<double, K>& v) {
    to.insert(to.end(), v.begin(), v.end());
}
inline void take_option(double& field, std::span<const double> values, std::size_t& next) { field = values[next++]; }
inline void take_option(bool& field, std::span<const double> values, std::size_t& next) { field = values[next++] != 0; }
template <std::size_t K>
void take_option(std::array<double, K>& field, std::span<const double> values, std::size_t& next) {
    for (double& v : field) v = values[next++];
}

/// An optimizer whose state a checkpoint can hold: one of typenet's, derived from
/// `optimizer_base`, with options whose fields `option_fields` lists.
template <class Optimizer>
concept checkpointable_optimizer = requires(const Optimizer& o, typename Optimizer::options_type& options) {
    o.optimizer_name();
    o.state_array_count();
    option_fields(options);
};

template <class Options>
std::vector<double> encode_options(Options options) {
    std::vector<double> values;
    std::apply([&](auto&... field) { (append_option(values, field), ...); }, option_fields(options));
    return values;
}
// `values` must be as many as `encode_options` gives.
template <class Options>
Options decode_options(std::span<const double> values) {
    Options options{};
    std::size_t next = 0;
    std::apply([&](auto&... field) { (take_option(field, values, next), ...); }, option_fields(options));
    return options;
}

// A checkpoint's fields as the file holds them: values still raw bytes, pointing into it.
struct stored_checkpoint {
    std::uint32_t scalar_code = 0;
    std::string_view signature, optimizer;
    std::uint64_t value_count = 0, steps = 0, state_arrays = 0, state_size = 0;
    std::span<const std::uint8_t> values, state, best_values;
    std::vector<double> options;
    std::uint64_t seed = 0, next_epoch = 0, iteration = 0, patience = 0;
    double min_delta = 0, best_loss = 0;
    std::uint64_t best_epoch = 0, epochs_without_improvement = 0, best_value_count = 0;
};

// Checks all that does not depend on the trainer: magic, version, that every field fits in
// the file, and the checksum.
inline stored_checkpoint read_checkpoint_file(const std::filesystem::path& file, std::span<const std::uint8_t> bytes) {
    const auto head = bytes.first(std::min(bytes.size(), checkpoint_magic.size()));
    if (std::equal(head.begin(), head.end(), parameter_file_magic.begin(), parameter_file_magic.end()))
        throw io_error(file, "a parameter file (save_parameters), not a checkpoint: load it with load_parameters");
    if (!std::equal(head.begin(), head.end(), checkpoint_magic.begin()))
        throw io_error(file, fmt::format("not a typenet checkpoint: it starts with bytes {:02x}, not \"TYPENETC\"",
                                         fmt::join(head, " ")));
    parameter_file_reader in(file, bytes);
    in.take(checkpoint_magic.size(), "the magic \"TYPENETC\"");
    if (const auto version = in.integer<std::uint32_t>("the format version"); version != checkpoint_version)
        throw io_error(file, fmt::format("checkpoint format version {} is not supported: this typenet reads version {}",
                                         version, checkpoint_version));
    stored_checkpoint s;
    s.scalar_code = in.integer<std::uint32_t>("the scalar code");
    if (s.scalar_code != 4 && s.scalar_code != 8)
        throw io_error(file, fmt::format("corrupt: unknown scalar code {} (4 = float32, 8 = float64)", s.scalar_code));
    const auto values = [&](std::uint64_t count, std::string_view what) {
        return in.take(saturating_product(count, s.scalar_code),
                       fmt::format("{} {} values of {}", count, scalar_name(s.scalar_code), what));
    };
    s.signature = in.text("the network's signature");
    s.value_count = in.integer<std::uint64_t>("the count of the network's values");
    s.values = values(s.value_count, "the network");
    s.optimizer = in.text("the optimizer's name");
    const auto option_count = in.integer<std::uint32_t>("the count of the optimizer's options");
    const auto options = in.take(8 * std::uint64_t{option_count}, fmt::format("the optimizer's {} options", option_count));
    for (std::size_t k = 0; k < option_count; ++k)
        s.options.push_back(std::bit_cast<double>(little_endian<std::uint64_t>(options.data() + 8 * k)));
    s.steps = in.integer<std::uint64_t>("the optimizer's steps");
    s.state_arrays = in.integer<std::uint32_t>("the count of the optimizer's state arrays");
    if (s.state_arrays > max_state_arrays)
        throw io_error(file, fmt::format("corrupt: {} state arrays, more than the {} of any optimizer", s.state_arrays,
                                         max_state_arrays));
    s.state_size = in.integer<std::uint64_t>("the size of a state array");
    s.state = values(saturating_product(s.state_arrays, s.state_size), "the optimizer's state");
    s.seed = in.integer<std::uint64_t>("the seed");
    s.next_epoch = in.integer<std::uint64_t>("the next epoch");
    s.iteration = in.integer<std::uint64_t>("the count of batches");
    s.patience = in.integer<std::uint64_t>("early stopping's patience");
    s.min_delta = std::bit_cast<double>(in.integer<std::uint64_t>("early stopping's min_delta"));
    s.best_loss = std::bit_cast<double>(in.integer<std::uint64_t>("the best test loss"));
    s.best_epoch = in.integer<std::uint64_t>("the best epoch");
    s.epochs_without_improvement = in.integer<std::uint64_t>("the epochs without improvement");
    s.best_value_count = in.integer<std::uint64_t>("the count of the best epoch's values");
    s.best_values = values(s.best_value_count, "the network after the best epoch");
    check_checksum(file, in, bytes);
    return s;
}

// The values of a checkpoint, bit for bit: the file's scalar type is the network's.
template <class T>
std::vector<T> decode_exactly(const std::filesystem::path& file, std::span<const std::uint8_t> raw, std::string_view what) {
    std::vector<T> values(raw.size() / sizeof(T));
    const stored_tensor t{what, {values.size()}, raw};
    decode_values(file, t, sizeof(T), load_options{.allow_non_finite = true}, values.data());
    return values;
}

// The largest checkpoint any run of `Net` writes, with float64 values: no longer file is read.
template <class Net>
std::size_t largest_checkpoint(std::size_t signature_size) {
    constexpr std::size_t names_and_options = 1 << 16;  // the optimizer's name and options: far less
    constexpr std::size_t values = Net::parameter_count + Net::buffer_count;
    return names_and_options + signature_size + sizeof(double) * (2 * values + max_state_arrays * Net::parameter_count);
}

/// Reads the checkpoint `file` for a trainer of `Net` and `current`'s type: anything that
/// does not fit them, or a file truncated or corrupt, throws `io_error` naming the file and
/// what differs. Changes nothing but what it returns.
template <class Net, class Optimizer>
decoded_checkpoint<Net, Optimizer> read_checkpoint(const std::filesystem::path& file, const Optimizer& current) {
    using T = typename Net::scalar_type;
    constexpr std::size_t N = Net::parameter_count;
    const std::string signature = network_signature<Net>();
    const std::size_t largest = largest_checkpoint<Net>(signature.size());
    const std::vector<std::uint8_t> bytes = read_file_prefix(file, largest);
    if (bytes.size() > largest)
        throw io_error(file, fmt::format("too long: a checkpoint of this network has at most {} bytes (read no further)",
                                         largest));
    const stored_checkpoint s = read_checkpoint_file(file, bytes);
    if (s.scalar_code != scalar_code_of<T>())
        throw io_error(file, fmt::format("saved from a {} network and optimizer; this trainer's are {}",
                                         scalar_name(s.scalar_code), scalar_name(scalar_code_of<T>())));
    check_signature(file, s.signature, signature);
    if (s.value_count != network_snapshot<Net>::size)
        throw io_error(file, fmt::format("corrupt: {} values for the network, which has {}", s.value_count,
                                         network_snapshot<Net>::size));

    decoded_checkpoint<Net, Optimizer> c;
    c.network.assign(decode_exactly<T>(file, s.values, "the network"));
    using options_type = typename Optimizer::options_type;
    // The name tells adam from adamw, whose options have the same fields.
    if (s.optimizer != current.optimizer_name())
        throw io_error(file, fmt::format("saved with optimizer {}; this trainer's is {}", s.optimizer,
                                         current.optimizer_name()));
    if (const std::size_t expected = encode_options(current.options()).size(); s.options.size() != expected)
        throw io_error(file, fmt::format("corrupt: {} options for {}, which has {}", s.options.size(), s.optimizer, expected));
    try {
        c.optimizer.emplace(decode_options<options_type>(s.options));
    } catch (const std::invalid_argument& e) {
        throw io_error(file, fmt::format("corrupt: the optimizer's options are refused: {}", e.what()));
    }
    if (s.state_arrays != c.optimizer->state_array_count() || s.state_size != N)
        throw io_error(file, fmt::format("corrupt: the optimizer's state is {} arrays of {} values; {} with these options "
                                         "keeps {} of {}",
                                         s.state_arrays, s.state_size, s.optimizer, c.optimizer->state_array_count(), N));
    const std::vector<T> state = decode_exactly<T>(file, s.state, "the optimizer's state");
    for (std::size_t k = 0; k < s.state_arrays; ++k)
        std::copy_n(state.begin() + std::ptrdiff_t(k * N), N, c.optimizer->state_array(k).begin());
    c.optimizer->set_steps(s.steps);

    c.iteration = s.iteration;
    c.progress.seed = s.seed;
    c.progress.next_epoch = s.next_epoch;
    if (s.patience > 0) c.progress.stopping = early_stopping{.patience = s.patience, .min_delta = s.min_delta};
    c.progress.best.loss = s.best_loss;
    c.progress.best.epoch = s.best_epoch;
    c.progress.best.epochs_without_improvement = s.epochs_without_improvement;
    if (s.best_value_count != 0 && s.best_value_count != network_snapshot<Net>::size)
        throw io_error(file, fmt::format("corrupt: {} values for the network after the best epoch, which has {}",
                                         s.best_value_count, network_snapshot<Net>::size));
    c.progress.best.network.assign(decode_exactly<T>(file, s.best_values, "the network after the best epoch"));
    return c;
}

/// Writes the checkpoint of a run that stands at `progress` to `file`, atomically: if it
/// fails, `file` keeps its old content (or stays absent) and `io_error` says why.
template <class Net, class Optimizer>
void write_checkpoint(const std::filesystem::path& file, const Net& net, const Optimizer& optimizer,
                      std::uint64_t iteration, const fit_progress<Net>& progress) {
    using T = typename Net::scalar_type;
    constexpr std::size_t N = Net::parameter_count;
    const std::string signature = network_signature<Net>();
    const std::size_t arrays = optimizer.state_array_count();
    network_snapshot<Net> now;
    now.take(net);
    parameter_file_writer out(signature.size() + 4096 + sizeof(T) * (2 * now.size + arrays * N));
    const auto values = [&](std::span<const T> v) {
        out.integer(std::uint64_t{v.size()});
        for (const T x : v) out.value(x);
    };
    out.raw(checkpoint_magic);
    out.integer(checkpoint_version);
    out.integer(scalar_code_of<T>());
    out.text(signature);
    values(now.values());
    out.text(optimizer.optimizer_name());
    const std::vector<double> options = encode_options(optimizer.options());
    out.integer(static_cast<std::uint32_t>(options.size()));
    for (const double v : options) out.value(v);
    out.integer(std::uint64_t{optimizer.steps()});
    out.integer(static_cast<std::uint32_t>(arrays));
    out.integer(std::uint64_t{N});
    for (std::size_t k = 0; k < arrays; ++k)
        for (const T x : optimizer.state_array(k)) out.value(x);
    out.integer(progress.seed);
    out.integer(std::uint64_t{progress.next_epoch});
    out.integer(iteration);
    out.integer(std::uint64_t{progress.stopping ? progress.stopping->patience : 0});
    out.value(progress.stopping ? progress.stopping->min_delta : 0.0);
    out.value(progress.best.loss);
    out.integer(std::uint64_t{progress.best.epoch});
    out.integer(std::uint64_t{progress.best.epochs_without_improvement});
    values(progress.best.network.values());
    out.integer(crc32_of(out.bytes()));
    write_file_atomically(file, out.bytes());
}

}  // namespace typenet::detail
