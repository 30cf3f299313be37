/// Defines `typenet::image::color`, the channels an image is read into, and
/// `typenet::image::to_color`, PIL's `Image.convert('RGB')` and `Image.convert('L')`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

#include <typenet/image/bitmap.hpp>

namespace typenet::image {

/// What a reader makes of a file's pixels, whatever the file stores.
enum class color {
    rgb,   ///< 3 channels: red, green, blue (gray repeated three times); torchvision's loader
    gray,  ///< 1 channel: luma, ITU-R 601-2 as PIL computes it
};

/// The channels of `color`: 3 or 1.
constexpr std::size_t channels_of(color c) { return c == color::rgb ? 3 : 1; }

/// `picture` (1 or 3 channels) in `to`: gray becomes RGB by repeating it, RGB becomes gray
/// as PIL's `convert('L')` does, (19595 R + 38470 G + 7471 B + 2^15) >> 16.
inline bitmap to_color(bitmap picture, color to) {
    if (picture.channels != 1 && picture.channels != 3)
        throw std::invalid_argument(
            fmt::format("typenet::image::to_color: the image has {} channels, expected 1 or 3", picture.channels));
    if (picture.channels == channels_of(to)) return picture;
    bitmap out(picture.rows, picture.cols, channels_of(to));
    const std::size_t pixels = picture.rows * picture.cols;
    const std::uint8_t* in = picture.bytes.data();
    if (to == color::rgb) {
        for (std::size_t p = 0; p < pixels; ++p) out.bytes[3 * p] = out.bytes[3 * p + 1] = out.bytes[3 * p + 2] = in[p];
    } else {
        for (std::size_t p = 0; p < pixels; ++p)
            out.bytes[p] = static_cast<std::uint8_t>(
                (19595u * in[3 * p] + 38470u * in[3 * p + 1] + 7471u * in[3 * p + 2] + 0x8000u) >> 16);
    }
    return out;
}

}  // namespace typenet::image
