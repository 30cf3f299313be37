/// Defines `typenet::dense`.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/parallel.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/kernels/dense.hpp>
#include <typenet/kernels/gemm.hpp>
#include <typenet/kernels/reference/dense.hpp>
#include <typenet/layer.hpp>
#include <typenet/options.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {
template <class O>
struct dense_accepts : std::bool_constant<std::is_same_v<O, no_bias>> {};
}  // namespace detail

/// Fully connected layer on a vector `shape<N>`, PyTorch's `Linear`: weight `shape<Units, N>`,
/// then bias. Put `flatten` before it to feed it an image. Option: `no_bias`.
///
///     dense<128>
template <int Units, class... Options>
struct dense {
    static constexpr bool bias = !detail::has_v<no_bias, Options...>;

    template <class In>
    static constexpr auto infer() {
        using unknown = typename detail::first_unknown_option<detail::dense_accepts, Options...>::type;
        using repeated = typename detail::first_repeated_option<Options...>::type;
        if constexpr (In::rank != 1)
            return rejection<expected<any_shape_of_rank<1>>>{};
        else if constexpr (Units < 1)
            return rejection<because<units_must_be_at_least_1>>{};
        else if constexpr (!std::is_void_v<unknown>)
            return unknown{};
        else if constexpr (!std::is_void_v<repeated>)
            return repeated{};
        else
            return shape<Units>{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = shape<Units>;
        static constexpr layer_role role = layer_role::compute;
        static constexpr std::size_t fan_in = In::size;
        static constexpr std::size_t fan_out = Units;
        static constexpr std::size_t weight_count = std::size_t(Units) * In::size;
        static constexpr std::size_t parameter_count = weight_count + (bias ? Units : 0);
        static constexpr std::size_t flops = 2 * weight_count + (bias ? Units : 0);
        // One sample streams the weights from memory, and a second core streams twice as
        // fast: each weight costs about as long as 20 FLOPs of a convolution (20 GB/s
        // from L3 against 110 GFLOP/s, measured), so large layers are split as such.
        static constexpr std::size_t split_cost = 20 * weight_count;
        static constexpr auto parameter_tensors = [] {
            constexpr tensor_desc weight{"weight", {std::size_t(Units), In::size, 0, 0}, 2};
            if constexpr (bias)
                return std::array{weight, tensor_desc{"bias", {std::size_t(Units), 0, 0, 0}, 1}};
            else
                return std::array{weight};
        }();

        /// The layer with a bias: a batch norm after it folds into that at inference.
        using with_bias = typename dense<Units>::template on<In>;

        static std::string describe() { return fmt::format("dense {}{}", Units, bias ? "" : " no-bias"); }

        template <class T, class Epilogue>
        static void forward(const T* params, const T* in, T* out, T*, Epilogue ep) {
            if constexpr (std::is_same_v<T, float>) {
                // Each pass reads the rows in the other order than the pass before, starting
                // with the rows that one left in L2: of W1's 6.4 MB, a core then keeps
                // some of its share from pass to pass instead of none.
                static thread_local bool backward = false;
                backward = !backward;
                detail::share_rows(
                    Units, kernels::vector::dense_rows_per_block, split_cost, backward, [](std::size_t) {},
                    [&](long first, long last, std::size_t) {
                        kernels::vector::dense_forward<In::size, Units, bias, kernels::simd::native>(
                            in, params, params + weight_count, out, ep, std::size_t(first), std::size_t(last));
                    });
            } else
                kernels::reference::dense_forward<In::size, Units, bias>(in, params, params + weight_count, out, ep);
        }

        // A batch of samples is one matrix product: the weights are read once per chunk of
        // samples instead of once per sample.
        static constexpr bool batches = true;

        template <class T, class Epilogue>
        static void forward_batch(const T* params, batch_rows<const T> in, batch_rows<T> out, std::size_t count, T*,
                                  Epilogue ep) {
            if constexpr (std::is_same_v<T, float>)
                kernels::vector::gemm_dot<kernels::simd::native>(
                    count, Units, In::size, in.data, in.stride, params, In::size, [&](std::size_t n, std::size_t o, float s) {
                        out[n][o] = ep.apply((bias ? params[weight_count + o] : 0.f) + s);
                    });
            else
                for (std::size_t n = 0; n < count; ++n) forward(params, in[n], out[n], static_cast<T*>(nullptr), ep);
        }

        template <class T>
        static void backward(const T* params, const T* in, const T*, const T*, T* grad_out, T* grad_in,
                             T* grad_params, T*, train_context) {
            kernels::reference::dense_backward<In::size, Units, bias>(in, params, grad_out, grad_in, grad_params,
                                                                      detail::gradient_at(grad_params, weight_count));
        }

        template <class T>
        static void backward_batch(const T* params, batch_rows<const T> in, batch_rows<T> grad_out,
                                   batch_rows<T> grad_in, T* grad_params, std::size_t count) {
            if constexpr (std::is_same_v<T, float>) {
                using V = kernels::simd::native;
                if (bias && grad_params)
                    for (std::size_t n = 0; n < count; ++n)
                        for (std::size_t o = 0; o < Units; ++o) grad_params[weight_count + o] += grad_out[n][o];
                // dL/dweight += grad_outᵀ · in, dL/din = grad_out · weight
                if (grad_params)
                    kernels::vector::gemm_outer<V, true>(Units, In::size, count, grad_out.data, 1, grad_out.stride,
                                                         in.data, in.stride, grad_params, In::size);
                if (grad_in.data)
                    kernels::vector::gemm_outer<V, false>(count, In::size, Units, grad_out.data, grad_out.stride, 1,
                                                          params, In::size, grad_in.data, grad_in.stride);
            } else {
                for (std::size_t n = 0; n < count; ++n)
                    kernels::reference::dense_backward<In::size, Units, bias>(
                        in[n], params, grad_out[n], grad_in.data ? grad_in[n] : nullptr, grad_params,
                        detail::gradient_at(grad_params, weight_count));
            }
        }
    };
};

}  // namespace typenet
