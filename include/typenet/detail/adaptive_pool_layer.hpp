/// Defines `typenet::detail::adaptive_pool_spec`, what the adaptive and global pools
/// share: the shape rule (an image or a signal, pooled to a fixed size) and the layer.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <fmt/format.h>

#include <typenet/diagnostics.hpp>
#include <typenet/kernels/adaptive_pool.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

/// Pools `shape<C, H, W>` to `shape<C, OH, OW>` (`Size...` = OH, OW, or one size for
/// both) or `shape<C, L>` to `shape<C, OL>`, whatever the input's size.
template <kernels::adaptive_reduce Reduce, int... Size>
struct adaptive_pool_spec {
    template <class In>
    static constexpr auto infer() {
        constexpr std::array<int, sizeof...(Size)> sizes{Size...};
        if constexpr (In::rank != 2 && In::rank != 3)
            return rejection<expected<any_shape_of_rank<3>>>{};
        else if constexpr (sizes.size() == 0 || sizes.size() > 2)
            return rejection<because<output_size_takes_1_or_2_values>>{};
        else if constexpr (In::rank == 2 && sizes.size() == 2)
            return rejection<because<output_size_takes_1_value_for_a_signal>>{};
        else if constexpr (((Size < 1) || ...))
            return rejection<because<output_size_must_be_at_least_1>>{};
        else if constexpr (In::rank == 2)
            return shape<In::dims[0], std::size_t(sizes[0])>{};
        else
            return shape<In::dims[0], std::size_t(sizes[0]), std::size_t(sizes.back())>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = decltype(infer<In>());
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t parameter_count = 0;
        static constexpr bool signal = In::rank == 2;
        static constexpr kernels::adaptive_pool_geometry geometry{
            long(In::dims[0]), signal ? 1 : long(In::dims[1]), long(In::dims[In::rank - 1]),
            signal ? 1 : long(output_shape::dims[1]), long(output_shape::dims[output_shape::rank - 1])};
        static constexpr std::size_t flops = std::size_t(geometry.channels * geometry.reads_per_channel());

        static std::string describe() {
            const char* kind = Reduce == kernels::adaptive_reduce::average ? "avg_pool" : "max_pool";
            if (geometry.out_h == 1 && geometry.out_w == 1) return fmt::format("global_{}", kind);
            return signal ? fmt::format("adaptive_{} {}", kind, geometry.out_w)
                          : fmt::format("adaptive_{} {}x{}", kind, geometry.out_h, geometry.out_w);
        }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue ep) {
            kernels::adaptive_pool2d_forward<geometry, Reduce>(in, out, ep);
        }

        template <class T>
        static void backward(const T*, const T* in, const T*, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (grad_in) kernels::adaptive_pool2d_backward<geometry, Reduce>(in, grad_out, grad_in);
        }
    };
};

}  // namespace typenet::detail
