/// Defines `typenet::evaluator`, `typenet::evaluate` and `typenet::predict`: what a trained
/// network says about a data set (loss, accuracy, confusion matrix) and about samples
/// (class probabilities), at inference (dropout off) and with no optimizer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/dataset.hpp>
#include <typenet/detail/labeled_batch.hpp>
#include <typenet/kernels/reference/softmax.hpp>

namespace typenet {

/// Loss, accuracy and confusion matrix of a network over a data set.
template <std::size_t Classes>
struct evaluation {
    double loss = 0, accuracy = 0;
    std::size_t samples = 0;
    /// confusion[truth][predicted]: how many samples of class `truth` were called `predicted`.
    std::array<std::array<std::size_t, Classes>, Classes> confusion{};
};

/// Scores `Net` on labelled data sets with `Loss` (e.g. `softmax_cross_entropy<10>`, checked
/// against the network at compile time), `batch` samples at a time through the network's
/// threads; every buffer is allocated when it is made.
///
///     typenet::evaluator<net, typenet::softmax_cross_entropy<10>> score(model);
///     auto e = score(test_set);   // e.loss, e.accuracy, e.confusion[truth][predicted]
template <class Net, class Loss>
class evaluator {
    using T = typename Net::scalar_type;
    using batch_type = detail::labeled_batch<Net, Loss>;

public:
    static constexpr std::size_t classes = batch_type::classes;

    explicit evaluator(Net& net, std::size_t batch = 64)
        : net_(net),
          batch_size_(batch > 0 ? batch : throw std::invalid_argument("typenet: an evaluator's batch must hold a sample")),
          batch_(batch),
          outputs_(batch * Net::output_size),
          gradients_(batch * Net::output_size),
          indices_(batch) {}

    evaluation<classes> operator()(const data::labeled_set& data) {
        batch_type::check(data, "evaluation");
        evaluation<classes> result;
        for (std::size_t first = 0; first < data.size(); first += batch_size_) {
            const std::size_t count = std::min(batch_size_, data.size() - first);
            std::iota(indices_.begin(), indices_.begin() + long(count), first);
            batch_.gather(data, std::span(indices_).first(count));
            const auto out = std::span<T>(outputs_.data(), count * Net::output_size);
            net_.forward(batch_.inputs(count), out);
            result.loss += batch_.loss_of(out, count, gradients_) * double(count);
            for (std::size_t n = 0; n < count; ++n)
                ++result.confusion[batch_.label(n)]
                                  [detail::predicted_class(std::span<const T>(out).subspan(n * classes, classes))];
        }
        result.samples = data.size();
        result.loss /= double(data.size());
        std::size_t correct = 0;
        for (std::size_t c = 0; c < classes; ++c) correct += result.confusion[c][c];
        result.accuracy = double(correct) / double(data.size());
        return result;
    }

private:
    Net& net_;
    std::size_t batch_size_;
    batch_type batch_;
    std::vector<T> outputs_, gradients_;
    std::vector<std::size_t> indices_;
};

/// `evaluator<Net, Loss>(net)(data)`, for one evaluation.
///
///     auto e = typenet::evaluate<typenet::softmax_cross_entropy<10>>(model, test_set);
template <class Loss, class Net>
evaluation<Net::output_size> evaluate(Net& net, const data::labeled_set& data, std::size_t batch = 64) {
    return evaluator<Net, Loss>(net, batch)(data);
}

/// Class probabilities of each sample of `inputs` (whole samples, channels first) into
/// `probabilities` (output_size values per sample): the network's outputs if it ends with
/// softmax, their softmax if it gives logits (a network trained with a loss that applies
/// softmax itself). Allocates nothing.
template <class Net>
void predict(Net& net, std::span<const typename Net::scalar_type> inputs,
             std::span<typename Net::scalar_type> probabilities) {
    net.forward(inputs, probabilities);
    if constexpr (!detail::ends_with_softmax<Net>)
        for (std::size_t n = 0; n < probabilities.size() / Net::output_size; ++n) {
            auto* p = probabilities.data() + n * Net::output_size;
            kernels::reference::softmax_forward<Net::output_size, 1>(p, p);
        }
}

/// The class probabilities of one sample.
template <class Net>
std::array<typename Net::scalar_type, Net::output_size> predict(
    Net& net, std::span<const typename Net::scalar_type, Net::input_size> sample) {
    std::array<typename Net::scalar_type, Net::output_size> result;
    predict(net, std::span<const typename Net::scalar_type>(sample), std::span<typename Net::scalar_type>(result));
    return result;
}

}  // namespace typenet
