/// Defines `typenet::detail::pool_spec` and `pool_layer`, what max_pool and avg_pool
/// share: option checks, the shape rule (an image or a signal) and the bound layer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/parallel.hpp>
#include <typenet/detail/window.hpp>
#include <typenet/detail/window_rejection.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/reference/pool2d.hpp>
#include <typenet/kernels/separable_pool2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

enum class pool_kind { max, average };

template <class O>
struct pool_accepts : std::bool_constant<is_option_v<stride, O> || is_option_v<pad, O> || is_option_v<width, O> ||
                                         std::is_same_v<O, same> ||
                                         std::is_same_v<O, valid> || std::is_same_v<O, exclude_padding> ||
                                         std::is_same_v<O, ceil_mode>> {};
// PyTorch's MaxPool has dilation; its AvgPool has none.
template <class O>
struct max_pool_accepts
    : std::bool_constant<(pool_accepts<O>::value && !std::is_same_v<O, exclude_padding>) || is_option_v<dilation, O>> {};

/// A pool's window sizes on `Axes` axes: `Window` alone for a square or a cube, else
/// `Window` on the first axes and the values of `width<…>` on the last ones (more values
/// than axes leave a size too many, which the window then refuses).
template <std::size_t Axes, int Window, class... Options>
constexpr auto pool_window_sizes() {
    if constexpr (std::is_void_v<typename find_option<width, Options...>::type>) {
        return std::array<int, 1>{Window};
    } else {
        constexpr auto w = values_or<width, 0, Options...>();
        constexpr std::size_t leading = w.size() < Axes ? Axes - w.size() : 1;
        std::array<int, leading + w.size()> all{};
        std::fill(all.begin(), all.begin() + leading, Window);
        std::copy(w.begin(), w.end(), all.begin() + leading);
        return all;
    }
}

/// Pooling with a `Window`×`Window` window (`width<W>` makes it `Window`×W; a length for a
/// signal) over `shape<C, H, W>` or `shape<C, L>`.
template <pool_kind Kind, int Window, class... Options>
struct pool_spec {
    template <class O>
    using accepts = std::conditional_t<Kind == pool_kind::max, max_pool_accepts<O>, pool_accepts<O>>;

    // (height, width), or the one size of a square window or a signal's.
    static constexpr auto sizes = pool_window_sizes<2, Window, Options...>();

    template <class In>
    static constexpr window window_for() {
        constexpr bool signal = In::rank == 2;
        constexpr auto strides = [] {
            if constexpr (std::is_void_v<typename find_option<stride, Options...>::type>) return sizes;
            else return values_or<stride, 1, Options...>();
        }();
        return make_window(signal, signal ? 1 : long(In::dims[1]), long(In::dims[In::rank - 1]), sizes, strides,
                           values_or<dilation, 1, Options...>(), values_or<pad, 0, Options...>(), has_v<same, Options...>, true,
                           has_v<ceil_mode, Options...>);
    }

