/// Defines `typenet::repeat`.
#pragma once

#include <cstddef>

#include <typenet/layers/sequential.hpp>

namespace typenet {

namespace detail {

/// The layers of sequentials one after another, as one sequential (no block nested).
template <class... Sequentials>
struct joined {
    using type = sequential<>;
};
template <class... A>
struct joined<sequential<A...>> {
    using type = sequential<A...>;
};
template <class... A, class... B, class... Rest>
struct joined<sequential<A...>, sequential<B...>, Rest...> : joined<sequential<A..., B...>, Rest...> {};

// Halving the count keeps the depth of instantiation logarithmic in it.
template <std::size_t Count, class... Layers>
struct repeated {
    using half = typename repeated<Count / 2, Layers...>::type;
    using type = typename joined<half, half, typename repeated<Count % 2, Layers...>::type>::type;
};
template <class... Layers>
struct repeated<0, Layers...> {
    using type = sequential<>;
};
template <class... Layers>
struct repeated<1, Layers...> {
    using type = sequential<Layers...>;
};

}  // namespace detail

/// `Layers...` written `Count` times over, as one `sequential`: the identical blocks of a
/// ResNet stage, a VGG stage's convolutions.
///
///     repeat<3, conv2d<64, kernel<3>, pad<1>>, relu>
///     // sequential<conv2d<…>, relu, conv2d<…>, relu, conv2d<…>, relu>
template <std::size_t Count, class... Layers>
using repeat = typename detail::repeated<Count, Layers...>::type;

}  // namespace typenet
