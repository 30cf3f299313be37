/// Defines `typenet::relu`.
#pragma once


#include <string>

#include <typenet/detail/elementwise.hpp>

namespace typenet {

/// max(0, x), PyTorch's `ReLU`. Any shape; fused into the loop of the layer before it.
struct relu : detail::elementwise<relu> {
    static std::string label() { return "relu"; }
    template <class T>
    static T apply(T x) {
        return x < T(0) ? T(0) : x;  // NaN passes through, as in PyTorch
    }
    template <class T>
    static T derivative(T out) {
        return out > T(0) ? T(1) : T(0);
    }
};

}  // namespace typenet
