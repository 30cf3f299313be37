/// Defines `typenet::adam` and `typenet::adamw`, Adam with L2 weight decay and with
/// decoupled weight decay, as PyTorch 1.13's torch.optim.Adam and torch.optim.AdamW.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>

#include <typenet/frozen_parameters.hpp>
#include <typenet/optim/checks.hpp>
#include <typenet/optim/optimizer.hpp>

namespace typenet {

/// The options of `adam`, in torch.optim.Adam's order and with its defaults.
///
///     typenet::adam_options{.lr = 3e-4, .betas = {0.9, 0.99}, .amsgrad = true}
struct adam_options {
    double lr = 1e-3;
    std::array<double, 2> betas{0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0;  // added to the gradient (L2)
    bool amsgrad = false;
};

/// The options of `adamw`, in torch.optim.AdamW's order and with its defaults: those of
/// Adam, except that the weights decay by default.
struct adamw_options {
    double lr = 1e-3;
    std::array<double, 2> betas{0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 1e-2;  // decoupled: p *= 1 - lr * weight_decay before the step
    bool amsgrad = false;
};

/// Adam on N parameters of type T, step for step PyTorch's Adam (`Options` =
/// `adam_options`) or AdamW (`adamw_options`). At step t:
///
///     g = grad + weight_decay * p               (Adam)
///     p = p * (1 - lr * weight_decay)           (AdamW)
///     m = beta1 * m + (1 - beta1) * g
///     v = beta2 * v + (1 - beta2) * g * g
///     v_max = max(v_max, v)                     (amsgrad; then v_max replaces v below)
///     p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// Write `adam<T, N>` or `adamw<T, N>`.
template <class T, std::size_t N, class Options>
class basic_adam : public detail::optimizer_base<T, N, Options> {
    static_assert(std::is_same_v<Options, adam_options> || std::is_same_v<Options, adamw_options>,
                  "typenet: basic_adam takes adam_options or adamw_options; write adam<T, N> or adamw<T, N>");
    using base = detail::optimizer_base<T, N, Options>;
    static constexpr bool decoupled = std::is_same_v<Options, adamw_options>;
    static constexpr std::string_view name = decoupled ? "adamw" : "adam";

public:
    /// Checks `options` (std::invalid_argument) and allocates the moments, once.
    explicit basic_adam(const Options& options) : base(name, checked(options), options.amsgrad ? 3 : 2) {}

    /// One step: updates `params` from `grads`, but for the `frozen` ones (a network's
    /// `frozen()`), which it leaves as they are, and their state too. Allocates nothing; a
    /// NaN or an infinity in `grads` throws std::domain_error and changes nothing.
    void step(std::span<T, N> params, std::span<const T, N> grads, const frozen_parameters& frozen = {}) {
        const std::size_t t = this->begin_step(grads);
        frozen.for_each_trained(N, [&](std::size_t from, std::size_t to) {
            if (this->options_.amsgrad)
                update<true>(params, grads, t, from, to);
            else
                update<false>(params, grads, t, from, to);
        });
    }

private:
    static const Options& checked(const Options& o) {
        detail::check_at_least_0(name, "lr", o.lr);
        detail::check_below_1(name, "betas[0]", o.betas[0]);
        detail::check_below_1(name, "betas[1]", o.betas[1]);
        detail::check_greater_than_0(name, "eps", o.eps);
        detail::check_at_least_0(name, "weight_decay", o.weight_decay);
        return o;
    }

    // Parameters [from, to).
    template <bool Amsgrad>
    void update(std::span<T, N> p, std::span<const T, N> grad, std::size_t t, std::size_t from, std::size_t to) {
        const Options& o = this->options_;
        const T beta1 = T(o.betas[0]), beta2 = T(o.betas[1]), eps = T(o.eps);
        const T one_minus_beta1 = T(1 - o.betas[0]), one_minus_beta2 = T(1 - o.betas[1]);
        // PyTorch raises the betas to a float step count: std::pow on doubles gives its bits.
        const T step_size = T(o.lr / (1 - std::pow(o.betas[0], double(t))));
        const T bias_correction2_sqrt = T(std::sqrt(1 - std::pow(o.betas[1], double(t))));
        // Both decays in every loop: one of them is 0 (or a factor 1), which changes no value.
        const T l2 = decoupled ? T(0) : T(o.weight_decay);
        const T shrink = decoupled ? T(1 - o.lr * o.weight_decay) : T(1);
        T* m = this->state(0);
        T* v = this->state(1);
        T* v_max = Amsgrad ? this->state(2) : nullptr;
        for (std::size_t i = from; i < to; ++i) {
            const T g = grad[i] + l2 * p[i];
            m[i] = m[i] * beta1 + one_minus_beta1 * g;
            v[i] = v[i] * beta2 + one_minus_beta2 * g * g;
            T second_moment = v[i];
            if constexpr (Amsgrad) second_moment = v_max[i] = std::max(v_max[i], v[i]);
            // eps outside the square root, as PyTorch.
            const T denominator = std::sqrt(second_moment) / bias_correction2_sqrt + eps;
            p[i] = p[i] * shrink - step_size * m[i] / denominator;
        }
    }
};

/// Adam with L2 weight decay, as torch.optim.Adam.
///
///     typenet::adam<float, net::parameter_count> opt({.lr = 3e-4});
///     auto same = typenet::make_optimizer<typenet::adam>(model, {.lr = 3e-4});
template <class T, std::size_t N>
using adam = basic_adam<T, N, adam_options>;

/// Adam with decoupled weight decay, as torch.optim.AdamW.
///
///     typenet::adamw<float, net::parameter_count> opt({.lr = 1e-3, .weight_decay = 0.05});
template <class T, std::size_t N>
using adamw = basic_adam<T, N, adamw_options>;

}  // namespace typenet
