/// Defines `typenet::batch_norm3d`.
#pragma once

#include <string>

#include <typenet/detail/batch_norm_layer.hpp>

namespace typenet {

/// Batch normalization of a volume `shape<C, D, H, W>`, channel by channel, PyTorch's
/// `BatchNorm3d`: batch_norm2d's parameters, buffers, options and training, over volumes.
///
///     conv3d<16, kernel<3>, pad<1>, no_bias>, batch_norm3d<>, relu
template <class... Options>
struct batch_norm3d : detail::batch_norm_spec<4, false, Options...> {
    template <class In>
    struct on : batch_norm3d::template layer<In> {
        static std::string describe() { return batch_norm3d::describe("batch_norm3d"); }
    };
};

}  // namespace typenet
