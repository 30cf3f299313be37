/// Defines `typenet::relu6`.
#pragma once

#include <string>

#include <typenet/detail/elementwise.hpp>

namespace typenet {

/// min(max(0, x), 6), PyTorch's `ReLU6` (MobileNet's activation). Any shape; fused into the
/// loop of the layer before it.
struct relu6 : detail::elementwise<relu6> {
    static std::string label() { return "relu6"; }
    template <class T>
    static T apply(T x) {
        return x < T(0) ? T(0) : x > T(6) ? T(6) : x;  // NaN passes through, as in PyTorch
    }
    // 0 at both ends, as PyTorch's (hardtanh's) gradient: an output of 0 or 6 is clipped.
    template <class T>
    static T derivative(T out) {
        return out > T(0) && out < T(6) ? T(1) : T(0);
    }
};

}  // namespace typenet
