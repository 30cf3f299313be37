/// Defines `typenet::softmax_cross_entropy`.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>

#include <fmt/format.h>

#include <typenet/losses/loss.hpp>

namespace typenet {

namespace detail {

// z: shape<N>  g: shape<N>; `g` may be `z`. One sample's logits `z` and target
// probabilities `p(c)`: returns -Σ p(c)·log softmax(z)_c and writes its gradient
// (softmax(z)·Σp - p)·scale into `g`. The maximum is subtracted first, so exp never
// overflows and log softmax(z)_c = (z_c - max) - log Σ exp(z - max) adds no large numbers.
template <std::size_t N, class T, class Target>
T softmax_cross_entropy_sample(const T* z, Target p, T scale, T* g) {
    const T top = *std::max_element(z, z + N);
    T sum = 0, mass = 0, cross = 0;
    for (std::size_t c = 0; c < N; ++c) {
        const T shifted = z[c] - top;
        mass += p(c);
        cross += p(c) * shifted;
        // Written after z[c] is read: this is what lets `g` be `z`.
        sum += g[c] = std::exp(shifted);
    }
    const T share = mass / sum;
    for (std::size_t c = 0; c < N; ++c) g[c] = (g[c] * share - p(c)) * scale;
    return mass * std::log(sum) - cross;
}

}  // namespace detail

/// Cross-entropy of the softmax of `Classes` logits, PyTorch's `CrossEntropyLoss()`
/// (reduction 'mean'): give it the network's raw scores, with no `softmax` layer at the
/// end. Computed stably from the logits (log-sum-exp), so logits of ±1000 are fine.
/// Targets are either one label per sample (`class_label`, 0 to Classes - 1) or one
/// probability per logit (a one-hot or soft distribution, batch×Classes values).
///
///     using loss = checked_loss<softmax_cross_entropy<10>, net>;
///     float mean = loss::evaluate(scores, labels, grad_scores);
template <std::size_t Classes>
struct softmax_cross_entropy {
    static constexpr std::size_t size = Classes;

    template <class Output>
    static constexpr auto fit() {
        return detail::fit_vector<Classes, Output>();
    }

    /// Mean over the batch of -log softmax(logits)[label]; writes (softmax - one_hot(label))
    /// / batch into `grad_logits`. Throws std::out_of_range, before writing anything, if a
    /// label is not below Classes.
    template <std::floating_point T>
    static T evaluate(std::span<const T> logits, std::span<const class_label> labels, std::span<T> grad_logits) {
        static_assert(Classes <= std::size_t{std::numeric_limits<class_label>::max()} + 1,
                      "typenet: a class_label is a byte: give more than 256 classes their targets as probabilities");
        const std::size_t batch = detail::checked_batch_size<Classes>({.loss = "softmax_cross_entropy",
                                                                       .outputs = logits.size(),
                                                                       .targets = labels.size(),
                                                                       .targets_per_sample = 1,
                                                                       .targets_name = "labels",
                                                                       .gradients = grad_logits.size()});
        for (std::size_t n = 0; n < batch; ++n)
            if (labels[n] >= Classes)
                throw std::out_of_range(fmt::format(
                    "typenet: softmax_cross_entropy<{}> got label {} for sample {}; labels are 0 to {}", Classes,
                    labels[n], n, Classes - 1));
        const T scale = T(1) / T(batch);
        T total = 0;
        for (std::size_t n = 0; n < batch; ++n) {
            const auto one_hot = [label = labels[n]](std::size_t c) { return T(c == label); };
            total += detail::softmax_cross_entropy_sample<Classes>(logits.data() + n * Classes, one_hot, scale,
                                                                    grad_logits.data() + n * Classes);
        }
        return total * scale;
    }

    /// Mean over the batch of -Σ_c probabilities[c]·log softmax(logits)[c], for
    /// batch×Classes target probabilities (PyTorch's class-probability targets); writes
    /// (softmax·Σ probabilities - probabilities) / batch into `grad_logits`.
    template <std::floating_point T>
    static T evaluate(std::span<const T> logits, std::span<const T> probabilities, std::span<T> grad_logits) {
        const std::size_t batch = detail::checked_batch_size<Classes>({.loss = "softmax_cross_entropy",
                                                                       .outputs = logits.size(),
                                                                       .targets = probabilities.size(),
                                                                       .targets_per_sample = Classes,
                                                                       .targets_name = "probabilities",
                                                                       .gradients = grad_logits.size()});
        const T scale = T(1) / T(batch);
        T total = 0;
        for (std::size_t n = 0; n < batch; ++n) {
            const T* p = probabilities.data() + n * Classes;
            total += detail::softmax_cross_entropy_sample<Classes>(
                logits.data() + n * Classes, [p](std::size_t c) { return p[c]; }, scale,
                grad_logits.data() + n * Classes);
        }
        return total * scale;
    }
};

}  // namespace typenet
