/// Defines `typenet::shape`, the compile-time extent of one sample's tensor.
#pragma once

#include <typenet/detail/cpp20.hpp>

#include <array>
#include <cstddef>

namespace typenet {

/// The per-sample shape of a tensor, channels first: `shape<C, H, W>` for an image,
/// `shape<C, L>` for a signal, `shape<N>` for a vector. The batch is not part of it.
///
///     static_assert(shape<3, 64, 64>::size == 12288);
template <std::size_t... Dims>
struct shape {
    static constexpr std::size_t rank = sizeof...(Dims);
    static constexpr std::size_t size = (Dims * ... * std::size_t{1});
    static constexpr std::array<std::size_t, rank> dims{Dims...};
};

/// Stands for "some shape of rank R" in a diagnostic: `expected<any_shape_of_rank<3>>`.
template <std::size_t Rank>
struct any_shape_of_rank {};

namespace detail {

template <class T>
struct is_shape {
    static constexpr bool value = false;
};
template <std::size_t... Dims>
struct is_shape<shape<Dims...>> {
    static constexpr bool value = true;
};

/// `Shape` with `Channels` channels, its other dimensions kept.
template <std::size_t Channels, class Shape>
struct with_channels;
template <std::size_t Channels, std::size_t C, std::size_t... Rest>
struct with_channels<Channels, shape<C, Rest...>> {
    using type = shape<Channels, Rest...>;
};

}  // namespace detail
}  // namespace typenet
