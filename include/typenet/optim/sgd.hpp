/// Defines `typenet::sgd`, stochastic gradient descent with momentum, dampening, Nesterov
/// momentum and weight decay, as PyTorch 1.13's torch.optim.SGD.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include <typenet/frozen_parameters.hpp>
#include <typenet/optim/checks.hpp>
#include <typenet/optim/optimizer.hpp>

namespace typenet {

/// The options of `sgd`, in torch.optim.SGD's order and with its defaults. As in
/// PyTorch, `lr` has no default and must be given.
///
///     typenet::sgd_options{.lr = 0.01, .momentum = 0.9, .nesterov = true}
struct sgd_options {
    double lr = std::numeric_limits<double>::quiet_NaN();  // NaN: not given
    double momentum = 0;
    double dampening = 0;
    double weight_decay = 0;
    bool nesterov = false;
};

/// Stochastic gradient descent on N parameters of type T, step for step PyTorch's SGD:
///
///     d = grad + weight_decay * p
///     buf = d                                   (first step)
///     buf = momentum * buf + (1 - dampening) * d (later steps)
///     d = nesterov ? d + momentum * buf : buf    (if momentum != 0)
///     p = p - lr * d
///
/// Nesterov momentum needs momentum > 0 and dampening 0.
///
///     typenet::sgd<float, net::parameter_count> opt({.lr = 0.01, .momentum = 0.9});
///     opt.step(model.parameters(), grads);
template <class T, std::size_t N>
class sgd : public detail::optimizer_base<T, N, sgd_options> {
    using base = detail::optimizer_base<T, N, sgd_options>;

public:
    /// Checks `options` (std::invalid_argument) and allocates the momentum buffer if any.
    explicit sgd(const sgd_options& options) : base("sgd", checked(options), options.momentum != 0 ? 1 : 0) {}

    /// One step: updates `params` from `grads`, but for the `frozen` ones (a network's
    /// `frozen()`), which it leaves as they are, and their state too. Allocates nothing; a
    /// NaN or an infinity in `grads` throws std::domain_error and changes nothing.
    void step(std::span<T, N> params, std::span<const T, N> grads, const frozen_parameters& frozen = {}) {
        const bool first = this->begin_step(grads) == 1;
        frozen.for_each_trained(N, [&](std::size_t from, std::size_t to) {
            if (this->options_.momentum == 0)
                update<false, false>(params, grads, first, from, to);
            else if (this->options_.nesterov)
                update<true, true>(params, grads, first, from, to);
            else
                update<true, false>(params, grads, first, from, to);
        });
    }

private:
    static const sgd_options& checked(const sgd_options& o) {
        if (std::isnan(o.lr))
            detail::reject_option("sgd", "lr", "must be given, as PyTorch's SGD has no default", o.lr);
        detail::check_at_least_0("sgd", "lr", o.lr);
        detail::check_at_least_0("sgd", "momentum", o.momentum);
        if (!std::isfinite(o.dampening)) detail::reject_option("sgd", "dampening", "must be finite", o.dampening);
        detail::check_at_least_0("sgd", "weight_decay", o.weight_decay);
        if (o.nesterov && o.momentum == 0)
            detail::reject_option("sgd", "nesterov", "needs momentum greater than 0", o.momentum);
        if (o.nesterov && o.dampening != 0)
            detail::reject_option("sgd", "nesterov", "needs dampening 0", o.dampening);
        return o;
    }

    // One loop per kind of momentum, chosen once per step: no branch inside the loop.
    // Parameters [from, to).
    template <bool Momentum, bool Nesterov>
    void update(std::span<T, N> p, std::span<const T, N> grad, bool first, std::size_t from, std::size_t to) {
        const sgd_options& o = this->options_;
        const T lr = T(o.lr), weight_decay = T(o.weight_decay), momentum = T(o.momentum);
        // The buffer starts at zero, so the first step, which PyTorch makes set it to d,
        // is a later step without dampening.
        const T dampened = first ? T(1) : T(1 - o.dampening);
        T* buf = Momentum ? this->state(0) : nullptr;
        for (std::size_t i = from; i < to; ++i) {
            T d = grad[i] + weight_decay * p[i];  // PyTorch skips a decay of 0, which adds 0 here
            if constexpr (Momentum) {
                buf[i] = buf[i] * momentum + dampened * d;
                d = Nesterov ? d + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }
};

}  // namespace typenet
