/// Defines `typenet::adaptive_avg_pool` and `typenet::global_avg_pool`.
#pragma once

#include <typenet/detail/adaptive_pool_layer.hpp>

namespace typenet {

/// The mean over windows that tile the input into a fixed number of outputs, PyTorch's
/// `AdaptiveAvgPool2d`/`AdaptiveAvgPool1d`: output i of n reads inputs
/// [floor(i·size/n), ceil((i+1)·size/n)), whatever the input's size.
///
///     adaptive_avg_pool<7>       // shape<C, H, W> → shape<C, 7, 7>; a signal → shape<C, 7>
///     adaptive_avg_pool<3, 4>    // shape<C, H, W> → shape<C, 3, 4>
template <int... Size>
struct adaptive_avg_pool : detail::adaptive_pool_spec<kernels::adaptive_reduce::average, Size...> {};

/// The mean of each channel, `shape<C, H, W>` → `shape<C, 1, 1>` (a signal → `shape<C, 1>`):
/// the head of ResNet, GoogLeNet and MobileNet. Put `flatten` after it for a dense layer.
struct global_avg_pool : detail::adaptive_pool_spec<kernels::adaptive_reduce::average, 1> {};

}  // namespace typenet
