/// Defines `typenet::log_softmax`.
#pragma once

#include <typenet/detail/softmax_spec.hpp>

namespace typenet {

/// log(softmax(x)) over the first axis, PyTorch's `LogSoftmax(dim=1)`: over a vector's
/// values, or over the channels at each position of an image or a signal. Computed as
/// x − max − log Σ exp(x − max), exact where the softmax itself would round to 0.
///
///     dense<10>, log_softmax
struct log_softmax : detail::softmax_spec<true> {};

}  // namespace typenet
