/// Defines the learning-rate schedules `typenet::step_lr`, `typenet::multi_step_lr` and
/// `typenet::cosine_annealing`. A schedule maps (base_lr, epoch) to the learning rate of
/// that epoch, the one PyTorch 1.13's scheduler of the same name sets (epoch 0: base_lr).
///
///     typenet::cosine_annealing schedule{/*t_max=*/100};
///     for (std::size_t epoch = 0; epoch < 100; ++epoch) {
///         opt.set_lr(schedule(3e-4, epoch));
///         train_one_epoch(model, opt);
///     }
#pragma once

#include <cmath>
#include <cstddef>
#include <map>
#include <numbers>
#include <vector>

#include <typenet/optim/checks.hpp>

namespace typenet {

/// Multiplies the learning rate by `gamma` every `step_size` epochs, as
/// torch.optim.lr_scheduler.StepLR.
///
///     typenet::step_lr schedule{30, 0.1};  // epochs 0-29: base_lr, 30-59: base_lr / 10, ...
class step_lr {
public:
    explicit step_lr(std::size_t step_size, double gamma = 0.1) : step_size_(step_size), gamma_(gamma) {
        detail::check_greater_than_0("step_lr", "step_size", double(step_size));
        detail::check_at_least_0("step_lr", "gamma", gamma);
    }

    double operator()(double base_lr, std::size_t epoch) const {
        // One multiplication per decay, as PyTorch's scheduler does from epoch to epoch:
        // base_lr * gamma^k would differ in the last bits.
        double lr = base_lr;
        for (std::size_t k = epoch / step_size_; k > 0; --k) lr *= gamma_;
        return lr;
    }

private:
    std::size_t step_size_;
    double gamma_;
};

/// Multiplies the learning rate by `gamma` at each milestone epoch, as
/// torch.optim.lr_scheduler.MultiStepLR (a milestone given twice counts twice).
///
///     typenet::multi_step_lr schedule{{30, 80}, 0.1};  // base_lr, then / 10 from 30, / 100 from 80
class multi_step_lr {
public:
    explicit multi_step_lr(const std::vector<std::size_t>& milestones, double gamma = 0.1) : gamma_(gamma) {
        detail::check_at_least_0("multi_step_lr", "gamma", gamma);
        for (std::size_t m : milestones) ++count_[m];
    }

    double operator()(double base_lr, std::size_t epoch) const {
        // At a milestone PyTorch multiplies by gamma ** count: so does this, milestone by milestone.
        double lr = base_lr;
        for (auto [milestone, count] : count_) {
            if (milestone > epoch) break;
            lr *= std::pow(gamma_, double(count));
        }
        return lr;
    }

private:
    std::map<std::size_t, int> count_;  // milestone -> times given, as PyTorch's Counter
    double gamma_;
};

/// Anneals the learning rate from base_lr to `eta_min` along half a cosine over `t_max`
/// epochs, then back up over the next `t_max`, and so on, as
/// torch.optim.lr_scheduler.CosineAnnealingLR (without restarts):
///
///     lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / t_max)) / 2
///
///     typenet::cosine_annealing schedule{50, 1e-5};
class cosine_annealing {
public:
    explicit cosine_annealing(std::size_t t_max, double eta_min = 0) : t_max_(t_max), eta_min_(eta_min) {
        detail::check_greater_than_0("cosine_annealing", "t_max", double(t_max));
        detail::check_at_least_0("cosine_annealing", "eta_min", eta_min);
    }

    double operator()(double base_lr, std::size_t epoch) const {
        // PyTorch's step() computes each epoch's rate from the last one, a ratio of cosines
        // (and a special case after each minimum, where the ratio would divide by zero).
        // That recursion is this closed form, past t_max too; the two differ by rounding
        // only (1e-14 relative over 30 epochs, in tests/optim/optim.bin).
        return eta_min_ + (base_lr - eta_min_) * (1 + std::cos(std::numbers::pi * double(epoch) / double(t_max_))) / 2;
    }

private:
    std::size_t t_max_;
    double eta_min_;
};

}  // namespace typenet
