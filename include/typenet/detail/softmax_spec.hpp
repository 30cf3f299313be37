/// Defines `typenet::detail::softmax_spec`, what softmax and log_softmax share: the axis
/// they normalize over (the first: a vector's values, an image's or a signal's channels at
/// each position) and the bound layer, computed in place.
#pragma once

#include <cstddef>
#include <string>

#include <typenet/diagnostics.hpp>
#include <typenet/kernels/reference/softmax.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

template <bool Log>
struct softmax_spec {
    template <class In>
    static constexpr auto infer() {
        if constexpr (In::rank == 0)
            return rejection<expected<any_shape_of_rank<1>>>{};
        else
            return In{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = In;
        static constexpr layer_role role = layer_role::in_place;
        static constexpr std::size_t parameter_count = 0;
        static constexpr std::size_t flops = 3 * In::size;
        static constexpr std::size_t channels = In::dims[0];
        static constexpr std::size_t positions = In::size / channels;

        static std::string describe() { return Log ? "log_softmax" : "softmax"; }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue) {
            if constexpr (Log) kernels::reference::log_softmax_forward<channels, positions>(in, out);
            else kernels::reference::softmax_forward<channels, positions>(in, out);
        }

        template <class T>
        static void backward(const T*, const T*, const T* out, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (!grad_in) return;
            if constexpr (Log) kernels::reference::log_softmax_backward<channels, positions>(out, grad_out, grad_in);
            else kernels::reference::softmax_backward<channels, positions>(out, grad_out, grad_in);
        }
    };
};

}  // namespace typenet::detail
