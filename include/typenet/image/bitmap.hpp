/// Defines `typenet::image::bitmap`, an image of 8-bit pixels as a file decodes to, and the
/// largest one a reader makes, `typenet::image::default_max_pixels`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/data_error.hpp>

namespace typenet::image {

/// `rows`×`cols` pixels of `channels` bytes each (1: gray, 3: red, green, blue), row by
/// row, the channels of a pixel side by side: PIL's layout, and the decoders'.
///
///     std::uint8_t green = picture.at(y, x, 1);
struct bitmap {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::size_t channels = 0;
    std::vector<std::uint8_t> bytes;  // rows × cols × channels

    bitmap() = default;
    /// An image of the given size, every byte 0 (black).
    bitmap(std::size_t rows, std::size_t cols, std::size_t channels)
        : rows(rows), cols(cols), channels(channels), bytes(rows * cols * channels) {}

    std::uint8_t at(std::size_t y, std::size_t x, std::size_t c) const { return bytes[(y * cols + x) * channels + c]; }
    std::uint8_t& at(std::size_t y, std::size_t x, std::size_t c) { return bytes[(y * cols + x) * channels + c]; }
};

/// The most pixels a reader decodes unless told otherwise: 2^28 (16384×16384). A file
/// whose header claims more is refused before any memory is taken for it.
inline constexpr std::size_t default_max_pixels = std::size_t{1} << 28;

namespace detail {

// Refuses a `format` image of `width`×`height` that is empty or larger than `max_pixels`.
inline void check_image_size(const std::filesystem::path& file, std::string_view format, std::size_t width,
                             std::size_t height, std::size_t max_pixels) {
    if (width == 0 || height == 0)
        throw data::data_error(file, fmt::format("empty {} image: {}x{} pixels", format, width, height));
    if (height > max_pixels / width)
        throw data::data_error(file, fmt::format("{} image too large: {}x{} pixels, more than the {} allowed (pass a "
                                                 "larger max_pixels to read it)",
                                                 format, width, height, max_pixels));
}

}  // namespace detail

}  // namespace typenet::image
