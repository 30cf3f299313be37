/// Defines `typenet::detail::conv_spec` and `conv_layer`, what conv2d and conv1d share:
/// option checks, the shape rule and the forward pass (a signal is an image of height 1).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/kept_values.hpp>
#include <typenet/detail/parallel.hpp>
#include <typenet/detail/window.hpp>
#include <typenet/detail/window_rejection.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/column_conv2d.hpp>
#include <typenet/kernels/direct_conv2d.hpp>
#include <typenet/kernels/im2col_conv2d.hpp>
#include <typenet/kernels/pointwise_conv2d.hpp>
#include <typenet/kernels/winograd_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

template <class O>
struct conv_accepts
    : std::bool_constant<is_option_v<stride, O> || is_option_v<dilation, O> || is_option_v<pad, O> ||
                         is_option_v<groups, O> || std::is_same_v<O, same> || std::is_same_v<O, valid> ||
                         std::is_same_v<O, no_bias>> {};

/// The first fault of a convolution's options that its window does not decide, the same
/// for every convolution (conv1d, conv2d, conv3d, conv_transpose2d): no kernel option, an
/// input of another rank than `Rank`, no filters, an option it does not take (`Accepts`) or
/// takes twice, two paddings, groups that do not divide channels and filters. `void` when
/// there is none.
template <std::size_t Rank, int Filters, int GroupCount, template <class> class Accepts, class In, class Kernel,
          class... Options>
constexpr auto convolution_option_fault() {
    using unknown = typename first_unknown_option<Accepts, Options...>::type;
    using repeated = typename first_repeated_option<Options...>::type;
    if constexpr (!is_option_v<kernel, Kernel>)
        return rejection<because<is_not_an_option_of_this_layer<Kernel>>>{};
    else if constexpr (In::rank != Rank)
        return rejection<expected<any_shape_of_rank<Rank>>>{};
    else if constexpr (Filters < 1)
        return rejection<because<filters_must_be_at_least_1>>{};
    else if constexpr (!std::is_void_v<unknown>)
        return unknown{};
    else if constexpr (!std::is_void_v<repeated>)
        return repeated{};
    else if constexpr ((padding_option_count<Options...>) > 1)
        return rejection<because<give_at_most_one_padding_option>>{};
    else if constexpr (GroupCount < 1)
        return rejection<because<groups_must_be_at_least_1>>{};
    else if constexpr (In::dims[0] % GroupCount != 0)
        return rejection<because<groups_must_divide_the_channels>>{};
    else if constexpr (Filters % GroupCount != 0)
        return rejection<because<groups_must_divide_the_filters>>{};
    else
        return;
}

/// A convolution over `Spatial` axes (1 or 2) with `Filters` outputs.
template <std::size_t Spatial, int Filters, class Kernel, class... Options>
struct conv_spec {
    static constexpr bool signal = Spatial == 1;
    static constexpr bool bias = !has_v<no_bias, Options...>;
    static constexpr int group_count = values_or<groups, 1, Options...>()[0];

    template <class In>
    static constexpr window window_for() {
        return make_window(signal, signal ? 1 : long(In::dims[1]), long(In::dims[Spatial]), option_values<Kernel>::value,
                           values_or<stride, 1, Options...>(), values_or<dilation, 1, Options...>(),
                           values_or<pad, 0, Options...>(), has_v<same, Options...>, false);
    }

    template <class In>
    static constexpr auto infer() {
        using fault = decltype(convolution_option_fault<Spatial + 1, Filters, group_count, conv_accepts, In, Kernel,
                                                         Options...>());
        if constexpr (!std::is_void_v<fault>)
            return fault{};
        else if constexpr (constexpr auto w = window_for<In>(); w.fault != window_fault::none)
            return window_rejection<w.fault, signal, false>();
        else if constexpr (signal)
            return shape<Filters, w.w.out()>{};
        else
            return shape<Filters, w.h.out(), w.w.out()>{};
    }

    /// The geometry of one group: all of the convolution without `groups`.
    template <class In>
    static constexpr kernels::conv_geometry geometry{long(In::dims[0]) / group_count, Filters / group_count,
                                                     window_for<In>(), bias};

    // "conv2d 32 3x3 stride 2 pad 1,1,1,1 dilation 2 no-bias", defaults left out.
    template <class In>
    static std::string describe(const char* kind) {
        constexpr auto w = window_for<In>();
        std::string s = signal ? fmt::format("{} {} {}", kind, Filters, w.w.kernel)
                               : fmt::format("{} {} {}x{}", kind, Filters, w.h.kernel, w.w.kernel);
        if (w.h.stride != 1 || w.w.stride != 1)
            s += signal ? fmt::format(" stride {}", w.w.stride) : fmt::format(" stride {}x{}", w.h.stride, w.w.stride);
        if (w.h.pad_before || w.h.pad_after || w.w.pad_before || w.w.pad_after)
            s += signal ? fmt::format(" pad {},{}", w.w.pad_before, w.w.pad_after)
                        : fmt::format(" pad {},{},{},{}", w.h.pad_before, w.h.pad_after, w.w.pad_before, w.w.pad_after);
        if (w.h.dilation != 1 || w.w.dilation != 1)
            s += signal ? fmt::format(" dilation {}", w.w.dilation)
                        : fmt::format(" dilation {}x{}", w.h.dilation, w.w.dilation);
        if (group_count != 1) s += fmt::format(" groups {}", group_count);
        if (!bias) s += " no-bias";
        return s;
    }
};

