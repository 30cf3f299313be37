/// Defines `typenet::detail::batch_norm_spec` and `batch_norm_layer`: PyTorch's
/// BatchNorm1d/2d, normalizing each channel with the statistics of the whole batch in
/// training and with running estimates of them at inference.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/batch_sync.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/batch_norm.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

template <class O>
struct batch_norm_accepts : std::bool_constant<is_option_v<eps, O> || is_option_v<momentum, O>> {};

/// The arithmetic of a batch norm over `channels` channels of `values_per_channel` values
/// each, with sizes known at run time: it is memory-bound, so constants gain nothing, and
/// one instance serves every batch norm of a network (a kernel per shape cost GoogLeNet's
/// build 11 s).
struct batch_norm_channels {
    std::size_t channels, values_per_channel;
    double epsilon, momentum_rate;

    /// Inference: the running statistics, as one scale and shift per channel.
    template <class T, class Epilogue>
    void forward(weights<T> w, const T* in, T* out, T*, Epilogue ep) const {
        const T* const bias = w.params + channels;
        const T* const mean = w.buffers;
        for (std::size_t c = 0; c < channels; ++c) {
            const T scale = running_scale(w, c);
            const T shift = bias[c] - mean[c] * scale;
            for (std::size_t i = c * values_per_channel; i < (c + 1) * values_per_channel; ++i)
                out[i] = ep.finish(in[i] * scale + shift, out + i);
        }
    }

    template <class T, class Epilogue>
    void forward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, batch_rows<T> store,
                             std::size_t count, training_mode mode, const batch_sync& sync, Epilogue epilogue) const {
        if (!mode.batch_statistics) {
            for (std::size_t n = 0; n < count; ++n)
                forward(w, in[n], out[n], static_cast<T*>(nullptr), epilogue.sample(n));
            return;
        }
        const std::span<double> sums = sync.local().first(2 * channels);
        // The mean first, then the variance around it: one pass of E[x²] - E[x]² would
        // lose the digits that matter in float.
        for (std::size_t c = 0; c < channels; ++c) sums[c] = 0;
        for (std::size_t n = 0; n < count; ++n)
            for (std::size_t c = 0; c < channels; ++c)
                sums[c] += kernels::batch_norm::sum(in[n] + c * values_per_channel, values_per_channel);
        sums[channels] = double(count);
        sync.sum(sums.first(channels + 1));
        const double total = sums[channels] * double(values_per_channel);
        for (std::size_t c = 0; c < channels; ++c) sums[c] /= total;
        for (std::size_t c = 0; c < channels; ++c) {
            double squares = 0;
            for (std::size_t n = 0; n < count; ++n)
                squares += kernels::batch_norm::squared_deviations(in[n] + c * values_per_channel, values_per_channel,
                                                                   sums[c]);
            sums[channels + c] = squares;
        }
        sync.sum(sums.subspan(channels, channels));
        const T* const weight = w.params;
        const T* const bias = w.params + channels;
        for (std::size_t c = 0; c < channels; ++c) {
            const double variance = sums[channels + c] / total;
            const T mean = T(sums[c]);
            const T inverse_std = T(1 / std::sqrt(variance + epsilon));
            if (count > 0) {
                store[0][c] = mean;
                store[0][channels + c] = inverse_std;
            }
            for (std::size_t n = 0; n < count; ++n)
                kernels::batch_norm::normalize(in[n] + c * values_per_channel, out[n] + c * values_per_channel,
                                               values_per_channel, mean, inverse_std, weight[c], bias[c],
                                               epilogue.sample(n));
            if (sync.leads()) {
                // PyTorch's running variance is the unbiased estimate.
                T& running_mean = w.buffers[c];
                T& running_variance = w.buffers[channels + c];
                running_mean = T((1 - momentum_rate) * double(running_mean) + momentum_rate * sums[c]);
                running_variance = T((1 - momentum_rate) * double(running_variance) +
                                     momentum_rate * variance * total / (total - 1));
            }
        }
        if (count > 0) store[0][2 * channels] = T(total);
    }

    // dL/dx = w/σ · (dy - mean(dy) - x̂ · mean(dy · x̂)), the means over the whole batch.
    template <class T>
    void backward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T> store,
                              batch_rows<T> grad_out, batch_rows<T> grad_in, T* grad_params, std::size_t count,
                              training_mode mode, const batch_sync& sync) const {
        if (!mode.batch_statistics) return backward_with_running_statistics(w, in, grad_out, grad_in, grad_params, count);
        const std::span<double> sums = sync.local().first(2 * channels);
        const T* const kept = count > 0 ? store[0] : nullptr;
        for (std::size_t c = 0; c < channels; ++c) {
            double dy = 0, dy_xhat = 0;
            for (std::size_t n = 0; n < count; ++n)
                kernels::batch_norm::gradient_sums<T>(grad_out[n] + c * values_per_channel, in[n] + c * values_per_channel,
                                                      values_per_channel, kept[c], kept[channels + c], dy, dy_xhat);
            sums[c] = dy;
            sums[channels + c] = dy_xhat;
            // This thread's part: the threads' gradients are added up after the pass.
            if (grad_params) {
                grad_params[c] += T(dy_xhat);
                grad_params[channels + c] += T(dy);
            }
        }
        sync.sum(sums);
        if (grad_in.data == nullptr || count == 0) return;
        const double total = double(kept[2 * channels]);
        const T* const weight = w.params;
        for (std::size_t c = 0; c < channels; ++c) {
            const T mean = kept[c], inverse_std = kept[channels + c];
            const T mean_dy = T(sums[c] / total), mean_dy_xhat = T(sums[channels + c] / total);
            const T factor = weight[c] * inverse_std;
            for (std::size_t n = 0; n < count; ++n)
                kernels::batch_norm::input_gradient<T>(grad_out[n] + c * values_per_channel, in[n] + c * values_per_channel,
                                                       grad_in[n] + c * values_per_channel, values_per_channel, mean,
                                                       inverse_std, factor, mean_dy, mean_dy_xhat);
        }
    }

