// Tests typenet/image/read_image.hpp: from a path and from memory alike, and each file that
// is not a whole PNG or JPEG image refused with a data_error naming it and the problem.
#define BOOST_TEST_MODULE read_image
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <zlib.h>

#include <typenet/image/read_image.hpp>

#include "../data/temp_files.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace ti = typenet::image;
using typenet::testing::operator+;

namespace {

const std::string photo_png = TYPENET_FIXTURE_DIR "/images/photo_397x300.png";
const std::string photo_jpeg = TYPENET_FIXTURE_DIR "/images/photo_283x411.jpg";

bytes big_endian(std::uint32_t v) {
    return {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
}

// A PNG chunk with its CRC.
bytes chunk(std::string_view kind, const bytes& data) {
    bytes kind_and_data(kind.begin(), kind.end());
    kind_and_data = kind_and_data + data;
    const auto crc = crc32(0, kind_and_data.data(), static_cast<unsigned>(kind_and_data.size()));
    return big_endian(std::uint32_t(data.size())) + kind_and_data + big_endian(std::uint32_t(crc));
}

// An 8-bit RGB PNG of `width`×`height` pixels up to its pixels: its signature, its header,
// and an empty data chunk.
bytes png_start(std::uint32_t width, std::uint32_t height) {
    return bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'} +
           chunk("IHDR", big_endian(width) + big_endian(height) + bytes{8, 2, 0, 0, 0}) + chunk("IDAT", {});
}

// Where the JPEG's baseline frame header (SOF0: length, precision, height, width, …) starts.
std::size_t start_of_frame(const bytes& jpeg) {
    for (std::size_t i = 2; i + 9 < jpeg.size(); ++i)
        if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) return i;
    BOOST_FAIL("the JPEG has no SOF0 marker");
    return 0;
}

bytes first(const bytes& b, std::size_t count) { return bytes(b.begin(), b.begin() + std::ptrdiff_t(count)); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_path_and_memory_give_the_same_image) {
    for (const std::string& file : {photo_png, photo_jpeg}) {
        const ti::bitmap from_path = ti::read_image(file);
        const ti::bitmap from_memory = ti::decode_image(read_all(file), "in memory");
        BOOST_TEST(from_path.channels == 3u);
        BOOST_TEST(from_path.bytes == from_memory.bytes);
    }
    const ti::bitmap png = ti::read_image(photo_png);
    BOOST_TEST(png.cols == 397u);
    BOOST_TEST(png.rows == 300u);
    BOOST_TEST(ti::read_image(photo_jpeg, ti::color::gray).channels == 1u);
}

BOOST_AUTO_TEST_CASE(the_format_is_told_by_the_content_not_the_name) {
    temp_dir dir;
    const auto misnamed = dir.write("really_a_png.jpg", read_all(photo_png));
    BOOST_TEST(ti::read_image(misnamed).bytes == ti::read_image(photo_png).bytes);
}

BOOST_AUTO_TEST_CASE(a_truncated_png_is_an_error) {
    temp_dir dir;
    const bytes whole = read_all(photo_png);
    const auto half = dir.write("half.png", first(whole, whole.size() / 2));
    check_error([&] { ti::read_image(half); }, {"half.png", "truncated PNG", "the file ends after"});
    // Every pixel there, the end chunk missing.
    const auto no_end = dir.write("no_end.png", first(whole, whole.size() - 12));
    check_error([&] { ti::read_image(no_end); }, {"no_end.png", "truncated PNG"});
    check_error([&] { ti::decode_image(first(whole, 30), "header only"); }, {"header only", "truncated PNG"});
}

BOOST_AUTO_TEST_CASE(a_truncated_jpeg_is_an_error) {
    temp_dir dir;
    const bytes whole = read_all(photo_jpeg);
    const auto half = dir.write("half.jpg", first(whole, whole.size() / 2));
    check_error([&] { ti::read_image(half); }, {"half.jpg", "truncated JPEG", "the file ends after"});
    check_error([&] { ti::decode_image(first(whole, whole.size() - 2), "no end marker"); },
                {"no end marker", "truncated JPEG"});
    check_error([&] { ti::decode_image(first(whole, 100), "header cut"); }, {"header cut", "truncated JPEG"});
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_an_image_is_an_error) {
    temp_dir dir;
    const std::string_view text = "<!DOCTYPE html> not an image";
    const auto page = dir.write("page.png", bytes(text.begin(), text.end()));
    check_error([&] { ti::read_image(page); },
                {"page.png", "not a PNG or JPEG image: the file starts with 3c 21 44 4f 43 54 59 50"});
    const auto empty = dir.write("empty.jpg", bytes{});
    check_error([&] { ti::read_image(empty); }, {"empty.jpg", "empty file: 0 bytes"});
    check_error(
        [&] {
            ti::decode_image(bytes{'G', 'I', 'F', '8', '9', 'a', 1, 0}, "anim.gif");
        },
        {"anim.gif", "GIF image: only PNG and JPEG images are read"});
    check_error([&] { ti::read_image(dir / "missing.png"); }, {"missing.png", "cannot open: No such file"});
    check_error([&] { ti::read_image(dir.path()); }, {"cannot read"});
}

BOOST_AUTO_TEST_CASE(a_corrupt_image_is_an_error) {
    bytes png = read_all(photo_png);
    png[20] ^= 1;  // inside the header chunk: its CRC no longer matches
    check_error([&] { ti::decode_image(png, "flipped.png"); }, {"flipped.png", "corrupt PNG", "CRC error"});
    bytes jpeg = read_all(photo_jpeg);
    jpeg[start_of_frame(jpeg) + 4] = 7;  // the precision: 8 bits
    check_error([&] { ti::decode_image(jpeg, "7 bits.jpg"); }, {"7 bits.jpg", "corrupt JPEG", "precision 7"});
}

BOOST_AUTO_TEST_CASE(empty_and_absurdly_large_images_are_errors) {
    check_error([&] { ti::decode_image(png_start(0, 10), "zero.png"); },
                {"zero.png", "corrupt PNG: Invalid IHDR data; libpng warned first: Image width is zero in IHDR"});
    check_error([&] { ti::decode_image(png_start(100000, 100000), "huge.png"); },
                {"huge.png", "PNG image too large: 100000x100000 pixels, more than the 268435456 allowed"});
    check_error([&] { ti::read_image(photo_jpeg, ti::color::rgb, 100000); },
                {"photo_283x411.jpg", "JPEG image too large: 283x411 pixels, more than the 100000 allowed"});
    // A JPEG header claiming 0 rows.
    bytes jpeg = read_all(photo_jpeg);
    jpeg[start_of_frame(jpeg) + 5] = jpeg[start_of_frame(jpeg) + 6] = 0;
    check_error([&] { ti::decode_image(jpeg, "no rows.jpg"); }, {"no rows.jpg", "corrupt JPEG"});
}
