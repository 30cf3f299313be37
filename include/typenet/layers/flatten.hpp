/// Defines `typenet::flatten`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet {

/// Views any tensor as a vector `shape<size>`, in PyTorch's (channels first) order. It
/// costs nothing: the next layer reads the same memory.
struct flatten {
    template <class In>
    static constexpr auto infer() {
        return shape<In::size>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = shape<In::size>;
        static constexpr layer_role role = layer_role::in_place;
        static constexpr std::size_t parameter_count = 0;
        static constexpr std::size_t flops = 0;

        static std::string describe() { return "flatten"; }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue) {
            if (in != out) std::copy(in, in + In::size, out);
        }

        template <class T>
        static void backward(const T*, const T*, const T*, const T*, T* grad_out, T* grad_in, T*, T*, train_context) {
            if (grad_in) std::copy(grad_out, grad_out + In::size, grad_in);
        }
    };
};

}  // namespace typenet
