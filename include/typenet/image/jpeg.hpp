/// Defines `typenet::image::decode_jpeg`: a JPEG file in memory to 8-bit gray or RGB pixels,
/// with libjpeg(-turbo), as PIL's `Image.open(f).convert('RGB')` sees them.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>  // before jpeglib.h, which uses FILE
#include <filesystem>
#include <span>

#include <fmt/format.h>
#include <jerror.h>
#include <jpeglib.h>

#include <typenet/data/data_error.hpp>
#include <typenet/image/bitmap.hpp>

namespace typenet::image {

/// The most scans `decode_jpeg` reads: a progressive JPEG has about 10, and each one is a
/// pass over the whole image, so that a small file of thousands would take minutes (500 is
/// the limit libjpeg-turbo's own fuzzers set).
inline constexpr int max_jpeg_scans = 500;

namespace detail {

// libjpeg's error handler, and where it jumps to. libjpeg leaves a failed call by longjmp,
// so each function that calls setjmp (jpeg_read_start, jpeg_read_pixels) holds nothing with a
// destructor, and the C++ objects (the pixels) are made between those calls.
struct jpeg_errors {
    jpeg_error_mgr manager;  // first: libjpeg hands the callbacks a pointer to it
    jpeg_progress_mgr progress;
    std::jmp_buf jump;
    bool truncated = false;
    char message[JMSG_LENGTH_MAX] = "";
};

inline jpeg_errors& errors_of(j_common_ptr cinfo) { return *reinterpret_cast<jpeg_errors*>(cinfo->err); }

[[noreturn]] inline void jpeg_on_error(j_common_ptr cinfo) {
    (*cinfo->err->format_message)(cinfo, errors_of(cinfo).message);
    std::longjmp(errors_of(cinfo).jump, 1);
}

// Warnings (level -1) are decoded through, as PIL does ("extraneous bytes before marker",
// common in real photographs), but for the end of the data: libjpeg would fill the rest of
// a truncated file with gray.
inline void jpeg_on_message(j_common_ptr cinfo, int level) {
    if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        errors_of(cinfo).truncated = true;
        jpeg_on_error(cinfo);
    }
}

inline void jpeg_count_scans(j_common_ptr cinfo) {
    if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > max_jpeg_scans) {
        std::snprintf(errors_of(cinfo).message, JMSG_LENGTH_MAX,
                      "more than %d scans (a progressive JPEG has about 10), each a pass over the whole image",
                      max_jpeg_scans);
        std::longjmp(errors_of(cinfo).jump, 1);
    }
}

// Reads the header and chooses the output: gray stays gray, CMYK is read as it is stored
// (converted below), anything else becomes RGB. Returns false on an error.
inline bool jpeg_read_start(jpeg_decompress_struct& cinfo, jpeg_errors& errors, std::span<const std::uint8_t> bytes) {
    if (setjmp(errors.jump)) return false;
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &errors.progress;
    jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    switch (cinfo.jpeg_color_space) {
        case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
        case JCS_CMYK:
        case JCS_YCCK: cinfo.out_color_space = JCS_CMYK; break;
        default: cinfo.out_color_space = JCS_RGB; break;
    }
    jpeg_calc_output_dimensions(&cinfo);
    return true;
}

// Decodes every row into `pixels` (output_width × output_components bytes each), then reads
// to the end-of-image marker. Returns false on an error.
inline bool jpeg_read_pixels(jpeg_decompress_struct& cinfo, jpeg_errors& errors, std::uint8_t* pixels) {
    if (setjmp(errors.jump)) return false;
    jpeg_start_decompress(&cinfo);
    const std::size_t row_bytes = std::size_t{cinfo.output_width} * std::size_t(cinfo.output_components);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + cinfo.output_scanline * row_bytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    return true;
}

// PIL's CMYK to RGB: the samples are stored inverted, as Adobe's programs write them (PIL
// assumes so for every CMYK JPEG), and each colour is (255 - K) · (1 - C/255), rounded.
inline bitmap rgb_from_inverted_cmyk(const bitmap& cmyk) {
    bitmap rgb(cmyk.rows, cmyk.cols, 3);
    const std::size_t pixels = cmyk.rows * cmyk.cols;
    for (std::size_t p = 0; p < pixels; ++p) {
        const unsigned not_k = cmyk.bytes[4 * p + 3];
        for (std::size_t c = 0; c < 3; ++c) {
            const unsigned product = (255u - cmyk.bytes[4 * p + c]) * not_k + 128u;  // PIL's MULDIV255
            rgb.bytes[3 * p + c] = static_cast<std::uint8_t>(not_k - (((product >> 8) + product) >> 8));
        }
    }
    return rgb;
}

}  // namespace detail

/// Decodes the JPEG image in `bytes` into 1 channel (gray) or 3 (YCbCr, RGB, CMYK as PIL
/// converts it); `file` names it in errors. Throws `data::data_error` for a file that is cut
/// short, corrupt, empty (0×N), larger than `max_pixels` or of more than `max_jpeg_scans`
/// scans.
///
///     bitmap picture = decode_jpeg(bytes, "cat.jpg");
inline bitmap decode_jpeg(std::span<const std::uint8_t> bytes, const std::filesystem::path& file,
                          std::size_t max_pixels = default_max_pixels) {
    detail::jpeg_errors errors;
    jpeg_decompress_struct cinfo{};
    cinfo.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = detail::jpeg_on_error;
    errors.manager.emit_message = detail::jpeg_on_message;
    errors.progress = {detail::jpeg_count_scans, 0, 0, 0, 0};
    struct release {
        jpeg_decompress_struct& cinfo;
        ~release() { jpeg_destroy_decompress(&cinfo); }
    } destroy_at_exit{cinfo};
    const auto failed = [&] {
        if (errors.truncated)
            return data::data_error(
                file, fmt::format("truncated JPEG: the file ends after {} bytes, before the image does", bytes.size()));
        return data::data_error(file, fmt::format("corrupt JPEG: {}", errors.message));
    };

    if (!detail::jpeg_read_start(cinfo, errors, bytes)) throw failed();
    detail::check_image_size(file, "JPEG", cinfo.output_width, cinfo.output_height, max_pixels);
    bitmap picture(cinfo.output_height, cinfo.output_width, static_cast<std::size_t>(cinfo.output_components));
    if (!detail::jpeg_read_pixels(cinfo, errors, picture.bytes.data())) throw failed();
    return picture.channels == 4 ? detail::rgb_from_inverted_cmyk(picture) : picture;
}

}  // namespace typenet::image
