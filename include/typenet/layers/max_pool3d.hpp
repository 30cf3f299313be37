/// Defines `typenet::max_pool3d`.
#pragma once

#include <typenet/detail/pool3d_layer.hpp>

namespace typenet {

/// Maximum over a `Window`×`Window`×`Window` window of a volume `shape<C, D, H, W>`
/// (`Window`×`Window`×W with `width<W>`, `Window`×H×W with `width<H, W>`), PyTorch's
/// `MaxPool3d`. Options: `stride<…>` (1 or 3 values; default: the window), `pad<…>` (1, 3
/// or 6 values; beyond PyTorch's half the window as ONNX allows, while every window reads
/// the input), `dilation<…>` (1 or 3 values),
/// `ceil_mode`.
///
///     max_pool3d<2>                               // 2×2×2, stride 2
///     max_pool3d<3, stride<1, 2, 2>, pad<1>>      // keeps the frames, halves the image
///     max_pool3d<2, stride<1>, dilation<2>, ceil_mode>
template <int Window, class... Options>
struct max_pool3d : detail::pool3d_spec<detail::pool_kind::max, Window, Options...> {};

}  // namespace typenet
