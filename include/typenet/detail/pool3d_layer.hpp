/// Defines `typenet::detail::pool3d_spec`, what max_pool3d and avg_pool3d share: option
/// checks, the shape rule of a volume `shape<C, D, H, W>` and the bound layer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/pool_layer.hpp>
#include <typenet/detail/volume_window.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/reference/pool3d.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

// PyTorch's MaxPool3d has a dilation, its AvgPool3d count_include_pad instead.
template <class O>
struct max_pool3d_accepts
    : std::bool_constant<is_option_v<stride, O> || is_option_v<pad, O> || is_option_v<dilation, O> ||
                         is_option_v<width, O> || std::is_same_v<O, ceil_mode>> {};
template <class O>
struct avg_pool3d_accepts
    : std::bool_constant<is_option_v<stride, O> || is_option_v<pad, O> || is_option_v<width, O> ||
                         std::is_same_v<O, ceil_mode> || std::is_same_v<O, exclude_padding>> {};

/// Pooling over `shape<C, D, H, W>` with a `Window`-sided cube, or `Window` deep and, with
/// `width<W>`, `Window` high and W wide, with `width<H, W>`, H high and W wide.
template <pool_kind Kind, int Window, class... Options>
struct pool3d_spec {
    template <class O>
    using accepts = std::conditional_t<Kind == pool_kind::max, max_pool3d_accepts<O>, avg_pool3d_accepts<O>>;

    // (depth, height, width), or the one size of a cube.
    static constexpr auto sizes = pool_window_sizes<3, Window, Options...>();

    template <class In>
    static constexpr volume_window window_for() {
        constexpr auto strides = [] {
            if constexpr (std::is_void_v<typename find_option<stride, Options...>::type>) return sizes;
            else return values_or<stride, 1, Options...>();
        }();
        return make_volume_window(long(In::dims[1]), long(In::dims[2]), long(In::dims[3]), sizes,
                                  strides, values_or<dilation, 1, Options...>(), values_or<pad, 0, Options...>(), true,
                                  has_v<ceil_mode, Options...>);
    }

    template <class In>
    static constexpr auto infer() {
        using unknown = typename first_unknown_option<accepts, Options...>::type;
        using repeated = typename first_repeated_option<Options...>::type;
        if constexpr (In::rank != 4)
            return rejection<expected<any_shape_of_rank<4>>>{};
        else if constexpr (!std::is_void_v<unknown>)
            return unknown{};
        else if constexpr (!std::is_void_v<repeated>)
            return repeated{};
        else if constexpr (constexpr auto w = window_for<In>(); w.fault != volume_fault::none)
            return volume_window_rejection<w, true>();
        else
            return shape<In::dims[0], w.d.out(), w.h.out(), w.w.out()>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = decltype(infer<In>());
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t parameter_count = 0;
        static constexpr kernels::pool3d_geometry geometry{long(In::dims[0]), window_for<In>(),
                                                           !has_v<exclude_padding, Options...>};
        static constexpr std::size_t flops = output_shape::size * std::size_t(geometry.win.taps());

        static std::string describe() {
            std::string s = fmt::format("{} {}", Kind == pool_kind::max ? "max_pool3d" : "avg_pool3d",
                                        volume_window_text(geometry.win, true));
            if (!geometry.count_padding) s += " exclude-padding";
            if (has_v<ceil_mode, Options...>) s += " ceil-mode";
            return s;
        }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue ep) {
            if constexpr (Kind == pool_kind::max)
                kernels::reference::max_pool3d_forward<geometry>(in, out, ep);
            else
                kernels::reference::avg_pool3d_forward<geometry>(in, out, ep);
        }

        template <class T>
        static void backward(const T*, const T* in, const T*, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (!grad_in) return;
            if constexpr (Kind == pool_kind::max)
                kernels::reference::max_pool3d_backward<geometry>(in, grad_out, grad_in);
            else
                kernels::reference::avg_pool3d_backward<geometry>(grad_out, grad_in);
        }
    };
};

}  // namespace typenet::detail
