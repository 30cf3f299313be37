/// Defines `typenet::max_pool`.
#pragma once

#include <typenet/detail/pool_layer.hpp>

namespace typenet {

/// Maximum over a `Window`×`Window` window (`Window`×W with `width<W>`; a `Window`-long
/// one on a signal `shape<C, L>`),
/// PyTorch's `MaxPool2d`/`MaxPool1d`. Options: `width<W>`, `stride<…>` (default: the window),
/// `pad<…>` (at most half the window) or `same`.
///
///     max_pool<2>                  // 2×2, stride 2
///     max_pool<3, stride<2>, pad<1>>
///     max_pool<3, width<2>, stride<2, 1>>   // 3 high, 2 wide
template <int Window, class... Options>
struct max_pool : detail::pool_spec<detail::pool_kind::max, Window, Options...> {};

}  // namespace typenet
