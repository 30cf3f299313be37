/// Defines `typenet::identity`.
#pragma once

#include <cstddef>
#include <string>

#include <typenet/detail/elementwise.hpp>

namespace typenet {

/// out = in, PyTorch's `Identity`: the shortcut of a `residual` by default, or a branch
/// of a `concat` that passes its input on. Alone in a chain it is fused away.
struct identity : detail::elementwise<identity> {
    static std::string label() { return "identity"; }
    static constexpr std::size_t flops_per_value = 0;
    template <class T>
    static T apply(T x) {
        return x;
    }
    template <class T>
    static T derivative(T) {
        return T(1);
    }
};

}  // namespace typenet
