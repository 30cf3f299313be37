/// Defines `typenet::detail::labeled_batch`: a batch of a labelled data set gathered for a
/// network, and its classification loss, as training and evaluation both need them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/augmentation.hpp>
#include <typenet/data/dataset.hpp>
#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/softmax.hpp>
#include <typenet/losses/checked_loss.hpp>

namespace typenet::detail {

template <class Net>
inline constexpr bool ends_with_softmax = [] {
    if constexpr (Net::layer_count == 0)
        return false;
    else
        return std::is_same_v<typename Net::template layer_at<Net::layer_count - 1>,
                              softmax::on<typename Net::output_shape>>;
}();

/// The index of the largest score: the predicted class.
template <class T>
std::size_t predicted_class(std::span<const T> scores) {
    return std::size_t(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

/// Up to `capacity` samples of a labelled set, as `Net` takes them, and `Loss` over them.
template <class Net, class Loss>
class labeled_batch {
    using T = typename Net::scalar_type;
    using loss = checked_loss<Loss, Net>;

public:
    static constexpr std::size_t classes = Net::output_size;

    explicit labeled_batch(std::size_t capacity)
        : inputs_(capacity * Net::input_size),
          labels_(capacity),
          logits_(ends_with_softmax<Net> ? capacity * Net::output_size : 0),
          work_(Net::input_size) {}

    /// A set this network can read: not empty, images of its input size, a label each.
    static void check(const data::labeled_set& data, const char* role) {
        if (data.size() == 0) throw std::invalid_argument(fmt::format("typenet: the {} set is empty", role));
        if (data.images.image_size() != Net::input_size)
            throw std::invalid_argument(fmt::format(
                "typenet: the {} set's images have {}x{}x{} = {} values; the network's input has {}", role,
                data.images.channels, data.images.rows, data.images.cols, data.images.image_size(), Net::input_size));
        if (data.labels.size() != data.size())
            throw std::invalid_argument(fmt::format("typenet: the {} set has {} images but {} labels", role,
                                                    data.size(), data.labels.size()));
    }

    /// Copies the samples `indices` of `data` into the batch.
    void gather(const data::labeled_set& data, std::span<const std::size_t> indices) {
        for (std::size_t n = 0; n < indices.size(); ++n) {
            const auto image = data.images.image(indices[n]);
            std::copy(image.begin(), image.end(), inputs_.data() + n * Net::input_size);
            labels_[n] = data.labels[indices[n]];
        }
    }

    /// Augments the first `count` samples, sample n from key `key` + n. Crops and flips
    /// are for images: another input is std::invalid_argument.
    void augment(const data::augmentation& how, std::size_t count, std::uint64_t key) {
        if constexpr (Net::input_shape::rank == 3) {
            constexpr auto dims = Net::input_shape::dims;
            for (std::size_t n = 0; n < count; ++n)
                how.apply(std::span<T>(inputs_.data() + n * Net::input_size, Net::input_size),
                          std::span<T>(work_.data(), Net::input_size), dims[0], dims[1], dims[2], key + n);
        } else {
            throw std::invalid_argument(fmt::format(
                "typenet: random crops and flips are for images, shape<C, H, W>; this network's input has rank {}",
                Net::input_shape::rank));
        }
    }

    std::span<const T> inputs(std::size_t count) const { return {inputs_.data(), count * Net::input_size}; }
    class_label label(std::size_t n) const { return labels_[n]; }

    // The mean loss of the first `count` samples from the network's `outputs`, writing
    // dL/doutput into `gradients`. A network that ends with softmax gives probabilities:
    // the loss then reads their logarithm, whose softmax they are, and its gradient is
    // carried back through the final softmax.
    double loss_of(std::span<const T> outputs, std::size_t count, std::span<T> gradients) {
        const auto labels = std::span<const class_label>(labels_.data(), count);
        const auto grads = gradients.first(count * Net::output_size);
        if constexpr (ends_with_softmax<Net>) {
            const T tiny = std::numeric_limits<T>::min();
            for (std::size_t i = 0; i < count * Net::output_size; ++i) logits_[i] = std::log(std::max(outputs[i], tiny));
            const double value =
                loss::evaluate(std::span<const T>(logits_.data(), count * Net::output_size), labels, grads);
            // grads now hold p − y (per sample, over the batch): dL/dp for the softmax's
            // backward pass, p ⊙ (g − ⟨g, p⟩), is g = −y / p.
            for (std::size_t n = 0; n < count; ++n)
                for (std::size_t c = 0; c < classes; ++c) {
                    const std::size_t i = n * classes + c;
                    grads[i] = c == labels[n] ? -(T(1) / T(count)) / std::max(outputs[i], tiny) : T(0);
                }
            return value;
        } else {
            return loss::evaluate(outputs, labels, grads);
        }
    }

    /// How many of the first `count` samples the network's `outputs` classify right.
    std::size_t correct(std::span<const T> outputs, std::size_t count) const {
        std::size_t right = 0;
        for (std::size_t n = 0; n < count; ++n)
            right += predicted_class(outputs.subspan(n * classes, classes)) == labels_[n];
        return right;
    }

private:
    aligned_buffer<T> inputs_;
    std::vector<class_label> labels_;
    std::vector<T> logits_;
    aligned_buffer<T> work_;  // an image, for augment
};

}  // namespace typenet::detail
