/// Defines `typenet::optimizer`, what every optimizer provides, and
/// `typenet::make_optimizer`, which sizes an optimizer for a network.
///
/// Minimal complete definition. An optimizer `O` (`sgd<T, N>`, `adam<T, N>`, `adamw<T, N>`,
/// `rmsprop<T, N>`) updates N parameters of type T in place, element by element, with the
/// arithmetic of the PyTorch 1.13 optimizer of the same name. It provides
///
///     using scalar_type = T;
///     static constexpr std::size_t parameter_count = N;
///     using options_type = …;
///         // an aggregate of PyTorch's options with PyTorch's defaults: sgd_options, …
///     explicit O(const options_type&);
///         // checks the options (std::invalid_argument naming the option at fault) and
///         // allocates the optimizer's state, N values per array, once
///     void step(std::span<T, N> params, std::span<const T, N> grads);
///         // one step; allocates nothing. A NaN or an infinity among the gradients throws
///         // std::domain_error naming its index and the step, and changes nothing.
///         // typenet's optimizers also take `const frozen_parameters&` (a network's
///         // frozen()) and leave those parameters and their state alone; the trainer
///         // trains a network with frozen layers only with an optimizer that does.
///     T lr() const;  void set_lr(T);
///         // the learning rate of the next step (what a schedule sets; at least 0)
///     std::size_t steps() const;
///         // the steps taken
///
/// The scalars of a step (1 - beta1, the bias corrections, …) are computed in double, as
/// PyTorch computes them from Python floats, and then rounded to T. A step is one loop
/// over contiguous arrays with no branch inside; those of Adam and RMSprop vectorize where
/// std::sqrt need not set errno (-fno-math-errno, as PyTorch itself is built).
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/optim/checks.hpp>

namespace typenet {

/// An optimizer as the minimal complete definition above describes it.
///
///     static_assert(typenet::optimizer<typenet::adam<float, 1000>>);
template <class O>
concept optimizer = requires(O o, const O& c, std::span<typename O::scalar_type, O::parameter_count> params,
                             std::span<const typename O::scalar_type, O::parameter_count> grads) {
    requires std::constructible_from<O, const typename O::options_type&>;
    o.step(params, grads);
    o.set_lr(c.lr());
    { c.lr() } -> std::same_as<typename O::scalar_type>;
    { c.steps() } -> std::same_as<std::size_t>;
};

/// The optimizer `Optimizer` for the parameters of `net`, of its scalar type and count.
///
///     auto opt = typenet::make_optimizer<typenet::adam>(net, {.lr = 3e-4});
///     opt.step(net.parameters(), grads);
template <template <class, std::size_t> class Optimizer, class Net>
Optimizer<typename Net::scalar_type, Net::parameter_count> make_optimizer(
    const Net&, const typename Optimizer<typename Net::scalar_type, Net::parameter_count>::options_type& options) {
    return Optimizer<typename Net::scalar_type, Net::parameter_count>(options);
}

namespace detail {

/// What every optimizer shares: its options (the learning rate among them), the count of
/// steps, its state (arrays of N values in one block) and the check of the gradients.
template <class T, std::size_t N, class Options>
class optimizer_base {
public:
    using scalar_type = T;
    using options_type = Options;
    static constexpr std::size_t parameter_count = N;

    /// The learning rate of the next step.
    T lr() const { return T(options_.lr); }
    /// Sets the learning rate of the next steps, e.g. from a schedule.
    void set_lr(T lr) {
        check_at_least_0(name_, "lr", double(lr));
        options_.lr = double(lr);
    }
    /// The steps taken.
    std::size_t steps() const { return steps_; }

    /// The name its errors and checkpoints give it: "sgd", "adam", "adamw", "rmsprop".
    std::string_view optimizer_name() const { return name_; }
    /// Its options as they stand: those it was made with, the learning rate set since.
    const Options& options() const { return options_; }

    // What a checkpoint saves and restores (training/checkpoint.hpp), beside the options:
    // the arrays of the state (momentum, moments, …; N values each, in the order of the
    // optimizer's step; how many depends on the options) and the count of steps, which
    // Adam's bias correction and SGD's first step read.
    std::size_t state_array_count() const { return state_arrays_; }
    std::span<T, N> state_array(std::size_t k) { return std::span<T, N>(state(k), N); }
    std::span<const T, N> state_array(std::size_t k) const { return std::span<const T, N>(state_.data() + k * stride, N); }
    void set_steps(std::size_t steps) { steps_ = steps; }

protected:
    /// `options` are checked by the optimizer before they reach here.
    optimizer_base(std::string_view name, const Options& options, std::size_t state_arrays)
        : name_(name), options_(options), state_arrays_(state_arrays), state_(state_arrays * stride) {}

    /// The `k`th array of the state, N values starting at zero, 64-byte aligned.
    T* state(std::size_t k) { return state_.data() + k * stride; }

    /// Counts a step and returns its number (1 for the first), after checking `grads`: a NaN
    /// or an infinity throws std::domain_error and leaves the count as it was.
    std::size_t begin_step(std::span<const T, N> grads) {
        // One pass without an early exit, so that it vectorizes; the slow search for the
        // culprit runs only on failure.
        bool finite = true;
        for (std::size_t i = 0; i < N; ++i) finite &= std::isfinite(grads[i]);
        if (!finite) reject_gradients(grads);
        return ++steps_;
    }

    std::string_view name_;
    Options options_;

private:
    // Each array starts on a cache line, so that every loop over one starts aligned.
    static constexpr std::size_t stride =
        (N * sizeof(T) + buffer_alignment - 1) / buffer_alignment * buffer_alignment / sizeof(T);

    [[noreturn]] void reject_gradients(std::span<const T, N> grads) const {
        std::size_t i = 0;
        while (std::isfinite(grads[i])) ++i;
        throw std::domain_error(fmt::format(
            "typenet: {}: gradient[{}] is {} in step {}; the parameters and the optimizer are unchanged", name_, i,
            grads[i], steps_ + 1));
    }

    std::size_t steps_ = 0;
    std::size_t state_arrays_;
    aligned_buffer<T> state_;

    static_assert(std::is_floating_point_v<T>, "typenet: the scalar type of an optimizer must be float or double");
};

}  // namespace detail
}  // namespace typenet
