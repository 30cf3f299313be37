/// Defines `typenet::batch_norm1d`.
#pragma once

#include <string>

#include <typenet/detail/batch_norm_layer.hpp>

namespace typenet {

/// Batch normalization of a signal `shape<C, L>` channel by channel, or of a vector
/// `shape<N>` value by value, PyTorch's `BatchNorm1d`; otherwise as `batch_norm2d`. A
/// vector's statistics come from the batch alone: training needs at least 2 samples.
///
///     flatten, dense<128, no_bias>, batch_norm1d<>, relu
template <class... Options>
struct batch_norm1d : detail::batch_norm_spec<2, true, Options...> {
    template <class In>
    struct on : batch_norm1d::template layer<In> {
        static std::string describe() { return batch_norm1d::describe("batch_norm1d"); }
    };
};

}  // namespace typenet
