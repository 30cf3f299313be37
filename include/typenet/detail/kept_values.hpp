/// Defines `typenet::detail::kept_values`: what a layer derives from its weights (packed
/// or folded weights) and keeps between inference passes, derived again only when the
/// weights may have changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <typenet/detail/aligned_buffer.hpp>

namespace typenet::detail {

/// `Count` values derived from a layer's weights, after a mark: the generation of the
/// weights they were derived from (the network changes it whenever they may have
/// changed). Comparing the mark, not the weights, leaves a pass reading each weight once.
template <std::size_t Count>
struct kept_values {
    static constexpr std::size_t mark_size = whole_lines(2);  // a 64-bit generation, alone on its line
    /// The region a layer asks for (`kept_size`), and what a training pass stores instead.
    static constexpr std::size_t size = mark_size + whole_lines(Count);

    /// The values, derived by `derive(values)` unless the region's mark says they come from
    /// weights of this `generation`. The region is `kept`, or in a training pass (no kept
    /// region, generation 0: derived each time) `storage`.
    template <class T, class Derive>
    static T* current(T* kept, std::uint64_t generation, T* storage, Derive&& derive) {
        T* const region = kept ? kept : storage;
        std::uint64_t mark;
        std::memcpy(&mark, region, sizeof mark);
        if (generation == 0 || mark != generation) {
            derive(region + mark_size);
            std::memcpy(region, &generation, sizeof mark);
        }
        return region + mark_size;
    }
    /// The values `current` returned, for a caller that cannot hold on to its pointer.
    template <class T>
    static T* values(T* kept, T* storage) {
        return (kept ? kept : storage) + mark_size;
    }
};

}  // namespace typenet::detail
