/// Defines `typenet::avg_pool`.
#pragma once

#include <typenet/detail/pool_layer.hpp>

namespace typenet {

/// Mean over a `Window`×`Window` window (`Window`×W with `width<W>`; a `Window`-long
/// one on a signal `shape<C, L>`),
/// PyTorch's `AvgPool2d`/`AvgPool1d`. Options: `width<W>`, `stride<…>` (default: the window),
/// `pad<…>` or `same` (padding may exceed PyTorch's half window, as ONNX allows, as long as
/// every window reads the input), `ceil_mode`, and `exclude_padding` to divide by the
/// number of real inputs only (by default padding counts, as in PyTorch).
///
///     avg_pool<2>
///     avg_pool<3, stride<1>, pad<1>, exclude_padding>
///     avg_pool<1, width<4>>                 // 1 high, 4 wide
template <int Window, class... Options>
struct avg_pool : detail::pool_spec<detail::pool_kind::average, Window, Options...> {};

}  // namespace typenet
