/// Defines `typenet::adaptive_max_pool` and `typenet::global_max_pool`.
#pragma once

#include <typenet/detail/adaptive_pool_layer.hpp>

namespace typenet {

/// The maximum over windows that tile the input into a fixed number of outputs,
/// PyTorch's `AdaptiveMaxPool2d`/`AdaptiveMaxPool1d` (a NaN in a window wins, as there);
/// the windows are those of `adaptive_avg_pool`.
///
///     adaptive_max_pool<2, 3>    // shape<C, H, W> → shape<C, 2, 3>
template <int... Size>
struct adaptive_max_pool : detail::adaptive_pool_spec<kernels::adaptive_reduce::max, Size...> {};

/// The maximum of each channel, `shape<C, H, W>` → `shape<C, 1, 1>` (a signal → `shape<C, 1>`).
struct global_max_pool : detail::adaptive_pool_spec<kernels::adaptive_reduce::max, 1> {};

}  // namespace typenet
