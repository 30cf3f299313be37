/// Defines `typenet::mean_squared_error`.
#pragma once

#include <concepts>
#include <cstddef>
#include <span>

#include <typenet/losses/loss.hpp>

namespace typenet {

/// The mean of (output - target)² over every value of the batch, PyTorch's `MSELoss()`
/// (reduction 'mean'), for a network whose output is `shape<Size>`.
///
///     using loss = checked_loss<mean_squared_error<3>, net>;
///     float mean = loss::evaluate(outputs, targets, grad_outputs);
template <std::size_t Size>
struct mean_squared_error {
    static constexpr std::size_t size = Size;

    template <class Output>
    static constexpr auto fit() {
        return detail::fit_vector<Size, Output>();
    }

    /// Mean of (outputs - targets)² for batch×Size targets; writes
    /// 2·(outputs - targets) / (batch·Size) into `grad_outputs`.
    template <std::floating_point T>
    static T evaluate(std::span<const T> outputs, std::span<const T> targets, std::span<T> grad_outputs) {
        detail::checked_batch_size<Size>({.loss = "mean_squared_error",
                                          .outputs = outputs.size(),
                                          .targets = targets.size(),
                                          .targets_per_sample = Size,
                                          .targets_name = "targets",
                                          .gradients = grad_outputs.size()});
        const T scale = T(1) / T(outputs.size());
        T total = 0;
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const T difference = outputs[i] - targets[i];
            total += difference * difference;
            grad_outputs[i] = 2 * difference * scale;
        }
        return total * scale;
    }
};

}  // namespace typenet
