/// Defines `typenet::tanh`.
#pragma once

#include <cmath>

#include <string>

#include <typenet/detail/elementwise.hpp>

namespace typenet {

/// The hyperbolic tangent, PyTorch's `Tanh`. Any shape; fused into the loop of the layer before it.
struct tanh : detail::elementwise<tanh> {
    static std::string label() { return "tanh"; }
    template <class T>
    static T apply(T x) {
        return std::tanh(x);
    }
    template <class T>
    static T derivative(T out) {
        return T(1) - out * out;
    }
};

}  // namespace typenet
