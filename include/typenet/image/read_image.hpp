/// Defines `typenet::image::read_image` and `typenet::image::decode_image`: a PNG or JPEG
/// file, told apart by its first bytes, to 8-bit RGB or gray pixels as PIL reads it.
#pragma once

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/data_error.hpp>
#include <typenet/image/bitmap.hpp>
#include <typenet/image/color.hpp>
#include <typenet/image/jpeg.hpp>
#include <typenet/image/png.hpp>

namespace typenet::image {

namespace detail {

inline bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin(),
                                                      [](char m, std::uint8_t b) { return std::uint8_t(m) == b; });
}

// The formats a file may be in that are not read here, by their first bytes, to say which
// one a refused file is (torchvision's ImageFolder takes their extensions too).
inline std::string_view other_image_format(std::span<const std::uint8_t> bytes) {
    if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "GIF";
    if (starts_with(bytes, "BM")) return "BMP";
    if (starts_with(bytes, std::string_view("II*\0", 4)) || starts_with(bytes, std::string_view("MM\0*", 4)))
        return "TIFF";
    if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && starts_with(bytes.subspan(8), "WEBP")) return "WebP";
    if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7') return "PNM (PPM/PGM/PBM)";
    return {};
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& file) {
    errno = 0;
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
    if (!f) throw data::data_error(file, fmt::format("cannot open: {}", std::generic_category().message(errno)));
    std::vector<std::uint8_t> bytes;
    std::array<std::uint8_t, 1 << 16> piece;
    for (std::size_t n; (n = std::fread(piece.data(), 1, piece.size(), f.get())) > 0;)
        bytes.insert(bytes.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(n));
    if (std::ferror(f.get()))
        throw data::data_error(file, fmt::format("cannot read: {}", std::generic_category().message(errno)));
    return bytes;
}

}  // namespace detail

/// Decodes the PNG or JPEG image in `bytes` (told apart by its first bytes, not by a name)
/// into `to`'s channels, as PIL's `Image.open(f).convert('RGB')` (or `'L'`) does: palette
/// looked up, alpha dropped, 16 bits cut to 8. `file` names the image in errors. Throws
/// `data::data_error` for no bytes, another format, a file cut short or corrupt, an image
/// of 0 pixels or of more than `max_pixels`.
///
///     bitmap picture = decode_image(bytes_from_somewhere, "upload #3");
inline bitmap decode_image(std::span<const std::uint8_t> bytes, const std::filesystem::path& file,
                           color to = color::rgb, std::size_t max_pixels = default_max_pixels) {
    if (bytes.empty()) throw data::data_error(file, "empty file: 0 bytes, not a PNG or JPEG image");
    if (detail::starts_with(bytes, "\x89PNG\r\n\x1a\n")) return to_color(decode_png(bytes, file, max_pixels), to);
    if (detail::starts_with(bytes, "\xff\xd8\xff")) return to_color(decode_jpeg(bytes, file, max_pixels), to);
    if (const auto other = detail::other_image_format(bytes); !other.empty())
        throw data::data_error(file, fmt::format("{} image: only PNG and JPEG images are read", other));
    throw data::data_error(file, fmt::format("not a PNG or JPEG image: the file starts with {:02x} (a PNG starts with "
                                             "89 50 4e 47 0d 0a 1a 0a, a JPEG with ff d8 ff)",
                                             fmt::join(bytes.first(std::min<std::size_t>(bytes.size(), 8)), " ")));
}

/// Reads the PNG or JPEG image in `file`; see `decode_image`.
///
///     bitmap picture = read_image("photos/cat.jpg");               // 3 channels
///     bitmap digit = read_image("digits/7.png", color::gray);      // 1 channel
inline bitmap read_image(const std::filesystem::path& file, color to = color::rgb,
                         std::size_t max_pixels = default_max_pixels) {
    return decode_image(detail::read_file(file), file, to, max_pixels);
}

}  // namespace typenet::image
