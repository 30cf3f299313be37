/// Defines `typenet::sigmoid`.
#pragma once

#include <cmath>

#include <string>

#include <typenet/detail/elementwise.hpp>

namespace typenet {

/// 1 / (1 + exp(-x)), PyTorch's `Sigmoid`. Any shape; fused into the loop of the layer before it.
struct sigmoid : detail::elementwise<sigmoid> {
    static std::string label() { return "sigmoid"; }
    template <class T>
    static T apply(T x) {
        return T(1) / (T(1) + std::exp(-x));
    }
    template <class T>
    static T derivative(T out) {
        return out * (T(1) - out);
    }
};

}  // namespace typenet
