/// Defines `typenet::detail::elementwise`, the layer behind every activation: `out = f(in)`
/// value by value, any shape, no parameters. Fused into the loop of the layer before it.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

#include <typenet/diagnostics.hpp>
#include <typenet/kernels/loops.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

/// The `parameter_fault` of a layer whose parameter is the fraction N / D and must not be
/// negative (leaky_relu's slope, elu's α): training derives the gradient from the output,
/// whose sign is then that of the input.
template <int N, int D, class ZeroDenominator, class Negative>
using nonnegative_fraction_fault =
    std::conditional_t<D == 0, rejection<because<ZeroDenominator>>,
                       std::conditional_t<(N < 0) != (D < 0) && N != 0, rejection<because<Negative>>, void>>;

/// `Derived` provides `static std::string label()` and `template <class T> static T apply(T)`,
/// and may shadow `parameter_fault` with the rejection its parameters deserve, and
/// `flops_per_value`.
template <class Derived>
struct elementwise {
    using parameter_fault = void;
    static constexpr std::size_t flops_per_value = 1;

    template <class In>
    static constexpr auto infer() {
        if constexpr (std::is_void_v<typename Derived::parameter_fault>)
            return In{};
        else
            return typename Derived::parameter_fault{};
    }

    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = In;
        static constexpr layer_role role = layer_role::elementwise;
        static constexpr std::size_t parameter_count = 0;
        static constexpr std::size_t flops = Derived::flops_per_value * In::size;

        static std::string describe() { return Derived::label(); }
        using operation = Derived;

        template <class T>
        static T apply(T x) {
            return Derived::apply(x);
        }

        template <class T, class Epilogue>
        static void forward(const T*, const T* in, T* out, T*, Epilogue ep) {
            kernels::generate<In::size>(out, [&](std::size_t i) { return ep.apply(Derived::apply(in[i])); });
        }

        template <class T>
            requires requires(T y) { Derived::derivative(y); }
        static T derivative(T out) {
            return Derived::derivative(out);
        }

        template <class T>
        static void backward(const T*, const T*, const T* out, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context) {
            if (grad_in)
                kernels::generate<In::size>(grad_in,
                                            [&](std::size_t i) { return grad_out[i] * Derived::derivative(out[i]); });
        }
    };
};

}  // namespace typenet::detail
