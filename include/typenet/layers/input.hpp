/// Defines `typenet::input`.
#pragma once

#include <cstddef>

#include <typenet/shape.hpp>

namespace typenet {

/// The shape of one sample, channels first as in PyTorch: `input<C, H, W>` for an image,
/// `input<C, L>` for a signal, `input<N>` for a vector. Always the first argument of a
/// network; the batch size is chosen at run time.
///
///     input<3, 64, 64>    // a 64×64 RGB image (Keras' input_shape=(64, 64, 3))
template <int... Dims>
struct input {
    static constexpr bool valid = sizeof...(Dims) >= 1 && ((Dims >= 1) && ...);
    using shape_type = shape<std::size_t(Dims > 0 ? Dims : 0)...>;
};

}  // namespace typenet
