/// Defines `typenet::elu`.
#pragma once

#include <cmath>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/elementwise.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet {

/// x for x > 0, α·(eˣ − 1) otherwise, PyTorch's `ELU` (ONNX's `Elu`). α is the fraction
/// `Numerator / Denominator`, 1 by default as in PyTorch; any shape.
///
///     elu<>        // α = 1
///     elu<1, 2>    // α = 0.5
template <int Numerator = 1, int Denominator = 1>
struct elu : detail::elementwise<elu<Numerator, Denominator>> {
    // A negative α would make the output's sign ambiguous, and training derives the
    // gradient from the output: α·eˣ = out + α.
    using parameter_fault =
        detail::nonnegative_fraction_fault<Numerator, Denominator, alpha_denominator_must_not_be_0, alpha_must_not_be_negative>;

    static std::string label() { return fmt::format("elu {}/{}", Numerator, Denominator); }

    template <class T>
    static T apply(T x) {
        return x > T(0) ? x : alpha<T> * std::expm1(x);  // NaN passes through, as in PyTorch
    }
    template <class T>
    static T derivative(T out) {
        return out > T(0) ? T(1) : out + alpha<T>;
    }

    template <class T>
    static constexpr T alpha = T(Numerator) / T(Denominator);
};

}  // namespace typenet
