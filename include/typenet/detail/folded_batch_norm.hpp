/// Defines `typenet::detail::folded_batch_norm`: at inference, a convolution or dense layer
/// and the batch norm after it as one layer, the normalization folded into its weights and
/// bias, so that the batch norm costs nothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include <typenet/detail/kept_values.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// Layer: a bound convolution or dense layer (with `with_bias`, its weights filter by filter
/// or unit by unit); Norm: the bound batch norm after it.
/// With s = γ/√(running_var + ε) per output channel, the folded convolution has weights
/// W·s and bias β + (b − running_mean)·s.
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
    // The folded weights and bias, kept between passes and folded again only when the
    // weights may have changed; then what the folded layer keeps.
    using kept = kept_values<folded::parameter_count>;
    static constexpr std::size_t kept_size = kept::size + layer_traits<folded>::kept_size;
    static constexpr std::size_t scratch_size = layer_traits<folded>::scratch_size;
    static constexpr bool adds_in_loop = layer_traits<folded>::adds_in_loop;

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue ep) {
        folded::forward(folded_weights(w), in, out, scratch, ep);
    }

    // A dense layer runs a batch at once.
    static constexpr bool batches = layer_traits<folded>::batches;

    template <class T, class Epilogue>
    static void forward_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, std::size_t count, T* scratch,
                              Epilogue ep)
        requires batches
    {
        folded::forward_batch(folded_weights(w), in, out, count, scratch, ep);
    }

private:
    // What the folded layer is given: its parameters, or its weights when it keeps values
    // of its own (after the folded parameters).
    template <class T>
    static auto folded_weights(weights<T> w) {
        const T* params = kept::current(w.kept, w.generation, static_cast<T*>(nullptr), [&](T* f) { fold(w, f); });
        if constexpr (takes_weights<folded>)
            return weights<T>{params, nullptr, nullptr, 0, 0, w.kept + kept::size, w.generation};
        else
            return params;
    }

    template <class T>
    static void fold(weights<T> w, T* folded_params) {
        const T* const weight = w.params;
        const T* const norm = w.params + Layer::parameter_count;  // γ, then β
        constexpr std::size_t per_filter = weight_count / filters;
        for (std::size_t f = 0; f < filters; ++f) {
            const T scale = norm[f] / std::sqrt(w.buffers[filters + f] + T(Norm::epsilon));
            for (std::size_t i = f * per_filter; i < (f + 1) * per_filter; ++i) folded_params[i] = weight[i] * scale;
            const T bias = layer_bias ? weight[weight_count + f] : T(0);
            folded_params[weight_count + f] = norm[filters + f] + (bias - w.buffers[f]) * scale;
        }
    }
};

}  // namespace typenet::detail
