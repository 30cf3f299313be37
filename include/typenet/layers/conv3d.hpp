/// Defines `typenet::conv3d`.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/conv_layer.hpp>
#include <typenet/detail/volume_window.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/reference/conv3d.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {
template <class O>
struct conv3d_accepts : std::bool_constant<is_option_v<stride, O> || is_option_v<dilation, O> || is_option_v<pad, O> ||
                                           is_option_v<groups, O> || std::is_same_v<O, no_bias>> {};

/// A 3-D convolution of geometry `G` bound to its input: parameters are the weight
/// (PyTorch's OIDHW) followed by the bias. `with_bias` is the same convolution with a
/// bias, what a batch norm after it is folded into at inference.
template <kernels::conv3d_geometry G, class In, class Out>
struct conv3d_layer {
    using input_shape = In;
    using output_shape = Out;
    using with_bias = conv3d_layer<G.with_bias(), In, Out>;
    static constexpr kernels::conv3d_geometry geometry = G;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t weight_count = std::size_t(G.weight_size());
    static constexpr std::size_t parameter_count = weight_count + (G.bias ? std::size_t(G.filters) : 0);
    // torch.nn.init's fans of the weight (F, C/groups, KD, KH, KW).
    static constexpr std::size_t fan_in = std::size_t(G.channels * G.win.taps());
    static constexpr std::size_t fan_out = std::size_t(G.filters * G.win.taps());
    static constexpr std::size_t flops = 2 * fan_in * Out::size + (G.bias ? Out::size : 0);

    static constexpr auto parameter_tensors = [] {
        const std::size_t f = std::size_t(G.filters);
        const tensor_desc weight{"weight",
                                 {f, std::size_t(G.channels), std::size_t(G.win.d.kernel), std::size_t(G.win.h.kernel),
                                  std::size_t(G.win.w.kernel)},
                                 5};
        if constexpr (G.bias)
            return std::array{weight, tensor_desc{"bias", {f}, 1}};
        else
            return std::array{weight};
    }();

    template <class T, class Epilogue>
    static void forward(const T* params, const T* in, T* out, T*, Epilogue ep) {
        kernels::reference::conv3d_forward<G>(in, params, params + weight_count, out, ep);
    }

    template <class T>
    static void backward(const T* params, const T* in, const T*, const T*, T* grad_out, T* grad_in, T* grad_params,
                         T*, train_context) {
        kernels::reference::conv3d_backward<G>(in, params, grad_out, grad_in, grad_params,
                                               detail::gradient_at(grad_params, weight_count));
    }
};
}  // namespace detail

/// 3-D convolution over a volume `shape<C, D, H, W>` (video, a medical scan), PyTorch's
/// `Conv3d`: weight (F, C/groups, KD, KH, KW) then bias (F). `Kernel` is `kernel<K>` or
/// `kernel<KD, KH, KW>`. Options: `stride<…>` and `dilation<…>` (1 or 3 values), `pad<…>`
/// (1 or 3 values, or 6: front, back, top, bottom, left, right), `groups<G>`, `no_bias`.
///
///     conv3d<16, kernel<3>, pad<1>>                      // 3×3×3, same size out
///     conv3d<32, kernel<1, 3, 3>, stride<1, 2, 2>>       // spatial only, as in video nets
///     conv3d<8, kernel<3>, dilation<2>, groups<2>, no_bias>
template <int Filters, class Kernel, class... Options>
struct conv3d {
    static constexpr bool bias = !detail::has_v<no_bias, Options...>;
    static constexpr int group_count = detail::values_or<groups, 1, Options...>()[0];

    template <class In>
    static constexpr detail::volume_window window_for() {
        return detail::make_volume_window(long(In::dims[1]), long(In::dims[2]), long(In::dims[3]),
                                          detail::option_values<Kernel>::value, detail::values_or<stride, 1, Options...>(),
                                          detail::values_or<dilation, 1, Options...>(),
                                          detail::values_or<pad, 0, Options...>(), false);
    }

    template <class In>
    static constexpr auto infer() {
        using fault = decltype(detail::convolution_option_fault<4, Filters, group_count, detail::conv3d_accepts, In,
                                                                 Kernel, Options...>());
        if constexpr (!std::is_void_v<fault>)
            return fault{};
        else if constexpr (constexpr auto w = window_for<In>(); w.fault != detail::volume_fault::none)
            return detail::volume_window_rejection<w, false>();
        else
            return shape<Filters, w.d.out(), w.h.out(), w.w.out()>{};
    }

    template <class In>
    struct on : detail::conv3d_layer<kernels::conv3d_geometry{long(In::dims[0]) / group_count, Filters, group_count,
                                                              window_for<In>(), bias},
                                     In, decltype(infer<In>())> {
        static std::string describe() {
            std::string s = fmt::format("conv3d {} {}", Filters, detail::volume_window_text(on::geometry.win, false));
            if (group_count != 1) s += fmt::format(" groups {}", group_count);
            if (!bias) s += " no-bias";
            return s;
        }
    };
};

}  // namespace typenet
