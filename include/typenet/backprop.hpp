/// Defines `typenet::backprop`: a network's training pass over a batch, with every
/// buffer sized when it is made and nothing allocated afterwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/batch_sync.hpp>
#include <typenet/detail/thread_pool.hpp>
#include <typenet/detail/visit.hpp>
#include <typenet/layer.hpp>

namespace typenet {

/// What a backward pass computes: the parameters' gradient always; the gradient of the
/// loss with respect to each input sample (saliency maps, adversarial examples, a network
/// feeding this one) when asked for, at the cost of the first layers' input gradients.
enum class gradients { parameters, parameters_and_inputs };

/// Runs `Net` forward in training mode (dropout active) keeping what the backward pass
/// needs, then back from dL/doutput to the gradient of every parameter, summed over the
/// batch, and on request to dL/dinput of each sample. Holds the storage for up to
/// `max_batch` samples.
///
///     backprop<net> pass(64);
///     auto out = pass.forward(model, images, iteration);   // batch × output_size
///     loss.evaluate(out, labels, pass.output_gradients());
///     auto grads = pass.backward(model);                    // std::span<float, N>
///
///     backprop<net> saliency(1, 1, gradients::parameters_and_inputs);
///     ... forward, output gradients, backward as above, then
///     auto map = saliency.input_gradients();                // batch × input_size
template <class Net>
class backprop {
    using T = typename Net::scalar_type;
    using block = typename Net::block;
    static constexpr std::size_t store_size = block::training_size;

public:
    /// Storage for up to `max_batch` samples; `threads` share each batch (and each keeps
    /// its own gradient sum, added up at the end).
    explicit backprop(std::size_t max_batch, std::size_t threads = 1, gradients wanted = gradients::parameters)
        : max_batch_(checked_batch(max_batch)),
          pool_(threads),
          store_(max_batch * store_size),
          outputs_(max_batch * Net::output_size),
          output_gradients_(max_batch * Net::output_size),
          scratch_(pool_.size() * block::backward_scratch_size),
          tail_gradients_(max_batch * block::batch_rows_size),
          sync_(pool_.size(), block::sync_width),
          gradients_(pool_.size() * Net::parameter_count),
          input_gradients_(wanted == gradients::parameters_and_inputs ? max_batch * Net::input_size : 0),
          needs_two_samples_(layer_needing_two_samples()) {}

    std::size_t max_batch() const { return max_batch_; }
    std::size_t batch() const { return batch_; }

    /// The batch's outputs (`batch × output_size`). `iteration` seeds the dropout masks.
    /// In the network's mode (network::train(), eval()): in train mode, batch norm
    /// normalizes with the statistics of the whole batch and updates the network's running
    /// statistics.
    std::span<const T> forward(Net& net, std::span<const T> inputs, std::uint64_t iteration) {
        if (inputs.size() % Net::input_size != 0 || inputs.size() / Net::input_size > max_batch_ || inputs.empty())
            throw std::invalid_argument(fmt::format(
                "typenet: backprop::forward got {} input values: it takes 1 to {} whole samples of {} values",
                inputs.size(), max_batch_, Net::input_size));
        if (inputs.size() == Net::input_size && !needs_two_samples_.empty())
            throw std::invalid_argument(fmt::format(
                "typenet: backprop::forward got 1 sample, but {} normalizes one value per channel of each sample: "
                "training needs a batch of at least 2 samples",
                needs_two_samples_));
        batch_ = inputs.size() / Net::input_size;
        mode_ = net.mode();
        inputs_ = inputs;
        iteration_ = iteration;
        auto part = [&](std::size_t t) {
            const std::size_t first = first_sample(t);
            const detail::batch_sync sync(sync_, t);
            block::forward_train_batch(weights_of(net), batch_rows<const T>{inputs.data() + first * Net::input_size, Net::input_size},
                                       batch_rows<T>{outputs_.data() + first * Net::output_size, Net::output_size},
                                       batch_rows<T>{store_.data() + first * store_size, store_size},
                                       first_sample(t + 1) - first, contexts(first, sync));
        };
        pool_.run(part);
        return {outputs_.data(), batch_ * Net::output_size};
    }

    /// Where the loss writes dL/doutput for the batch of the last forward.
    std::span<T> output_gradients() { return {output_gradients_.data(), batch_ * Net::output_size}; }

