/// Defines `typenet::data::image_set` and `typenet::data::labeled_set`, data sets held in
/// memory as the networks read them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace typenet::data {

/// `count` images of `channels`×`rows`×`cols` floats in [0, 1], one after the other,
/// channels first (N×C×H×W), the layout of `network::forward`.
///
///     std::span<const float> first = set.image(0);   // set.image_size() floats
struct image_set {
    std::size_t count = 0;
    std::size_t channels = 0;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<float> pixels;  // count × image_size()

    /// Floats per image: channels × rows × cols.
    std::size_t image_size() const { return channels * rows * cols; }

    /// Image `i`; throws `std::out_of_range` if `i >= count`.
    std::span<const float> image(std::size_t i) const {
        check_index(i);
        return std::span<const float>(pixels).subspan(i * image_size(), image_size());
    }
    std::span<float> image(std::size_t i) {
        check_index(i);
        return std::span<float>(pixels).subspan(i * image_size(), image_size());
    }

private:
    void check_index(std::size_t i) const {
        if (i >= count)
            throw std::out_of_range(fmt::format("image_set: image {} asked for, the set has {}", i, count));
    }
};

/// Images with one class label each: `labels[i]` is the class of `images.image(i)`.
struct labeled_set {
    image_set images;
    std::vector<std::uint8_t> labels;

    std::size_t size() const { return images.count; }
};

namespace detail {

// Appends bytes 0…255 to `to` as floats 0…1. Dividing (not multiplying by 1/255) keeps
// every value the correctly rounded v/255, the value any other tool computes.
inline void append_scaled(std::vector<float>& to, std::span<const std::uint8_t> from) {
    const std::size_t start = to.size();
    to.resize(start + from.size());
    std::transform(from.begin(), from.end(), to.begin() + static_cast<std::ptrdiff_t>(start),
                   [](std::uint8_t v) { return static_cast<float>(v) / 255.0f; });
}

}  // namespace detail

}  // namespace typenet::data
