/// Defines `typenet::avg_pool3d`.
#pragma once

#include <typenet/detail/pool3d_layer.hpp>

namespace typenet {

/// Mean over a `Window`×`Window`×`Window` window of a volume `shape<C, D, H, W>`
/// (`Window`×`Window`×W with `width<W>`, `Window`×H×W with `width<H, W>`), PyTorch's
/// `AvgPool3d`. Options: `stride<…>` (1 or 3 values; default: the window), `pad<…>` (1, 3
/// or 6 values; beyond PyTorch's half the window as ONNX allows, while every window reads
/// the input), `ceil_mode`, and
/// `exclude_padding` to divide by the number of real inputs only (PyTorch's
/// count_include_pad=False; by default padding counts, as in PyTorch).
///
///     avg_pool3d<2>
///     avg_pool3d<3, stride<2>, pad<1>, exclude_padding>
template <int Window, class... Options>
struct avg_pool3d : detail::pool3d_spec<detail::pool_kind::average, Window, Options...> {};

}  // namespace typenet
