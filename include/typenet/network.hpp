/// Defines `typenet::basic_network` and `typenet::network`: a network as a type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/hana/at.hpp>
#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/parallel.hpp>
#include <typenet/detail/visit.hpp>
#include <typenet/detail/walk.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/init.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/input.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {

template <class T>
struct is_input {
    static constexpr bool value = false;
};
template <int... Dims>
struct is_input<input<Dims...>> {
    static constexpr bool value = true;
};

// Named traits with their own `value`, so that the compiler prints the argument.
// Something other than input<…> is reported by is_input alone, not here.
template <class Input>
struct input_dimensions_are_at_least_1 {
    static constexpr bool value = true;
};
template <int... Dims>
struct input_dimensions_are_at_least_1<input<Dims...>> {
    static constexpr bool value = input<Dims...>::valid;
};
template <class Verdict>
struct network_is_well_formed {
    static constexpr bool value = false;
};
template <>
struct network_is_well_formed<void> {
    static constexpr bool value = true;
};

template <class Verdict>
struct verdict {};

/// Compiles when every layer fits (`verdict<void>`); a build error naming the
/// invalid_layer<…> otherwise (on g++, where that is how the error line shows it).
constexpr bool a_layer_of_this_network_does_not_fit_its_input(verdict<void>) { return true; }
template <class InvalidLayer>
constexpr bool a_layer_of_this_network_does_not_fit_its_input(verdict<InvalidLayer>) = delete;

template <class Input>
inline constexpr bool is_valid_input = is_input<Input>::value && input_dimensions_are_at_least_1<Input>::value;

// A network whose input<…> is wrong walks no layers, so the one error about its input
// stays alone (shape<1> stands in for the input).
template <bool InputOk, class Input, class... Layers>
struct walk_network {
    using input_shape = typename Input::shape_type;
    using type = walk<input_shape, Layers...>;
};
template <class Input, class... Layers>
struct walk_network<false, Input, Layers...> {
    using input_shape = shape<1>;
    using type = walk<input_shape>;
};

}  // namespace detail

/// A network of scalar type `T`: `Input` then the layers, each fed the output of the one
/// before. Every shape is checked at compile time, and a network that does not fit
/// together fails to build with one error naming the layer, its input and the reason.
/// Use `network<…>` for float.
///
///     using net = basic_network<double, input<1, 28, 28>, conv2d<6, kernel<5>>, relu>;
template <class T, class Input, class... Layers>
class basic_network {
    using walk_network = detail::walk_network<detail::is_valid_input<Input>, Input, Layers...>;
    using walked = typename walk_network::type;
    // A network that does not fit is given no layers, so the one error above stays alone.
    using body = detail::bind<std::conditional_t<detail::is_valid_input<Input> && walked::ok, sequential<Layers...>,
                                                 sequential<>>,
                              typename walk_network::input_shape>;

public:
    using scalar_type = T;
    using input_shape = typename body::input_shape;
    using output_shape = typename body::output_shape;
    /// The network's layers as one block: `layers`, `steps` (the fused loops), `plan`.
    using block = body;
    /// The `I`th layer bound to its input: `net::layer_at<0>::output_shape`.
    template <std::size_t I>
    using layer_at = typename decltype(+boost::hana::at_c<I>(typename body::layers{}))::type;

    static constexpr std::size_t input_size = input_shape::size;
    static constexpr std::size_t output_size = output_shape::size;
    static constexpr std::size_t layer_count = body::layer_count;
    static constexpr std::size_t parameter_count = body::parameter_count;
    /// Values of state saved with the parameters but never trained: batch norm's running
    /// statistics.
    static constexpr std::size_t buffer_count = body::buffer_count;
    /// Floating-point operations of one sample's forward pass (2 per multiply-add).
    static constexpr std::size_t flops = body::flops;
    /// Elements of every layer's output for one sample: what training keeps.
    static constexpr std::size_t activation_size = body::activation_size;
    /// Elements of the one arena an inference pass works in, whatever the batch size (a
    /// batch goes through the dense layers in chunks of a fixed number of samples):
    /// activations and the kernels' scratch.
    static constexpr std::size_t arena_size = body::batch_scratch_size;
    static constexpr std::size_t arena_bytes = arena_size * sizeof(T);
    /// Elements derived from the weights and kept between inference passes, beside each
    /// thread's arena: packed and Winograd-transformed filters, batch norms folded into
    /// the convolutions before them. Derived again after the weights may have changed.
    static constexpr std::size_t kept_size = body::kept_size;
    static constexpr std::size_t kept_bytes = kept_size * sizeof(T);
    static constexpr std::size_t parameter_bytes = parameter_count * sizeof(T);

