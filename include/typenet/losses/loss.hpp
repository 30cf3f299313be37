/// Defines the loss contract: what every typenet loss provides, and `typenet::class_label`,
/// the one type of integer class labels.
///
/// Minimal complete definition. A loss `L` (`softmax_cross_entropy<10>`) is a type with
///
///     static constexpr std::size_t size;
///         // values it scores per sample: the network's output_size
///     template <class Output> static constexpr auto fit();
///         // `Output` when the loss can score a network output of that shape, or
///         // rejection<expected<…>> / rejection<because<…>>. Defined for every shape of
///         // every rank, so that `checked_loss` turns a mismatch into a readable
///         // invalid_loss<…> and never into an incomplete type.
///     template <std::floating_point T>
///     static T evaluate(std::span<const T> outputs, Targets targets, std::span<T> grad_outputs);
///         // the loss of a batch, averaged as PyTorch's reduction='mean' does, and
///         // d(loss)/d(outputs) written into grad_outputs.
///
/// Every `evaluate` follows the same rules:
/// - `outputs` holds whole samples, `size` values each, sample after sample: the batch
///   size is outputs.size() / size, at least 1. `targets` holds the batch's targets and
///   `grad_outputs` one value per output. Sizes are checked at run time, and a span of
///   the wrong size throws std::invalid_argument naming it.
/// - `grad_outputs` may be `outputs` itself (the gradient then replaces the outputs),
///   but must not overlap it or `targets` in any other way.
/// - Nothing is allocated, except for the message of an exception.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/diagnostics.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// The class of a sample, from 0 to Classes - 1: typenet's one type of integer label, a
/// byte as in the MNIST and CIFAR files (`data::labeled_set::labels`), so that labels
/// are read in place. More than 256 classes take their targets as probabilities.
using class_label = std::uint8_t;

namespace detail {

/// The shape rule of a loss that scores vectors: `shape<Size>`, and nothing else.
///
///     template <class Output>
///     static constexpr auto fit() { return detail::fit_vector<Size, Output>(); }
template <std::size_t Size, class Output>
constexpr auto fit_vector() {
    if constexpr (std::is_same_v<Output, shape<Size>>)
        return Output{};
    else
        return rejection<expected<shape<Size>>>{};
}

/// What a loss was given, by size, for `checked_batch_size`.
struct loss_arguments {
    std::string_view loss;          ///< the loss's name without its size: "mean_squared_error"
    std::size_t outputs;            ///< outputs.size()
    std::size_t targets;            ///< targets.size()
    std::size_t targets_per_sample; ///< 1 for labels, `Size` for a target per output
    std::string_view targets_name;  ///< what the targets are called in a message: "labels"
    std::size_t gradients;          ///< grad_outputs.size()
};

/// The batch size of a loss of `Size` values per sample, after checking that the three
/// spans describe the same batch of at least one sample; throws std::invalid_argument
/// naming the span at fault otherwise.
template <std::size_t Size>
std::size_t checked_batch_size(const loss_arguments& a) {
    // If you see this error: a loss's size is the number of outputs it scores per sample;
    // checked_loss would have reported it as not fitting the network.
    static_assert(Size >= 1, "typenet: a loss must score at least 1 value per sample");
    if (a.outputs == 0 || a.outputs % Size != 0)
        throw std::invalid_argument(fmt::format(
            "typenet: {}<{}> got {} outputs; a batch of n >= 1 samples has n*{} outputs", a.loss, Size, a.outputs,
            Size));
    const std::size_t batch = a.outputs / Size;
    if (a.targets != batch * a.targets_per_sample)
        throw std::invalid_argument(fmt::format(
            "typenet: {}<{}> got {} {} for a batch of {} samples ({} outputs); it needs {} ({} per sample)", a.loss,
            Size, a.targets, a.targets_name, batch, a.outputs, batch * a.targets_per_sample, a.targets_per_sample));
    if (a.gradients != a.outputs)
        throw std::invalid_argument(fmt::format(
            "typenet: {}<{}> got room for {} gradients for {} outputs; grad_outputs needs one per output", a.loss,
            Size, a.gradients, a.outputs));
    return batch;
}

}  // namespace detail
}  // namespace typenet