    template <class In>
    static constexpr auto infer() {
        using unknown = typename first_unknown_option<accepts, Options...>::type;
        using repeated = typename first_repeated_option<Options...>::type;
        if constexpr (In::rank != 2 && In::rank != 3)
            return rejection<expected<any_shape_of_rank<3>>>{};
        else if constexpr (!std::is_void_v<unknown>)
            return unknown{};
        else if constexpr (!std::is_void_v<repeated>)
            return repeated{};
        else if constexpr ((padding_option_count<Options...>) > 1)
            return rejection<because<give_at_most_one_padding_option>>{};
        else if constexpr (constexpr auto w = window_for<In>(); w.fault != window_fault::none)
            return window_rejection<w.fault, In::rank == 2, true>();
        else if constexpr (In::rank == 2)
            return shape<In::dims[0], w.w.out()>{};
        else
            return shape<In::dims[0], w.h.out(), w.w.out()>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = decltype(infer<In>());
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t parameter_count = 0;
        static constexpr kernels::pool_geometry geometry{long(In::dims[0]), window_for<In>(),
                                                         !has_v<exclude_padding, Options...>};
        static constexpr std::size_t flops = output_shape::size * std::size_t(geometry.win.h.kernel * geometry.win.w.kernel);
        // A pool reads each input once, often rows another core has just written when the
        // layer before it was split: an input costs about as long as 40 FLOPs of a
        // convolution (measured), and a pool split like that layer reads its own rows.
        static constexpr std::size_t split_cost = 40 * In::size;

        static std::string describe() {
            constexpr auto w = geometry.win;
            const char* kind = Kind == pool_kind::max ? "max_pool" : "avg_pool";
            std::string s = In::rank == 2 ? fmt::format("{} {}", kind, w.w.kernel)
                                          : fmt::format("{} {}x{}", kind, w.h.kernel, w.w.kernel);
            if (w.h.stride != w.h.kernel || w.w.stride != w.w.kernel)
                s += In::rank == 2 ? fmt::format(" stride {}", w.w.stride)
                                   : fmt::format(" stride {}x{}", w.h.stride, w.w.stride);
            const long after_h = w.h.pad_after - w.h.ceil_extra, after_w = w.w.pad_after - w.w.ceil_extra;
            if (w.h.pad_before || after_h || w.w.pad_before || after_w)
                s += fmt::format(" pad {},{},{},{}", w.h.pad_before, after_h, w.w.pad_before, after_w);
            if (w.h.dilation != 1 || w.w.dilation != 1)
                s += In::rank == 2 ? fmt::format(" dilation {}", w.w.dilation)
                                   : fmt::format(" dilation {}x{}", w.h.dilation, w.w.dilation);
            if (!geometry.count_padding) s += " exclude-padding";
            if (has_v<ceil_mode, Options...>) s += " ceil-mode";
            return s;
        }

        using separable_reduce =
            std::conditional_t<Kind == pool_kind::max, kernels::separable::take_max,
                               kernels::separable::take_mean<geometry.win.h.kernel * geometry.win.w.kernel>>;

        // The fast forward pass: a max pool's padding too (it is -inf, which no maximum takes).
        static constexpr bool separable_forward = kernels::separable::forward_fits<geometry, separable_reduce>;

        // A convolution before it may hand its output over in bands of rows
        // (conv_pool_layer): the windows must not share rows, nor start above the input
        // (its rows there belong to the band before).
        static constexpr bool takes_rows_in_bands =
            separable_forward && geometry.win.h.pad_before == 0 && geometry.win.h.stride >= geometry.win.h.kernel;

        /// Output rows [first, last) of every channel.
        template <class T, class Epilogue>
        static void forward_rows(const T* in, T* out, Epilogue ep, long first, long last) {
            kernels::separable::pool2d_forward<geometry, separable_reduce>(in, out, ep, first, last);
        }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue ep) {
            if constexpr (separable_forward)
                split_rows(geometry.out_h(), split_cost,
                           [&](long first, long last) { forward_rows(in, out, ep, first, last); });
            else if constexpr (Kind == pool_kind::max)
                kernels::reference::max_pool2d_forward<geometry>(in, out, ep);
            else
                kernels::reference::avg_pool2d_forward<geometry>(in, out, ep);
        }

        template <class T>
        static void backward(const T*, const T* in, const T*, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (!grad_in) return;
            if constexpr (kernels::separable::fits<geometry>)
                kernels::separable::pool2d_backward<geometry, separable_reduce>(in, grad_out, grad_in);
            else if constexpr (Kind == pool_kind::max)
                kernels::reference::max_pool2d_backward<geometry>(in, grad_out, grad_in);
            else
                kernels::reference::avg_pool2d_backward<geometry>(grad_out, grad_in);
        }
    };
};

}  // namespace typenet::detail