/// PyTorch's weight of a convolution of `Groups` groups like `Group`, (F, C/groups, KH, KW)
/// or (F, C/groups, KW) for a signal, followed by its bias unless it has none.
template <kernels::conv_geometry Group, long Groups, std::size_t Spatial>
constexpr auto conv_parameter_tensors() {
    const std::size_t f = std::size_t(Group.filters * Groups), c = std::size_t(Group.channels);
    const std::size_t kh = std::size_t(Group.win.h.kernel), kw = std::size_t(Group.win.w.kernel);
    const tensor_desc weight = Spatial == 1 ? tensor_desc{"weight", {f, c, kw, 0}, 3} : tensor_desc{"weight", {f, c, kh, kw}, 4};
    if constexpr (Group.bias)
        return std::array{weight, tensor_desc{"bias", {f, 0, 0, 0}, 1}};
    else
        return std::array{weight};
}

/// A convolution bound to its input: parameters are the weight (PyTorch's OIHW, or OIW
/// for a signal) followed by the bias.
template <kernels::conv_geometry G, class In, class Out, std::size_t Spatial>
struct conv_layer {
    using input_shape = In;
    using output_shape = Out;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t weight_count = G.weight_size();
    static constexpr std::size_t parameter_count = weight_count + (G.bias ? G.filters : 0);
    static constexpr std::size_t fan_in = G.channels * G.win.h.kernel * G.win.w.kernel;
    static constexpr std::size_t fan_out = G.filters * G.win.h.kernel * G.win.w.kernel;
    static constexpr std::size_t flops = 2 * fan_in * Out::size + (G.bias ? Out::size : 0);

    static constexpr auto parameter_tensors = conv_parameter_tensors<G, 1, Spatial>();

    // float runs Winograd's F(2×2, 3×3) where it fits and pays, a 1×1 convolution as the
    // matrix product it is where that pays, else a register-blocked kernel: vectorized
    // over output columns on the input padded into the scratch when that is faster, else
    // over filters on weights packed into it. The backward pass unrolls the input again.
    // double works on the unrolled input, which training keeps per sample for the backward
    // pass.
    using vector = kernels::simd::native;
    // The fast kernels take the bias as a pointer, null when there is none: keyed on the
    // geometry without it, a convolution and the same one with a batch norm folded in
    // (training's and inference's) share their instances.
    static constexpr kernels::conv_geometry K = G.without_bias();
    static const float* bias_of(const float* params) { return G.bias ? params + weight_count : nullptr; }
    static constexpr bool by_winograd = kernels::winograd::prefer<K, vector>;
    static constexpr bool by_product = kernels::pointwise::prefer<K, vector>;  // 1×1: weights as they are
    static constexpr bool by_columns = !by_winograd && !by_product && kernels::columns::prefer_columns<K, vector>;
    // Winograd's transformed weights and the direct kernel's packed ones are kept between
    // inference passes, derived again only when the weights may have changed. Each thread
    // keeps its own (own_scratch): two cores reading one copy ran W3 17% slower. A training
    // pass derives them each time, into its storage after the scratch.
    // (Not a lambda in the template argument: clang 14 crashes reading one from a
    // precompiled header.)
    static constexpr std::size_t packed_size = [] {
        if constexpr (by_winograd) return kernels::winograd::conv2d_blocking<K, vector>::packed_size;
        else if constexpr (by_columns || by_product) return std::size_t(0);
        else return kernels::direct::conv2d_blocking<K, vector>::packed_size;
    }();
    using kept = kept_values<packed_size>;
    static constexpr std::size_t kept_size = packed_size == 0 ? 0 : kept::size;  // no weights, no mark
    static constexpr std::size_t scratch_size = [] {
        if constexpr (by_columns) return kernels::columns::conv2d_blocking<K, vector>::padded_size;
        else return std::size_t(0);
    }();
    static constexpr bool adds_in_loop = true;
    // Training stores double's unrolled input for the backward pass; float's kept values
    // after its scratch.
    static constexpr std::size_t columns_size = kernels::im2col::columns_size<G>;
    static constexpr std::size_t training_size = std::max(columns_size, scratch_size + kept_size);
    static constexpr std::size_t backward_scratch_size = 2 * columns_size + kernels::im2col::transposed_size<G>;