private:
    // w / √(running_var + ε) of channel c.
    template <class T>
    T running_scale(weights<T> w, std::size_t c) const {
        return w.params[c] / std::sqrt(w.buffers[channels + c] + T(epsilon));
    }

    // The running statistics are constants: dL/dx = dL/dy · w/σ.
    template <class T>
    void backward_with_running_statistics(weights<T> w, batch_rows<const T> in, batch_rows<T> grad_out,
                                          batch_rows<T> grad_in, T* grad_params, std::size_t count) const {
        for (std::size_t c = 0; c < channels; ++c) {
            const T inverse_std = T(1) / std::sqrt(w.buffers[channels + c] + T(epsilon));
            const T mean = w.buffers[c], scale = running_scale(w, c);
            T dy = 0, dy_xhat = 0;
            for (std::size_t n = 0; n < count; ++n)
                for (std::size_t i = c * values_per_channel; i < (c + 1) * values_per_channel; ++i) {
                    if (grad_params) {  // null for a frozen layer
                        dy += grad_out[n][i];
                        dy_xhat += grad_out[n][i] * (in[n][i] - mean) * inverse_std;
                    }
                    if (grad_in.data) grad_in[n][i] = grad_out[n][i] * scale;
                }
            if (grad_params) {
                grad_params[c] += dy_xhat;
                grad_params[channels + c] += dy;
            }
        }
    }
};

/// `In` normalized channel by channel (the first dimension; a vector's every value is a
/// channel); ε and the momentum as fractions.
template <class In, int EpsNum, int EpsDen, int MomentumNum, int MomentumDen>
struct batch_norm_layer {
    using input_shape = In;
    using output_shape = In;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t channels = In::dims[0];
    /// Values of a channel in one sample: a batch of one vector cannot be normalized.
    static constexpr std::size_t values_per_channel = In::size / channels;
    static constexpr double epsilon = double(EpsNum) / double(EpsDen);
    static constexpr double momentum_rate = double(MomentumNum) / double(MomentumDen);

    static constexpr std::size_t parameter_count = 2 * channels;
    static constexpr std::size_t buffer_count = 2 * channels;
    static constexpr std::array parameter_tensors{
        tensor_desc{"weight", {channels, 0, 0, 0}, 1, tensor_desc::start::ones},
        tensor_desc{"bias", {channels, 0, 0, 0}, 1, tensor_desc::start::zeros}};
    static constexpr std::array buffer_tensors{
        tensor_desc{"running_mean", {channels, 0, 0, 0}, 1, tensor_desc::start::zeros},
        tensor_desc{"running_var", {channels, 0, 0, 0}, 1, tensor_desc::start::ones}};
    // A multiply-add per value at inference, where it stands alone.
    static constexpr std::size_t flops = 2 * In::size;
    /// At inference, a convolution or dense layer right before it takes it into its
    /// weights and bias (folded_batch_norm).
    static constexpr bool folds_into_the_layer_before = true;
    static constexpr bool adds_in_loop = true;

