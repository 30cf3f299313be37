/// Defines `typenet::binary_cross_entropy_with_logits`.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>

#include <typenet/losses/loss.hpp>

namespace typenet {

/// Binary cross-entropy of the sigmoid of each logit, PyTorch's `BCEWithLogitsLoss()`
/// (reduction 'mean'): `Size` independent yes/no outputs per sample, given as raw
/// scores (no `sigmoid` layer at the end). Computed in the stable form
/// max(x, 0) - x·y + log(1 + exp(-|x|)), so logits of ±1000 are fine.
///
///     using loss = checked_loss<binary_cross_entropy_with_logits<4>, net>;
///     float mean = loss::evaluate(scores, targets, grad_scores);
template <std::size_t Size>
struct binary_cross_entropy_with_logits {
    static constexpr std::size_t size = Size;

    template <class Output>
    static constexpr auto fit() {
        return detail::fit_vector<Size, Output>();
    }

    /// Mean over every value of the batch of -(y·log σ(x) + (1 - y)·log(1 - σ(x))), for
    /// batch×Size targets y in [0, 1]; writes (σ(x) - y) / (batch·Size) into `grad_logits`.
    template <std::floating_point T>
    static T evaluate(std::span<const T> logits, std::span<const T> targets, std::span<T> grad_logits) {
        detail::checked_batch_size<Size>({.loss = "binary_cross_entropy_with_logits",
                                          .outputs = logits.size(),
                                          .targets = targets.size(),
                                          .targets_per_sample = Size,
                                          .targets_name = "targets",
                                          .gradients = grad_logits.size()});
        const T scale = T(1) / T(logits.size());
        T total = 0;
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const T x = logits[i], y = targets[i];
            // exp(-|x|) is at most 1: neither it nor σ(x) below can overflow.
            const T small = std::exp(-std::abs(x));
            total += std::max(x, T(0)) - x * y + std::log1p(small);
            const T sigmoid = x >= 0 ? 1 / (1 + small) : small / (1 + small);
            grad_logits[i] = (sigmoid - y) * scale;
        }
        return total * scale;
    }
};

}  // namespace typenet