    /// Allocates the parameters and the arena (once) and draws the parameters as
    /// PyTorch's default does: U(-1/√fan_in, 1/√fan_in), from `seed`.
    explicit basic_network(std::uint64_t seed = 0)
        : parameters_(parameter_count + buffer_count), arena_(arena_size + kept_size), threads_(arena_size + kept_size) {
        initialize(*this, initializer::pytorch_default, seed);
    }

    /// All parameters, layer after layer, each layer's tensors in PyTorch's order and layout.
    /// What the next forward pass derives from them (kept_size) is derived again after a
    /// call of this or of buffers(): write through a span taken after the last forward
    /// pass, not one kept from before it.
    std::span<T, parameter_count> parameters() {
        ++generation_;
        return std::span<T, parameter_count>(parameters_.data(), parameter_count);
    }
    std::span<const T, parameter_count> parameters() const {
        return std::span<const T, parameter_count>(parameters_.data(), parameter_count);
    }

    /// The buffers of every layer that has some, layer after layer, each layer's in
    /// PyTorch's order (batch norm: running_mean, running_var).
    std::span<T, buffer_count> buffers() {
        ++generation_;
        return std::span<T, buffer_count>(parameters_.data() + parameter_count, buffer_count);
    }
    std::span<const T, buffer_count> buffers() const {
        return std::span<const T, buffer_count>(parameters_.data() + parameter_count, buffer_count);
    }

    /// How a training pass (backprop, trainer) treats dropout and batch norm: `train()`, the
    /// default as in PyTorch, drops values and normalizes with the batch's statistics;
    /// `eval()` does neither; `set_mode` chooses for each (batch norm frozen, dropout on).
    /// `forward` is inference whatever the mode: dropout passes everything and batch norm
    /// uses its running statistics.
    void train() { mode_ = training_mode{}; }
    void eval() { mode_ = training_mode{.dropout = false, .batch_statistics = false}; }
    void set_mode(training_mode mode) { mode_ = mode; }
    training_mode mode() const { return mode_; }

    /// Freezes the layer or block at `path`, PyTorch's module name: "3", or "3.1" for the
    /// second layer inside the block at 3. Training then computes no gradient of its
    /// parameters and never changes them, and a backward pass stops below the lowest layer
    /// that trains. A batch norm in it keeps its running statistics, normalizing with them
    /// as PyTorch's `bn.eval()` does, unless `statistics` is `frozen_statistics::updated`.
    /// A path that names no layer throws std::invalid_argument.
    ///
    ///     net.freeze("0");                 // a pretrained block of features
    void freeze(std::string_view path, frozen_statistics statistics = frozen_statistics::kept) {
        const detail::layer_values layer = values_at(path, "freeze");
        frozen_.freeze(layer.params, layer.buffers, statistics);
    }
    /// Freezes the layer at position `Position` (from 0, the first after input<…>).
    template <std::size_t Position>
    void freeze(frozen_statistics statistics = frozen_statistics::kept) {
        static_assert(Position < layer_count, "typenet: freeze<Position>: the network has fewer layers");
        freeze(std::to_string(Position), statistics);
    }
    /// Freezes the first `Count` layers: the features below a new head.
    template <std::size_t Count>
    void freeze_first(frozen_statistics statistics = frozen_statistics::kept) {
        static_assert(Count <= layer_count, "typenet: freeze_first<Count>: the network has fewer layers");
        const detail::layer_values first = detail::first_layers<body>(Count);
        frozen_.freeze(first.params, first.buffers, statistics);
    }
    /// Trains the layer or block at `path` again (inside a frozen block too).
    void unfreeze(std::string_view path) {
        const detail::layer_values layer = values_at(path, "unfreeze");
        frozen_.unfreeze(layer.params, layer.buffers);
    }
    void unfreeze_all() { frozen_.clear(); }
    /// What is frozen: what a training pass and an optimizer step leave alone.
    const frozen_parameters& frozen() const { return frozen_; }

