/// Defines `typenet::image::decode_png`: a PNG file in memory to 8-bit gray or RGB pixels,
/// with libpng, as PIL's `Image.open(f).convert('RGB')` sees them.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <span>
#include <vector>

#include <fmt/format.h>
#include <png.h>

#include <typenet/data/data_error.hpp>
#include <typenet/image/bitmap.hpp>

namespace typenet::image {

namespace detail {

// What libpng's callbacks share with the decoder: the bytes still to read, and why it
// stopped. libpng leaves a failed call by longjmp, so each function that calls setjmp
// (png_read_header, png_read_pixels) holds nothing with a destructor, and the C++ objects
// (the pixels, the row pointers) are made between those calls, never across one.
struct png_source {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t at = 0;
    bool truncated = false;
    char message[256] = "";
    char first_warning[256] = "";  // often the detail of the error that follows
};

inline void png_on_error(png_structp png, png_const_charp message) {
    auto* source = static_cast<png_source*>(png_get_error_ptr(png));
    std::snprintf(source->message, sizeof source->message, "%s", message);
    png_longjmp(png, 1);
}

// PIL decodes what libpng only warns about (a bad CRC in an ancillary chunk, say): so do we.
inline void png_on_warning(png_structp png, png_const_charp message) {
    auto* source = static_cast<png_source*>(png_get_error_ptr(png));
    if (source->first_warning[0] == '\0')
        std::snprintf(source->first_warning, sizeof source->first_warning, "%s", message);
}

inline void png_read_from_memory(png_structp png, png_bytep into, std::size_t count) {
    auto* source = static_cast<png_source*>(png_get_io_ptr(png));
    if (source->size - source->at < count) {
        source->truncated = true;
        png_error(png, "the file ends too early");
    }
    std::memcpy(into, source->data + source->at, count);
    source->at += count;
}

// Reads the chunks up to the pixels; false on an error.
inline bool png_read_header(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_info(png, info);
    return true;
}

// Asks libpng for 8-bit gray or RGB, as PIL's convert('RGB') and convert('L') read the file:
// palette entries looked up, gray of 1, 2 or 4 bits scaled to 0…255, 16-bit samples cut to
// their high byte (PIL's "RGB;16B" and "LA;16B" modes), alpha and transparency dropped.
// Returns false on an error.
inline bool png_start_pixels(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return false;
    const int type = png_get_color_type(png, info);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return true;
}

// Decodes the pixels into `rows`, then reads on to the end chunk, so that a file cut after
// its pixels is refused too. Returns false on an error.
inline bool png_read_pixels(png_structp png, png_infop info, png_bytep* rows) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_image(png, rows);
    png_read_end(png, info);
    return true;
}

}  // namespace detail

/// Decodes the PNG image in `bytes` into 1 channel (gray, gray + alpha) or 3 (RGB, RGBA,
/// palette), alpha dropped and 16 bits cut to 8 as PIL does; `file` names it in errors.
/// Throws `data::data_error` for a file that is cut short, corrupt, empty (0×N) or larger
/// than `max_pixels`. (PIL reads a 16-bit gray PNG as integers that `convert('RGB')` clips
/// at 255, so that most of it turns white; here it is cut to its high byte like the others.)
///
///     bitmap picture = decode_png(bytes, "cat.png");
inline bitmap decode_png(std::span<const std::uint8_t> bytes, const std::filesystem::path& file,
                         std::size_t max_pixels = default_max_pixels) {
    detail::png_source source{bytes.data(), bytes.size()};
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, detail::png_on_error, detail::png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    struct release {
        png_structp png;
        png_infop info;
        ~release() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
    } destroy_at_exit{png, info};
    if (!info) throw data::data_error(file, "cannot decode PNG: libpng could not start (out of memory)");
    const auto failed = [&] {
        if (source.truncated)
            return data::data_error(
                file, fmt::format("truncated PNG: the file ends after {} bytes, before the image does", bytes.size()));
        if (source.first_warning[0] != '\0')
            return data::data_error(
                file, fmt::format("corrupt PNG: {}; libpng warned first: {}", source.message, source.first_warning));
        return data::data_error(file, fmt::format("corrupt PNG: {}", source.message));
    };

    png_set_read_fn(png, &source, detail::png_read_from_memory);
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);  // max_pixels is the limit, checked here
    if (!detail::png_read_header(png, info)) throw failed();
    detail::check_image_size(file, "PNG", png_get_image_width(png, info), png_get_image_height(png, info), max_pixels);
    if (!detail::png_start_pixels(png, info)) throw failed();

    bitmap picture(png_get_image_height(png, info), png_get_image_width(png, info), png_get_channels(png, info));
    if ((picture.channels != 1 && picture.channels != 3) ||
        png_get_rowbytes(png, info) != picture.cols * picture.channels)
        throw data::data_error(file, fmt::format("cannot decode PNG: libpng gives {} channels, {} bytes a row, not "
                                                 "8-bit gray or RGB",
                                                 picture.channels, png_get_rowbytes(png, info)));
    std::vector<png_bytep> rows(picture.rows);
    for (std::size_t y = 0; y < picture.rows; ++y) rows[y] = picture.bytes.data() + y * picture.cols * picture.channels;
    if (!detail::png_read_pixels(png, info, rows.data())) throw failed();
    return picture;
}

}  // namespace typenet::image