    // Training: the batch's mean and 1/√(var + ε) per channel, and the number of values
    // per channel in the whole batch, kept in each thread's first sample.
    static constexpr bool synchronizes = true;
    static constexpr std::size_t sync_width = 2 * channels;
    static constexpr std::size_t training_size = 2 * channels + 1;

    static constexpr batch_norm_channels arithmetic{channels, values_per_channel, epsilon, momentum_rate};

    /// Inference: the running statistics, as one scale and shift per channel.
    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue ep) {
        arithmetic.forward(w, in, out, scratch, ep);
    }

    template <class T, class Contexts, class Epilogue>
    static void forward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, batch_rows<T> store,
                                    std::size_t count, const Contexts& contexts, Epilogue ep) {
        arithmetic.forward_train_batch(w, in, out, store, count, mode_of(w, contexts), contexts.sync(), ep);
    }

    template <class T, class Contexts>
    static void backward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T>,
                                     batch_rows<const T> store, batch_rows<T> grad_out, batch_rows<T> grad_in,
                                     T* grad_params, T*, T*, std::size_t count, const Contexts& contexts) {
        arithmetic.backward_train_batch(w, in, store, grad_out, grad_in, grad_params, count, mode_of(w, contexts),
                                        contexts.sync());
    }

private:
    // Frozen with its statistics kept, it normalizes as at inference whatever the mode.
    template <class T, class Contexts>
    static training_mode mode_of(weights<T> w, const Contexts& contexts) {
        training_mode mode = contexts.mode();
        if (w.keeps_buffers(buffer_count)) mode.batch_statistics = false;
        return mode;
    }
};


/// What batch_norm1d and batch_norm2d share: their options, checked, and the bound layer.
/// The layer takes inputs of `ExpectedRank`, and vectors too if `AcceptsVectors`.
template <std::size_t ExpectedRank, bool AcceptsVectors, class... Options>
struct batch_norm_spec {
    static constexpr auto eps_fraction = values_or<eps, 0, Options...>();
    static constexpr auto momentum_fraction = values_or<momentum, 0, Options...>();
    static constexpr bool default_eps = std::is_void_v<typename find_option<eps, Options...>::type>;
    static constexpr bool default_momentum = std::is_void_v<typename find_option<momentum, Options...>::type>;
    // (numerator, denominator), the defaults when absent.
    static constexpr std::array<int, 2> eps_ratio =
        default_eps || eps_fraction.size() != 2 ? std::array<int, 2>{1, 100000}
                                                : std::array<int, 2>{eps_fraction[0], eps_fraction[eps_fraction.size() - 1]};
    static constexpr std::array<int, 2> momentum_ratio =
        default_momentum || momentum_fraction.size() != 2
            ? std::array<int, 2>{1, 10}
            : std::array<int, 2>{momentum_fraction[0], momentum_fraction[momentum_fraction.size() - 1]};

    template <class In>
    static constexpr auto infer() {
        using unknown = typename first_unknown_option<batch_norm_accepts, Options...>::type;
        using repeated = typename first_repeated_option<Options...>::type;
        constexpr int en = eps_ratio[0], ed = eps_ratio[1];
        constexpr int mn = momentum_ratio[0], md = momentum_ratio[1];
        if constexpr (In::rank != ExpectedRank && !(AcceptsVectors && In::rank == 1))
            return rejection<expected<any_shape_of_rank<ExpectedRank>>>{};
        else if constexpr (!std::is_void_v<unknown>)
            return unknown{};
        else if constexpr (!std::is_void_v<repeated>)
            return repeated{};
        else if constexpr (!default_eps && eps_fraction.size() != 2)
            return rejection<because<eps_takes_a_numerator_and_a_denominator>>{};
        else if constexpr (!default_momentum && momentum_fraction.size() != 2)
            return rejection<because<momentum_takes_a_numerator_and_a_denominator>>{};
        else if constexpr (ed == 0 || (en > 0) != (ed > 0))
            return rejection<because<eps_must_be_more_than_0>>{};
        else if constexpr (md == 0 || double(mn) / double(md) < 0 || double(mn) / double(md) > 1)
            return rejection<because<momentum_must_be_in_0_to_1>>{};
        else
            return In{};
    }

    template <class In>
    using layer = batch_norm_layer<In, eps_ratio[0], eps_ratio[1], momentum_ratio[0], momentum_ratio[1]>;

    static std::string describe(std::string_view name) {
        std::string text(name);
        if (!default_eps) text += fmt::format(" eps {}/{}", eps_ratio[0], eps_ratio[1]);
        if (!default_momentum) text += fmt::format(" momentum {}/{}", momentum_ratio[0], momentum_ratio[1]);
        return text;
    }
};

}  // namespace typenet::detail