    /// Runs forward passes on `threads` threads: the caller's and `threads - 1` started
    /// here, each with an arena of its own (allocated here, not per call). A batch is
    /// split by samples; a single sample by the output rows of its larger layers.
    void set_threads(std::size_t threads) { threads_.resize(threads); }
    std::size_t threads() const { return threads_.size(); }

    /// Runs a batch: `in` holds whole samples (`input_size` values each, channels first),
    /// `out` receives `output_size` values per sample. Allocates nothing.
    void forward(std::span<const T> in, std::span<T> out) {
        if (in.size() % input_size != 0 || out.size() != in.size() / input_size * output_size)
            throw std::invalid_argument(fmt::format(
                "typenet: forward got {} input values and room for {} outputs; a batch of n samples needs "
                "n*{} inputs and n*{} outputs",
                in.size(), out.size(), input_size, output_size));
        const std::size_t samples = in.size() / input_size;
        auto run = [&](std::size_t first, std::size_t last, T* arena) {
            const weights<T> w{parameters_.data(), parameters_.data() + parameter_count, nullptr, 0, 0,
                               arena + arena_size, generation_};
            body::forward_batch(w, in.data() + first * input_size, out.data() + first * output_size, last - first,
                                arena);
        };
        if (samples > 1 && threads_.size() > 1) {
            const std::size_t parts = threads_.size();
            auto part = [&](std::size_t p) {
                run(samples * p / parts, samples * (p + 1) / parts, p == 0 ? arena_.data() : threads_.arena(p));
            };
            threads_.pool()->run(part);
        } else {
            detail::layer_pool_scope scope(threads_.pool(), threads_.arenas(arena_.data()));
            run(0, samples, arena_.data());
        }
    }

    /// Runs one sample and returns its output by value.
    std::array<T, output_size> operator()(std::span<const T, input_size> sample) {
        std::array<T, output_size> result;
        forward(sample, result);
        return result;
    }

private:
    static detail::layer_values values_at(std::string_view path, std::string_view what) {
        if (const auto layer = detail::find_layer<body>(path)) return *layer;
        throw std::invalid_argument(fmt::format(
            "typenet: {}(\"{}\"): no layer has this path; paths are PyTorch's module names: \"3\" for the layer at "
            "position 3 (this network has 0 to {}), \"3.1\" for the second layer inside the block at 3",
            what, path, layer_count - 1));
    }

    detail::aligned_buffer<T> parameters_;
    detail::aligned_buffer<T> arena_;
    detail::worker_threads<T> threads_;
    std::uint64_t generation_ = 1;  // of the parameters and buffers: kept values derived at another are stale
    training_mode mode_{};
    frozen_parameters frozen_;

    // The checks stand last: clang forgets the members declared after a failed
    // static_assert, and would add an error for every later use of the network.
    static_assert(std::is_floating_point_v<T>, "typenet: the scalar type of a network must be float or double");
    static_assert(detail::is_input<Input>::value,
                  "typenet: a network starts with its input shape, e.g. network<input<3, 64, 64>, conv2d<16, kernel<3>>, ...>");
    static_assert(detail::input_dimensions_are_at_least_1<Input>::value,
                  "typenet: every dimension of input<...> must be at least 1");

    // If you see this error: read the invalid_layer<layer<position>, the layer as you wrote
    // it, got<its input shape>, because<reason> or expected<shape it needs>> printed with
    // it. Positions count the layers after input<…> from 0; layer<3, 1> is the second
    // layer inside the block at position 3.
#ifdef __clang__
    static_assert(detail::network_is_well_formed<typename walked::error>::value,
                  "typenet: a layer of this network does not fit its input; the invalid_layer<layer<position>, layer, got<input shape>, reason> printed with this error names it");
#else
    // g++ prints a static_assert's condition only in a note under a generic error line,
    // but a deleted function's arguments on the error line itself.
    using layers_fit =
        decltype(detail::a_layer_of_this_network_does_not_fit_its_input(detail::verdict<typename walked::error>{}));
#endif
};

/// A network of floats; see `basic_network`. (An alias, not a class: a derived class
/// would lose its members on clang after an error and report each use again.)
///
///     using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>,
///                         flatten, dense<10>>;
///     net model;
///     auto scores = model(image);   // std::array<float, 10>
template <class Input, class... Layers>
using network = basic_network<float, Input, Layers...>;

}  // namespace typenet
