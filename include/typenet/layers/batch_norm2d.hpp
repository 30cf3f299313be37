/// Defines `typenet::batch_norm2d`.
#pragma once

#include <string>

#include <typenet/detail/batch_norm_layer.hpp>

namespace typenet {

/// Batch normalization of an image `shape<C, H, W>`, channel by channel, PyTorch's
/// `BatchNorm2d`: weight (γ, starts at 1) and bias (β, 0) are trained; running_mean and
/// running_var are buffers, saved with the parameters and updated by each training pass
/// with the batch's mean and unbiased variance. Training normalizes with the statistics
/// of the whole batch, over every thread's samples; inference with the running ones.
/// Options: `eps<N, D>` (default 1e-5), `momentum<N, D>` (default 0.1).
///
///     conv2d<64, kernel<3>, pad<1>, no_bias>, batch_norm2d<>, relu
///     batch_norm2d<eps<1, 1000>, momentum<1, 100>>
template <class... Options>
struct batch_norm2d : detail::batch_norm_spec<3, false, Options...> {
    template <class In>
    struct on : batch_norm2d::template layer<In> {
        static std::string describe() { return batch_norm2d::describe("batch_norm2d"); }
    };
};

}  // namespace typenet
