/// Defines `typenet::conv_transpose2d`.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/conv_layer.hpp>
#include <typenet/detail/window.hpp>
#include <typenet/detail/window_rejection.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/conv_transpose2d.hpp>
#include <typenet/kernels/im2col_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {

template <class O>
struct conv_transpose_accepts
    : std::bool_constant<is_option_v<stride, O> || is_option_v<dilation, O> || is_option_v<pad, O> ||
                         is_option_v<output_padding, O> || is_option_v<groups, O> || std::is_same_v<O, no_bias>> {};

/// The axis of the adjoint convolution (kernels/reference/conv_transpose2d.hpp) of a
/// transposed convolution whose options, over its input, are `a`: it reads the output,
/// (size − 1)·stride − pads + span + output_padding long, and gives back `a.size`
/// positions. The output padding rows lie past the last window: they come off its padding
/// after, which may turn negative (rows it never reads).
constexpr axis adjoint_axis(const axis& a, long output_padding) {
    const long out = (a.size - 1) * a.stride - a.pad_before - a.pad_after + a.span() + output_padding;
    return {out, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after - output_padding};
}

// "2" when both axes agree, else "2x1".
inline std::string axes_text(long h, long w) { return h == w ? fmt::format("{}", h) : fmt::format("{}x{}", h, w); }

}  // namespace detail

/// 2-D transposed convolution over a `shape<C, H, W>` input, PyTorch's `ConvTranspose2d`
/// (the gradient of a `conv2d` with respect to its input, used to upsample). Each output
/// side is (in − 1)·stride − padding + dilation·(kernel − 1) + output_padding + 1.
/// Options: `stride<…>`, `pad<…>` (which crops the output; `pad<top, bottom, left, right>`
/// as ONNX's asymmetric pads), `dilation<…>`, `output_padding<…>`, `groups<G>`, `no_bias`.
/// The weight is PyTorch's, (C, Filters / G, KH, KW), then the bias.
///
///     conv_transpose2d<64, kernel<4>>                                  // 1×1 → 4×4
///     conv_transpose2d<32, kernel<3>, stride<2>, pad<1>, output_padding<1>>  // 16×16 → 32×32
///     conv_transpose2d<8, kernel<3, 5>, stride<2, 1>, groups<2>, no_bias>
template <int Filters, class Kernel, class... Options>
struct conv_transpose2d {
    static constexpr bool bias = !detail::has_v<no_bias, Options...>;
    static constexpr int group_count = detail::values_or<groups, 1, Options...>()[0];
    static constexpr auto extra = detail::values_or<output_padding, 0, Options...>();

    // The options over the input, checked as a convolution's; that the kernel does not fit
    // the input is no fault here, where the output grows.
    template <class In>
    static constexpr detail::window options_window() {
        return detail::make_window(false, long(In::dims[1]), long(In::dims[2]), detail::option_values<Kernel>::value,
                                   detail::values_or<stride, 1, Options...>(),
                                   detail::values_or<dilation, 1, Options...>(),
                                   detail::values_or<pad, 0, Options...>(), false, false);
    }

    // Whether output padding `p` on axis `a` lies past every window, as PyTorch requires.
    static constexpr bool extra_fits(const detail::axis& a, long p) { return p < a.stride || p < a.dilation; }

    template <class In>
    static constexpr auto infer() {
        using fault = decltype(detail::convolution_option_fault<3, Filters, group_count, detail::conv_transpose_accepts,
                                                                 In, Kernel, Options...>());
        if constexpr (!std::is_void_v<fault>)
            return fault{};
        else if constexpr (constexpr auto w = options_window<In>();
                           w.fault != detail::window_fault::none && w.fault != detail::window_fault::larger_than_input)
            return detail::window_rejection<w.fault, false, false>();
        else if constexpr (extra.size() != 1 && extra.size() != 2)
            return rejection<because<output_padding_takes_1_or_2_values>>{};
        else if constexpr (detail::broadcast(extra, 0) < 0 || detail::broadcast(extra, 1) < 0)
            return rejection<because<output_padding_must_not_be_negative>>{};
        else if constexpr (!extra_fits(w.h, detail::broadcast(extra, 0)) ||
                           !extra_fits(w.w, detail::broadcast(extra, 1)))
            return rejection<because<output_padding_must_be_smaller_than_stride_or_dilation>>{};
        else if constexpr (constexpr auto g = adjoint<In>().win; g.h.size < 1 || g.w.size < 1)
            return rejection<because<output_size_must_be_at_least_1>>{};
        else
            return shape<Filters, std::size_t(g.h.size), std::size_t(g.w.size)>{};
    }

