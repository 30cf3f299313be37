/// Defines `typenet::detail::folded_batch_norm`: at inference, a convolution or dense layer
/// and the batch norm after it as one layer, the normalization folded into its weights and
/// bias, so that the batch norm costs nothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// Layer: a bound convolution or dense layer (with `with_bias`, its weights filter by filter
/// or unit by unit); Norm: the bound batch norm after it.
/// With s = γ/√(running_var + ε) per output channel, the folded convolution has weights
/// W·s and bias β + (b − running_mean)·s. It keeps them in its scratch, with the values
/// they came from beside them, and folds again only when those differ, bit for bit.
template <class Layer, class Norm>
struct folded_batch_norm {
    using folded = typename Layer::with_bias;
    using input_shape = typename Layer::input_shape;
    using output_shape = typename Norm::output_shape;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t parameter_count = Layer::parameter_count + Norm::parameter_count;
    static constexpr std::size_t buffer_count = Norm::buffer_count;
    static constexpr std::size_t flops = folded::flops;
    /// The layer it runs after the convolution: the batch norm.
    static constexpr std::size_t absorbed = 1;

    static constexpr std::size_t filters = Norm::channels;
    static constexpr std::size_t weight_count = Layer::weight_count;
    static constexpr bool layer_bias = Layer::parameter_count > weight_count;
    // The folded weights and bias, then the values they came from (the convolution's and
    // the batch norm's parameters, the running statistics) and a mark that they are whole,
    // then the folded convolution's own scratch.
    static constexpr std::size_t sources = parameter_count + buffer_count;
    static constexpr std::size_t sources_offset = whole_lines(folded::parameter_count);
    static constexpr std::size_t mark_offset = sources_offset + whole_lines(sources);
    static constexpr std::size_t inner_offset = mark_offset + whole_lines(1);
    static constexpr std::size_t scratch_size = inner_offset + layer_traits<folded>::scratch_size;
    static constexpr bool keeps_scratch = true;
    static constexpr bool adds_in_loop = layer_traits<folded>::adds_in_loop;

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue ep) {
        fold(w, scratch);
        folded::forward(static_cast<const T*>(scratch), in, out, scratch + inner_offset, ep);
    }

    // A dense layer runs a batch at once, and folds once for it.
    static constexpr bool batches = layer_traits<folded>::batches;

    template <class T, class Epilogue>
    static void forward_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, std::size_t count, T* scratch,
                              Epilogue ep)
        requires batches
    {
        fold(w, scratch);
        folded::forward_batch(static_cast<const T*>(scratch), in, out, count, scratch + inner_offset, ep);
    }

private:
    template <class T>
    static void fold(weights<T> w, T* scratch) {
        T* const kept = scratch + sources_offset;
        T* const whole = scratch + mark_offset;
        if (*whole == T(1) && std::memcmp(kept, w.params, parameter_count * sizeof(T)) == 0 &&
            std::memcmp(kept + parameter_count, w.buffers, buffer_count * sizeof(T)) == 0)
            return;
        const T* const weight = w.params;
        const T* const norm = w.params + Layer::parameter_count;  // γ, then β
        constexpr std::size_t per_filter = weight_count / filters;
        for (std::size_t f = 0; f < filters; ++f) {
            const T scale = norm[f] / std::sqrt(w.buffers[filters + f] + T(Norm::epsilon));
            for (std::size_t i = f * per_filter; i < (f + 1) * per_filter; ++i) scratch[i] = weight[i] * scale;
            const T bias = layer_bias ? weight[weight_count + f] : T(0);
            scratch[weight_count + f] = norm[filters + f] + (bias - w.buffers[f]) * scale;
        }
        std::copy(w.params, w.params + parameter_count, kept);
        std::copy(w.buffers, w.buffers + buffer_count, kept + parameter_count);
        *whole = T(1);
    }
};

}  // namespace typenet::detail