    /// dL/dparameters for the last forward and the output gradients given since.
    std::span<const T, Net::parameter_count> backward(Net& net) {
        if (batch_ == 0) throw std::logic_error("typenet: backprop::backward called before forward");
        auto part = [&](std::size_t t) {
            T* sum = gradients_.data() + t * Net::parameter_count;
            std::fill(sum, sum + Net::parameter_count, T(0));
            const std::size_t first = first_sample(t);
            const std::size_t count = first_sample(t + 1) - first;
            const detail::batch_sync sync(sync_, t);
            block::backward_train_batch(
                weights_of(net), batch_rows<const T>{inputs_.data() + first * Net::input_size, Net::input_size},
                batch_rows<const T>{outputs_.data() + first * Net::output_size, Net::output_size},
                batch_rows<const T>{store_.data() + first * store_size, store_size},
                batch_rows<T>{output_gradients_.data() + first * Net::output_size, Net::output_size},
                batch_rows<T>{input_gradients_.size() ? input_gradients_.data() + first * Net::input_size : nullptr,
                              Net::input_size},
                sum, scratch_.data() + t * block::backward_scratch_size,
                tail_gradients_.data() + first * block::batch_rows_size, count, contexts(first, sync));
        };
        pool_.run(part);
        for (std::size_t t = 1; t < pool_.size(); ++t) {
            const T* other = gradients_.data() + t * Net::parameter_count;
            for (std::size_t i = 0; i < Net::parameter_count; ++i) gradients_.data()[i] += other[i];
        }
        return gradients();
    }

    std::span<const T, Net::parameter_count> gradients() const {
        return std::span<const T, Net::parameter_count>(gradients_.data(), Net::parameter_count);
    }

    /// dL/dinput of each sample of the last backward (`batch × input_size`), for a pass
    /// made with gradients::parameters_and_inputs.
    std::span<const T> input_gradients() const {
        if (input_gradients_.size() == 0)
            throw std::logic_error(
                "typenet: backprop::input_gradients needs a pass made with gradients::parameters_and_inputs");
        return {input_gradients_.data(), batch_ * Net::input_size};
    }

private:
    static std::size_t checked_batch(std::size_t max_batch) {
        if (max_batch == 0) throw std::invalid_argument("typenet: backprop needs room for at least one sample");
        return max_batch;
    }

    // A batch norm whose channels hold one value per sample.
    template <class Bound>
    struct one_value_per_channel : std::false_type {};
    template <class Bound>
        requires requires { Bound::values_per_channel; }
    struct one_value_per_channel<Bound> : std::bool_constant<Bound::values_per_channel == 1> {};

    // The first batch norm (path and name) whose channels hold one value per sample: a
    // batch of one has no statistics there. Empty if none.
    static std::string layer_needing_two_samples() {
        std::string found;
        if constexpr (detail::any_layer<one_value_per_channel, block>())
            detail::visit_layers<block>([&](auto t, const detail::layer_site& site) {
                using bound = typename decltype(t)::type;
                if constexpr (one_value_per_channel<bound>::value)
                    if (found.empty()) found = fmt::format("layer {} ({})", site.path, bound::describe());
            });
        return found;
    }

    // Thread t takes samples [first_sample(t), first_sample(t + 1)).
    std::size_t first_sample(std::size_t t) const { return batch_ * t / pool_.size(); }
    train_context context(std::size_t sample) const { return train_context{0, mode_}.at(iteration_).at(sample); }
    // Those of the samples from `first` on, and the thread's side of the batch's sums.
    auto contexts(std::size_t first, const detail::batch_sync& sync) const {
        return detail::make_sample_contexts([this, first](std::size_t n) { return context(first + n); }, sync);
    }
    static weights<T> weights_of(Net& net) { return {net.parameters().data(), net.buffers().data(), &net.frozen()}; }

    std::size_t max_batch_, batch_ = 0;
    detail::thread_pool pool_;
    std::uint64_t iteration_ = 0;
    training_mode mode_{};
    std::span<const T> inputs_;
    detail::aligned_buffer<T> store_, outputs_, output_gradients_, scratch_, tail_gradients_;
    detail::batch_sync_group sync_;
    detail::aligned_buffer<T> gradients_, input_gradients_;
    std::string needs_two_samples_;
};

}  // namespace typenet