    // The float pass in two parts, so that a pool run in the same step (conv_pool_layer)
    // can share rows between threads with it: `prepare` on each thread, then output rows in
    // blocks of `rows_per_block` (the last one may be shorter), each a whole number of the
    // kernel's work units.
    static constexpr long rows_per_block = [] {
        if constexpr (by_winograd) return 2L;  // a row of tiles
        else if constexpr (by_columns) return kernels::columns::conv2d_blocking<K, vector>::nr;
        else return 1L;
    }();
    static constexpr long row_blocks = (G.out_h() + rows_per_block - 1) / rows_per_block;

    /// What a thread's blocks read besides the input and the bias: the packed weights, in
    /// `kept` (null in training: after the scratch), the input padded into `scratch`, or
    /// nothing (the product reads the weights as they are).
    static const float* prepare(const float* params, std::uint64_t generation, const float* in, float* scratch,
                                float* kept_region) {
        if constexpr (by_columns) {
            kernels::columns::pad_input<K, vector>(in, scratch);
            return scratch;
        } else if constexpr (by_product) {
            return nullptr;
        } else {
            return kept::current(kept_region, generation, scratch + scratch_size, [&](float* packed) {
                if constexpr (by_winograd) kernels::winograd::pack<K, vector>(params, packed);
                else kernels::direct::pack<K, vector>(params, bias_of(params), packed);
            });
        }
    }

    template <class Epilogue>
    static void forward_blocks(const float* params, const float* in, float* out, const float* prepared, long first,
                               long last, const Epilogue& ep) {
        if constexpr (by_winograd) {
            constexpr long tiles_w = kernels::winograd::conv2d_blocking<K, vector>::tiles_w;
            forward_tiles(params, in, out, prepared, first * tiles_w, last * tiles_w, ep);
        } else if constexpr (by_product) {
            kernels::pointwise::conv2d_columns<K, vector>(in, params, bias_of(params), out, first * G.out_w(),
                                                          last * G.out_w(), ep);
        } else if constexpr (by_columns) {
            constexpr long units = kernels::columns::conv2d_blocking<K, vector>::filter_blocks;
            kernels::columns::conv2d_rows<K, vector>(prepared, params, bias_of(params), out, first * units,
                                                     last * units, ep);
        } else {
            constexpr long units = kernels::direct::conv2d_blocking<K, vector>::groups;
            kernels::direct::conv2d_rows<K, vector>(in, prepared, out, first * units, last * units, ep);
        }
    }

    template <class Epilogue>
    static void forward_tiles(const float* params, const float* in, float* out, const float* packed, long first,
                              long last, const Epilogue& ep) {
        kernels::winograd::conv2d_tiles<K, vector>(in, packed, bias_of(params), out, first, last, ep);
    }

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue ep) {
        if constexpr (std::is_same_v<T, float>) {
            const own_scratch<float> own(scratch), own_kept(w.kept);
            if constexpr (by_winograd) {
                // Alone, threads take the tiles a chunk at a time rather than by rows of
                // tiles: W3's 28 rows of 28 tiles are 49 vectors of 16.
                using B = kernels::winograd::conv2d_blocking<K, vector>;
                constexpr long vectors = (B::tiles + B::lanes - 1) / B::lanes;
                share_rows(
                    vectors, B::nt, flops, false,
                    [&](std::size_t part) { prepare(w.params, w.generation, in, own(part), own_kept(part)); },
                    [&](long first, long last, std::size_t part) {
                        forward_tiles(w.params, in, out, kept::values(own_kept(part), own(part) + scratch_size),
                                      first * B::lanes, std::min(last * B::lanes, B::tiles), ep);
                    });
            } else {
                split_parts(row_blocks, flops, [&](long first, long last, std::size_t part) {
                    const float* prepared = prepare(w.params, w.generation, in, own(part), own_kept(part));
                    forward_blocks(w.params, in, out, prepared, first, last, ep);
                });
            }
        } else {
            kernels::reference::conv2d_forward<G>(in, w.params, w.params + weight_count, out, epilogue<>{});
            ep.finish_all(out, Out::size);
        }
    }

    // Training: float as at inference, its packed weights derived into `store`; double
    // unrolls its input there, for the backward pass.
    template <class T, class Epilogue>
    static void forward_train(weights<T> w, const T* in, T* out, T* store, train_context, Epilogue ep) {
        if constexpr (std::is_same_v<T, float>)
            forward(w, in, out, store, ep);
        else
            kernels::im2col::conv2d_forward<G>(in, w.params, w.params + weight_count, out, store, ep);
    }

    template <class T>
    static void backward(weights<T> w, const T* in, const T*, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context) {
        const T* columns = store;
        if constexpr (std::is_same_v<T, float>) {
            if (grad_params) kernels::im2col::unroll<G>(in, scratch);  // a frozen layer reads no columns
            columns = scratch;
        }
        kernels::im2col::conv2d_backward<G>(columns, w.params, grad_out, grad_in, grad_params,
                                            gradient_at(grad_params, weight_count), scratch + columns_size,
                                            scratch + 2 * columns_size);
    }
};

}  // namespace typenet::detail
