/// Defines `typenet::backprop`: a network's training pass over a batch, with every
/// buffer sized when it is made and nothing allocated afterwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/layer.hpp>

namespace typenet {

/// Runs `Net` forward in training mode (dropout active) keeping what the backward pass
/// needs, then back from dL/doutput to the gradient of every parameter, summed over the
/// batch. Holds the storage for up to `max_batch` samples.
///
///     backprop<net> pass(64);
///     auto out = pass.forward(model, images, iteration);   // batch × output_size
///     loss.evaluate(out, labels, pass.output_gradients());
///     auto grads = pass.backward(model);                    // std::span<float, N>
template <class Net>
class backprop {
    using T = typename Net::scalar_type;
    using block = typename Net::block;
    static constexpr std::size_t store_size = block::training_size;

public:
    explicit backprop(std::size_t max_batch)
        : max_batch_(max_batch),
          store_(max_batch * store_size),
          outputs_(max_batch * Net::output_size),
          output_gradients_(max_batch * Net::output_size),
          scratch_(block::backward_scratch_size),
          gradients_(Net::parameter_count) {
        if (max_batch == 0) throw std::invalid_argument("typenet: backprop needs room for at least one sample");
    }

    std::size_t max_batch() const { return max_batch_; }
    std::size_t batch() const { return batch_; }

    /// The batch's outputs (`batch × output_size`). `iteration` seeds the dropout masks.
    std::span<const T> forward(const Net& net, std::span<const T> inputs, std::uint64_t iteration) {
        if (inputs.size() % Net::input_size != 0 || inputs.size() / Net::input_size > max_batch_ || inputs.empty())
            throw std::invalid_argument(fmt::format(
                "typenet: backprop::forward got {} input values: it takes 1 to {} whole samples of {} values",
                inputs.size(), max_batch_, Net::input_size));
        batch_ = inputs.size() / Net::input_size;
        inputs_ = inputs;
        iteration_ = iteration;
        for (std::size_t n = 0; n < batch_; ++n)
            block::forward_train(net.parameters().data(), inputs.data() + n * Net::input_size,
                                 outputs_.data() + n * Net::output_size, store_.data() + n * store_size, context(n));
        return {outputs_.data(), batch_ * Net::output_size};
    }

    /// Where the loss writes dL/doutput for the batch of the last forward.
    std::span<T> output_gradients() { return {output_gradients_.data(), batch_ * Net::output_size}; }

    /// dL/dparameters for the last forward and the output gradients given since.
    std::span<const T, Net::parameter_count> backward(const Net& net) {
        if (batch_ == 0) throw std::logic_error("typenet: backprop::backward called before forward");
        std::fill(gradients_.data(), gradients_.data() + Net::parameter_count, T(0));
        for (std::size_t n = 0; n < batch_; ++n)
            block::backward(net.parameters().data(), inputs_.data() + n * Net::input_size,
                            outputs_.data() + n * Net::output_size, store_.data() + n * store_size,
                            output_gradients_.data() + n * Net::output_size, static_cast<T*>(nullptr),
                            gradients_.data(), scratch_.data(), context(n));
        return gradients();
    }

    std::span<const T, Net::parameter_count> gradients() const {
        return std::span<const T, Net::parameter_count>(gradients_.data(), Net::parameter_count);
    }

private:
    train_context context(std::size_t sample) const { return train_context{}.at(iteration_).at(sample); }

    std::size_t max_batch_, batch_ = 0;
    std::uint64_t iteration_ = 0;
    std::span<const T> inputs_;
    detail::aligned_buffer<T> store_, outputs_, output_gradients_, scratch_, gradients_;
};

}  // namespace typenet
