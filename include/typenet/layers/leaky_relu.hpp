/// Defines `typenet::leaky_relu`.
#pragma once

#include <string>
#include <type_traits>

#include <fmt/format.h>

#include <typenet/detail/elementwise.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet {

/// x for x > 0, slope·x otherwise, PyTorch's `LeakyReLU`. The slope is the fraction
/// `Numerator / Denominator`, 0.01 by default as in PyTorch; any shape.
///
///     leaky_relu<>        // slope 0.01
///     leaky_relu<1, 5>    // slope 0.2
template <int Numerator = 1, int Denominator = 100>
struct leaky_relu : detail::elementwise<leaky_relu<Numerator, Denominator>> {
    // A negative slope would make the output's sign ambiguous, and training derives the
    // gradient from the output.
    using parameter_fault =
        detail::nonnegative_fraction_fault<Numerator, Denominator, slope_denominator_must_not_be_0, slope_must_not_be_negative>;

    static std::string label() { return fmt::format("leaky_relu {}/{}", Numerator, Denominator); }

    template <class T>
    static T apply(T x) {
        return x < T(0) ? x * slope<T> : x;  // NaN passes through, as in PyTorch
    }
    template <class T>
    static T derivative(T out) {
        return out > T(0) ? T(1) : slope<T>;
    }

private:
    template <class T>
    static constexpr T slope = T(Numerator) / T(Denominator);
};

}  // namespace typenet
