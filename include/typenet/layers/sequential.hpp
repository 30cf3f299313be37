/// Defines `typenet::sequential`, a block of layers that is itself a layer.
#pragma once

#include <typenet/detail/block.hpp>
#include <typenet/detail/walk.hpp>

namespace typenet {

/// A block of layers that is itself a layer: use it inside a network or another block.
///
///     using features = sequential<conv2d<16, kernel<3>>, relu, max_pool<2>>;
///     using net = network<input<1, 28, 28>, features, flatten, dense<10>>;
template <class... Layers>
struct sequential {
    template <class In>
    static constexpr auto infer() {
        using walked = detail::walk<In, Layers...>;
        if constexpr (walked::ok)
            return typename walked::output_shape{};
        else
            return typename walked::error{};
    }

    template <class In>
    struct on : detail::block<detail::walk<In, Layers...>> {};
};

}  // namespace typenet
