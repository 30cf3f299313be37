/// Defines `typenet::prelu`.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <fmt/format.h>

#include <typenet/diagnostics.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// x for x > 0, a·x otherwise, with the slope a trained, PyTorch's `PReLU` (ONNX's
/// `PRelu`): one slope for all values (`prelu<>`) or one per channel (`prelu<C>`, C the
/// input's channels, a vector's values). The slopes start at 0.25, as in PyTorch.
///
///     conv2d<16, kernel<3>>, prelu<16>
///     dense<32>, prelu<>
template <std::size_t Slopes = 1>
struct prelu {
    template <class In>
    static constexpr auto infer() {
        if constexpr (In::rank == 0)
            return rejection<expected<any_shape_of_rank<1>>>{};
        else if constexpr (Slopes != 1 && Slopes != In::dims[0])
            return rejection<because<prelu_takes_1_parameter_or_1_per_channel>>{};
        else
            return In{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = In;
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t parameter_count = Slopes;
        static constexpr std::array parameter_tensors{
            tensor_desc{"weight", {Slopes}, 1, tensor_desc::start::fill, 0.25}};
        static constexpr std::size_t flops = 2 * In::size;
        // Values that share a slope: a channel's, or all of them.
        static constexpr std::size_t run = Slopes == 1 ? In::size : In::size / In::dims[0];

        static std::string describe() { return Slopes == 1 ? "prelu" : fmt::format("prelu {}", Slopes); }

        template <class T, class Epilogue>
        static void forward(const T* slope, const T* in, T* out, T*, Epilogue ep) {
            for (std::size_t s = 0; s < Slopes; ++s)
                for (std::size_t i = s * run; i < (s + 1) * run; ++i)
                    out[i] = ep.apply(in[i] > T(0) ? in[i] : slope[s] * in[i]);
        }

        // dL/da = Σ dL/dout · x over the values at or below 0; dL/dx = dL/dout · (1 or a).
        template <class T>
        static void backward(const T* slope, const T* in, const T*, const T*, T* grad_out, T* grad_in,
                             T* grad_slope, T*, train_context) {
            for (std::size_t s = 0; s < Slopes; ++s) {
                T sum = 0;
                for (std::size_t i = s * run; i < (s + 1) * run; ++i) {
                    const bool positive = in[i] > T(0);
                    if (!positive) sum += grad_out[i] * in[i];
                    if (grad_in) grad_in[i] = positive ? grad_out[i] : slope[s] * grad_out[i];
                }
                if (grad_slope) grad_slope[s] += sum;
            }
        }
    };
};

}  // namespace typenet
