/// Defines `typenet::max_pool`.
#pragma once

#include <typenet/detail/pool_layer.hpp>

namespace typenet {

/// Maximum over a `Window`×`Window` window (`Window`×W with `width<W>`; a `Window`-long
/// one on a signal `shape<C, L>`),
/// PyTorch's `MaxPool2d`/`MaxPool1d`. Options: `width<W>`, `stride<…>` (default: the window),
/// `dilation<…>`, `pad<…>` or `same`, `ceil_mode`. Padding may exceed PyTorch's half window,
/// as ONNX allows, as long as every window reads the input.
///
///     max_pool<2>                  // 2×2, stride 2
///     max_pool<3, stride<2>, pad<1>>
///     max_pool<2, stride<1>, dilation<2>>   // taps 2 apart: a 3×3 field
///     max_pool<3, width<2>, stride<2, 1>>   // 3 high, 2 wide
template <int Window, class... Options>
struct max_pool : detail::pool_spec<detail::pool_kind::max, Window, Options...> {};

}  // namespace typenet
