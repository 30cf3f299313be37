/// Defines `typenet::dropout`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/elementwise.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet {

/// Zeroes the fraction `Numerator / Denominator` of its inputs while training (scaling
/// the rest up), PyTorch's `Dropout`. At inference it is the identity and costs nothing:
/// it is fused away. The denominator defaults to 100, so `dropout<25>` drops 25%.
///
///     dropout<50>       // p = 0.5
///     dropout<1, 3>     // p = 1/3
template <int Numerator, int Denominator = 100>
struct dropout : detail::elementwise<dropout<Numerator, Denominator>> {
    using parameter_fault =
        std::conditional_t<(Denominator <= 0 || Numerator < 0 || Numerator >= Denominator),
                           rejection<because<rate_must_be_in_0_to_1_excluding_1>>, void>;

    static std::string label() { return fmt::format("dropout {}/{}", Numerator, Denominator); }

    template <class T>
    static T apply(T x) {
        return x;
    }

    // Training: each value is kept with probability 1 - p and scaled by 1 / (1 - p). The
    // mask is drawn from the training context, again in the backward pass: nothing stored.
    template <class In>
    struct on : detail::elementwise<dropout>::template on<In> {
        // A trainer looks through it for a final softmax (train.hpp).
        static constexpr bool identity_at_inference = true;

        // In a pass whose mode turns dropout off, the identity.
        template <class T>
        static void forward_train(const T*, const T* in, T* out, T*, train_context ctx) {
            if (!ctx.mode.dropout)
                std::copy(in, in + In::size, out);
            else
                for (std::size_t i = 0; i < In::size; ++i) out[i] = keeps(ctx, i) ? in[i] * scale<T> : T(0);
        }
        template <class T>
        static void backward(const T*, const T*, const T*, const T*, T* grad_out, T* grad_in, T*, T*,
                             train_context ctx) {
            if (!grad_in) return;
            if (!ctx.mode.dropout)
                std::copy(grad_out, grad_out + In::size, grad_in);
            else
                for (std::size_t i = 0; i < In::size; ++i) grad_in[i] = keeps(ctx, i) ? grad_out[i] * scale<T> : T(0);
        }
    };

private:
    static constexpr double rate = double(Numerator) / double(Denominator > 0 ? Denominator : 1);
    template <class T>
    static constexpr T scale = T(1) / T(1 - rate);
    static constexpr bool keeps(train_context ctx, std::size_t i) { return ctx.uniform(i) >= rate; }
};

}  // namespace typenet
