/// Defines `typenet::residual`.
#pragma once

#include <string>
#include <type_traits>

#include <typenet/detail/branches.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/layers/identity.hpp>

namespace typenet {

/// ResNet's residual connection: out = body(x) + shortcut(x), where `Body` and `Shortcut`
/// are layers (a `sequential` of them, usually) that both read x and give one shape. The
/// shortcut is the identity unless given: a projection (1×1 convolution, stride 2) where
/// the body changes the shape. At inference, when the body ends in a convolution (a batch
/// norm after it folded in), the shortcut runs first and the body's last convolution adds
/// it as it stores each output, an element-wise layer after the block (relu) with it: no
/// pass of its own. Training does the same in the body's last batch norm or convolution,
/// unless a layer runs in that loop after it (a relu, whose derivative is read from its
/// output). Otherwise the addition is a loop of its own, the element-wise layer in it.
///
///     using basic_block = residual<sequential<conv2d<64, kernel<3>, pad<1>>, relu,
///                                             conv2d<64, kernel<3>, pad<1>>>>;
///     using down_block = residual<sequential<conv2d<128, kernel<3>, stride<2>, pad<1>>, relu,
///                                            conv2d<128, kernel<3>, pad<1>>>,
///                                 conv2d<128, kernel<1>, stride<2>>>;
///     using net = network<input<64, 32, 32>, basic_block, relu, down_block, relu, ...>;
///
/// The body is branch 0 of the block, the shortcut branch 1: `layer<3, 0, 2>` is the third
/// layer of the body of the block at position 3, and its parameters are named "3.0.2.weight".
template <class Body, class Shortcut = identity>
struct residual : detail::branches_spec<residual<Body, Shortcut>, Body, Shortcut> {
    static constexpr detail::merge how = detail::merge::add;
    static std::string label() { return "residual"; }

    template <class BodyOutput, class ShortcutOutput>
    static constexpr auto merged() {
        if constexpr (std::is_same_v<BodyOutput, ShortcutOutput>)
            return BodyOutput{};
        else
            return rejection<because<
                shortcut_output_differs_from_body_output<body_output<BodyOutput>, shortcut_output<ShortcutOutput>>>>{};
    }
};

}  // namespace typenet
