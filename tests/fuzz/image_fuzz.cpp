// Fuzzes a decoder of typenet/image/, built once per format: png_fuzz with
// -DTYPENET_FUZZED_DECODER=decode_png, jpeg_fuzz with decode_jpeg. The input is a whole
// file. The decoder may refuse it with data_error and nothing else; what it accepts must be
// 8-bit gray or RGB of the size its header says, within the pixels allowed, and convert.
#include <cstddef>
#include <cstdint>
#include <span>

#include <typenet/image/read_image.hpp>

#include "memory_file.hpp"

#ifndef TYPENET_FUZZED_DECODER
#error "build with -DTYPENET_FUZZED_DECODER=decode_png or decode_jpeg"
#endif

using typenet::fuzzing::require;

namespace {

// 2^20 pixels (3 MiB of RGB): big enough for every path of the decoders, small enough that
// the inputs that claim the most keep the runs fast under the sanitizers (libjpeg decodes a
// corrupt scan to the last row, filling in: at 2^22 pixels, 225 inputs a second).
constexpr std::size_t max_pixels = std::size_t{1} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ti = typenet::image;
    try {
        const ti::bitmap picture = ti::TYPENET_FUZZED_DECODER(std::span(data, size), "fuzz input", max_pixels);
        require(picture.channels == 1 || picture.channels == 3);
        require(picture.rows > 0 && picture.cols > 0 && picture.rows * picture.cols <= max_pixels);
        require(picture.bytes.size() == picture.rows * picture.cols * picture.channels);
        const ti::bitmap gray = ti::to_color(picture, ti::color::gray);
        require(gray.channels == 1 && gray.bytes.size() == picture.rows * picture.cols);
    } catch (const typenet::data::data_error&) {
    }
    return 0;
}
