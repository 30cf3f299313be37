/// Defines `typenet::softmax`.
#pragma once

#include <cstddef>
#include <string>

#include <typenet/diagnostics.hpp>
#include <typenet/kernels/reference/softmax.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// exp(x_i) / Σ exp(x_j) over a vector `shape<N>`, PyTorch's `Softmax(dim=1)` after a
/// `Linear`. Computed in place, stably (the maximum is subtracted first).
struct softmax {
    template <class In>
    static constexpr auto infer() {
        if constexpr (In::rank != 1)
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

        static std::string describe() { return "softmax"; }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue) {
            kernels::reference::softmax_forward<In::size>(in, out);
        }

        template <class T>
        static void backward(const T*, const T*, const T* out, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (grad_in) kernels::reference::softmax_backward<In::size>(out, grad_out, grad_in);
        }
    };
};

}  // namespace typenet
