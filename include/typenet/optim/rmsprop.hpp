/// Defines `typenet::rmsprop`, RMSprop with momentum, centering and weight decay, as
/// PyTorch 1.13's torch.optim.RMSprop.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

#include <typenet/frozen_parameters.hpp>
#include <typenet/optim/checks.hpp>
#include <typenet/optim/optimizer.hpp>

namespace typenet {

/// The options of `rmsprop`, in torch.optim.RMSprop's order and with its defaults.
///
///     typenet::rmsprop_options{.lr = 1e-3, .momentum = 0.9, .centered = true}
struct rmsprop_options {
    double lr = 1e-2;
    double alpha = 0.99;
    double eps = 1e-8;
    double weight_decay = 0;
    double momentum = 0;
    bool centered = false;
};

/// RMSprop on N parameters of type T, step for step PyTorch's RMSprop:
///
///     g = grad + weight_decay * p
///     s = alpha * s + (1 - alpha) * g * g
///     a = alpha * a + (1 - alpha) * g;  s' = s - a * a    (centered; else s' = s)
///     d = g / (sqrt(s') + eps)
///     buf = momentum * buf + d;  p = p - lr * buf          (momentum > 0)
///     p = p - lr * d                                        (otherwise)
///
///     typenet::rmsprop<float, net::parameter_count> opt({.lr = 1e-3, .centered = true});
///     opt.step(model.parameters(), grads);
template <class T, std::size_t N>
class rmsprop : public detail::optimizer_base<T, N, rmsprop_options> {
    using base = detail::optimizer_base<T, N, rmsprop_options>;

public:
    /// Checks `options` (std::invalid_argument) and allocates the averages, once.
    explicit rmsprop(const rmsprop_options& options)
        : base("rmsprop", checked(options), 1 + (options.centered ? 1 : 0) + (options.momentum > 0 ? 1 : 0)) {}

    /// One step: updates `params` from `grads`, but for the `frozen` ones (a network's
    /// `frozen()`), which it leaves as they are, and their state too. Allocates nothing; a
    /// NaN or an infinity in `grads` throws std::domain_error and changes nothing.
    void step(std::span<T, N> params, std::span<const T, N> grads, const frozen_parameters& frozen = {}) {
        this->begin_step(grads);
        const rmsprop_options& o = this->options_;
        frozen.for_each_trained(N, [&](std::size_t from, std::size_t to) {
            if (o.centered)
                o.momentum > 0 ? update<true, true>(params, grads, from, to) : update<true, false>(params, grads, from, to);
            else
                o.momentum > 0 ? update<false, true>(params, grads, from, to)
                               : update<false, false>(params, grads, from, to);
        });
    }

private:
    static const rmsprop_options& checked(const rmsprop_options& o) {
        detail::check_at_least_0("rmsprop", "lr", o.lr);
        detail::check_at_least_0("rmsprop", "alpha", o.alpha);
        detail::check_greater_than_0("rmsprop", "eps", o.eps);
        detail::check_at_least_0("rmsprop", "weight_decay", o.weight_decay);
        detail::check_at_least_0("rmsprop", "momentum", o.momentum);
        return o;
    }

    // One loop per combination, chosen once per step: no branch inside the loop.
    // Parameters [from, to).
    template <bool Centered, bool Momentum>
    void update(std::span<T, N> p, std::span<const T, N> grad, std::size_t from, std::size_t to) {
        const rmsprop_options& o = this->options_;
        const T lr = T(o.lr), alpha = T(o.alpha), one_minus_alpha = T(1 - o.alpha), eps = T(o.eps);
        const T weight_decay = T(o.weight_decay), momentum = T(o.momentum);
        // State arrays: the square average, then the average if centered, then the buffer.
        T* square_avg = this->state(0);
        T* grad_avg = Centered ? this->state(1) : nullptr;
        T* buf = Momentum ? this->state(Centered ? 2 : 1) : nullptr;
        for (std::size_t i = from; i < to; ++i) {
            const T g = grad[i] + weight_decay * p[i];  // PyTorch skips a decay of 0, which adds 0 here
            square_avg[i] = square_avg[i] * alpha + one_minus_alpha * g * g;
            T mean_square = square_avg[i];
            if constexpr (Centered) {
                grad_avg[i] = grad_avg[i] * alpha + one_minus_alpha * g;
                mean_square -= grad_avg[i] * grad_avg[i];
            }
            const T avg = std::sqrt(mean_square) + eps;
            if constexpr (Momentum) {
                buf[i] = buf[i] * momentum + g / avg;
                p[i] -= lr * buf[i];
            } else {
                p[i] -= lr * g / avg;
            }
        }
    }
};

}  // namespace typenet
