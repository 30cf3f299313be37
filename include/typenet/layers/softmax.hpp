/// Defines `typenet::softmax`.
#pragma once

#include <typenet/detail/softmax_spec.hpp>

namespace typenet {

/// exp(x_c) / Σ exp(x_j) over the first axis, PyTorch's `Softmax(dim=1)`: over a vector's
/// values after a `dense`, over the channels at each position of an image or a signal
/// (a segmentation network's class scores per pixel). Computed in place, stably (the
/// maximum is subtracted first).
///
///     dense<10>, softmax
///     conv2d<21, kernel<1>>, softmax        // 21 class probabilities per pixel
struct softmax : detail::softmax_spec<false> {};

}  // namespace typenet
