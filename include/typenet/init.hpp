/// Defines `typenet::initialize` and the initializers: `pytorch_default`, `he_uniform`,
/// `he_normal`, `glorot_uniform`, `glorot_normal`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include <typenet/layout.hpp>

namespace typenet {

/// How a layer's weights and biases are drawn, given its fan-in and fan-out.
enum class initializer {
    pytorch_default,  ///< weight and bias U(±1/√fan_in): what Conv2d/Linear.reset_parameters draw
    he_uniform,       ///< weight U(±√(6/fan_in)), bias 0 (Keras' he_uniform)
    he_normal,        ///< weight N(0, 2/fan_in), bias 0 (PyTorch's kaiming_normal_, fan_in, relu)
    glorot_uniform,   ///< weight U(±√(6/(fan_in+fan_out))), bias 0 (Keras' default)
    glorot_normal,    ///< weight N(0, 2/(fan_in+fan_out)), bias 0
};

/// Draws every parameter of `net` anew from `seed`, the same values for the same seed;
/// sets those that start constant (batch norm's weight 1, bias 0, running statistics 0
/// and 1) to their constants.
///
///     typenet::initialize(model, typenet::initializer::he_normal, /*seed=*/1);
template <class Net>
void initialize(Net& net, initializer how, std::uint64_t seed) {
    using T = typename Net::scalar_type;
    std::mt19937_64 rng(seed);
    detail::for_each_layer_tensor(net, [&](auto t, const std::string&, const tensor_desc& d, std::span<T> values) {
        using bound = typename decltype(t)::type;
        const double in = double(detail::layer_traits<bound>::fan_in);
        const double out = double(detail::layer_traits<bound>::fan_out);
        const bool bias = d.name == std::string_view("bias");
        auto uniform = [&](double bound_value) {
            std::uniform_real_distribution<double> draw(-bound_value, bound_value);
            for (T& v : values) v = T(draw(rng));
        };
        auto normal = [&](double variance) {
            std::normal_distribution<double> draw(0.0, std::sqrt(variance));
            for (T& v : values) v = T(draw(rng));
        };
        if (d.initial != tensor_desc::start::drawn)
            std::fill(values.begin(), values.end(),
                      T(d.initial == tensor_desc::start::ones   ? 1
                        : d.initial == tensor_desc::start::fill ? d.initial_value
                                                                : 0));
        else if (how == initializer::pytorch_default)
            uniform(1.0 / std::sqrt(in));
        else if (bias)
            std::fill(values.begin(), values.end(), T(0));
        else if (how == initializer::he_uniform)
            uniform(std::sqrt(6.0 / in));
        else if (how == initializer::he_normal)
            normal(2.0 / in);
        else if (how == initializer::glorot_uniform)
            uniform(std::sqrt(6.0 / (in + out)));
        else
            normal(2.0 / (in + out));
    });
}

}  // namespace typenet
