/// Defines `typenet::conv2d`.
#pragma once

#include <string>

#include <typenet/detail/grouped_conv_layer.hpp>

namespace typenet {

/// 2-D convolution over a `shape<C, H, W>` input, PyTorch's `Conv2d` (also cross-correlation).
/// Options: `stride<…>`, `pad<…>` or `same` or `valid`, `dilation<…>`, `no_bias`,
/// `groups<G>` (channels and filters split into G convolutions; `depthwise_conv2d` is the
/// case of one channel per group).
///
///     conv2d<32, kernel<3>>                              // 3×3, stride 1, no padding
///     conv2d<64, kernel<3, 5>, stride<2>, same, no_bias>
///     conv2d<64, kernel<3>, pad<1>, groups<4>>           // ResNeXt's grouped 3×3
template <int Filters, class Kernel, class... Options>
struct conv2d : detail::conv_spec<2, Filters, Kernel, Options...> {
    template <class In>
    struct on : detail::conv_layer_for<conv2d::template geometry<In>, conv2d::group_count, In,
                                       decltype(conv2d::template infer<In>()), 2> {
        static std::string describe() { return conv2d::template describe<In>("conv2d"); }
    };
};

}  // namespace typenet
