/// Defines `typenet::conv1d`.
#pragma once

#include <string>

#include <typenet/detail/grouped_conv_layer.hpp>

namespace typenet {

/// 1-D convolution over a signal `shape<C, L>`, PyTorch's `Conv1d`.
/// Options: `stride<S>`, `pad<P>` / `pad<left, right>` or `same` or `valid`,
/// `dilation<D>`, `no_bias`, `groups<G>`.
///
///     conv1d<16, kernel<5>, pad<2>>
template <int Filters, class Kernel, class... Options>
struct conv1d : detail::conv_spec<1, Filters, Kernel, Options...> {
    template <class In>
    struct on : detail::conv_layer_for<conv1d::template geometry<In>, conv1d::group_count, In,
                                       decltype(conv1d::template infer<In>()), 1> {
        static std::string describe() { return conv1d::template describe<In>("conv1d"); }
    };
};

}  // namespace typenet
