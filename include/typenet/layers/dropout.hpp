/// Defines `typenet::dropout`.
#pragma once

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
};

}  // namespace typenet