    /// The geometry of the convolution whose input gradient one group of this layer is
    /// (kernels/reference/conv_transpose2d.hpp): Filters / G channels, C / G filters.
    template <class In>
    static constexpr kernels::conv_geometry adjoint() {
        constexpr auto w = options_window<In>();
        return {Filters / group_count, long(In::dims[0]) / group_count,
                detail::window{detail::adjoint_axis(w.h, detail::broadcast(extra, 0)),
                               detail::adjoint_axis(w.w, detail::broadcast(extra, 1))},
                bias};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = decltype(infer<In>());
        static constexpr kernels::conv_geometry G = adjoint<In>();
        /// The options as ONNX's ConvTranspose gives them: over the input, and the output padding.
        static constexpr detail::window input_window = options_window<In>();
        static constexpr std::array<long, 2> output_padding_amounts{detail::broadcast(extra, 0),
                                                                    detail::broadcast(extra, 1)};
        static constexpr long group_count = conv_transpose2d::group_count;
        static constexpr long channels = G.filters * group_count;
        static constexpr std::size_t taps = std::size_t(G.win.h.kernel * G.win.w.kernel);
        static constexpr std::size_t group_weights = std::size_t(G.weight_size());
        static constexpr std::size_t weight_count = group_count * group_weights;
        static constexpr std::size_t parameter_count = weight_count + (bias ? std::size_t(Filters) : 0);
        static constexpr layer_role role = layer_role::compute;
        // torch.nn.init's fans of the weight (C, F/groups, KH, KW): fan_in from its second
        // dimension, as ConvTranspose2d.reset_parameters draws weight and bias.
        static constexpr std::size_t fan_in = std::size_t(G.channels) * taps;
        static constexpr std::size_t fan_out = std::size_t(channels) * taps;
        // Each input value times each of its filters' taps, wherever it lands.
        static constexpr std::size_t flops = 2 * In::size * fan_in + (bias ? output_shape::size : 0);
        static constexpr auto parameter_tensors = [] {
            const tensor_desc weight{"weight",
                                     {std::size_t(channels), std::size_t(G.channels), std::size_t(G.win.h.kernel),
                                      std::size_t(G.win.w.kernel)},
                                     4};
            if constexpr (bias)
                return std::array{weight, tensor_desc{"bias", {std::size_t(Filters), 0, 0, 0}, 1}};
            else
                return std::array{weight};
        }();

        // "conv_transpose2d 32 3x3 stride 2 pad 1 output_padding 1", defaults left out.
        static std::string describe() {
            constexpr auto h = G.win.h, w = G.win.w;
            constexpr long pads[] = {h.pad_before, h.pad_after + detail::broadcast(extra, 0), w.pad_before,
                                     w.pad_after + detail::broadcast(extra, 1)};
            std::string s = fmt::format("conv_transpose2d {} {}x{}", Filters, h.kernel, w.kernel);
            if (h.stride != 1 || w.stride != 1) s += " stride " + detail::axes_text(h.stride, w.stride);
            if (pads[0] == pads[1] && pads[0] == pads[2] && pads[0] == pads[3]) {
                if (pads[0] != 0) s += fmt::format(" pad {}", pads[0]);
            } else {
                s += fmt::format(" pad {},{},{},{}", pads[0], pads[1], pads[2], pads[3]);
            }
            if (detail::broadcast(extra, 0) != 0 || detail::broadcast(extra, 1) != 0)
                s += " output_padding " + detail::axes_text(detail::broadcast(extra, 0), detail::broadcast(extra, 1));
            if (h.dilation != 1 || w.dilation != 1) s += " dilation " + detail::axes_text(h.dilation, w.dilation);
            if (group_count != 1) s += fmt::format(" groups {}", group_count);
            if (!bias) s += " no-bias";
            return s;
        }

        // The columns of one group at a time: its weights times its input, in the forward
        // pass; its unrolled output gradient, and the weight gradient's transposes, in the
        // backward pass. Training's forward pass gets its storage as scratch.
        static constexpr std::size_t scratch_size = kernels::im2col::columns_size<G>;
        static constexpr std::size_t training_size = scratch_size;
        static constexpr std::size_t backward_scratch_size = scratch_size + kernels::im2col::transposed_size<G>;
        // Its loop takes an adding_epilogue (a residual block's shortcut added to each
        // output), and its backward pass reads only its input.
        static constexpr bool adds_in_loop = true;

        template <class T, class Epilogue>
        static void forward(const T* params, const T* in, T* out, T* scratch, Epilogue ep) {
            kernels::im2col::conv_transpose2d_forward<G, group_count>(in, params, params + weight_count, out, scratch,
                                                                      ep);
        }

        template <class T>
        static void backward(const T* params, const T* in, const T*, const T*, T* grad_out, T* grad_in, T* grad_params,
                             T* scratch, train_context) {
            kernels::im2col::conv_transpose2d_backward<G, group_count>(in, params, grad_out, grad_in, grad_params,
                                                                       detail::gradient_at(grad_params, weight_count), scratch);
        }
    };
};

}  // namespace typenet
