// Tests typenet/image/ against torchvision and PIL (tests/fixtures/images.bin, written by
// make_image_fixtures.py from the images in tests/fixtures/images/): decoding PNG and JPEG
// in every colour type, Resize and CenterCrop, ToTensor and Normalize.
#define BOOST_TEST_MODULE torchvision_parity
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <typenet/image/read_image.hpp>
#include <typenet/image/tensor.hpp>
#include <typenet/image/transforms.hpp>

#include "../support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace ti = typenet::image;

namespace {

// A file, what is done to it, and torchvision's tensor (as bytes: ToTensor's values × 255).
struct image_case {
    std::string file;
    ti::color to;
    std::size_t resize, crop_rows, crop_cols, channels, rows, cols;
    std::vector<std::uint8_t> expected;
};

struct torchvision_values {
    std::array<float, 256> scaled;                     // ToTensor of the bytes 0…255
    std::array<std::array<float, 256>, 3> normalized;  // Normalize(ImageNet) of those
    std::vector<image_case> cases;
};

const torchvision_values& torchvision() {
    static const torchvision_values values = [] {
        typenet::testing::fixture_reader in(typenet::testing::fixture_path(TYPENET_FIXTURE_DIR "/images.bin"));
        in.expect_header("TNIM", 1);
        torchvision_values read;
        for (float& v : read.scaled) v = in.f32();
        for (auto& channel : read.normalized)
            for (float& v : channel) v = in.f32();
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            image_case c;
            c.file = in.take(in.u32());
            c.to = in.u32() == 0 ? ti::color::rgb : ti::color::gray;
            for (std::size_t* field : {&c.resize, &c.crop_rows, &c.crop_cols, &c.channels, &c.rows, &c.cols})
                *field = in.u32();
            c.expected = in.u8s(c.channels * c.rows * c.cols);
            read.cases.push_back(std::move(c));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return values;
}

ti::bitmap transformed(const image_case& c) {
    ti::bitmap picture = ti::read_image(TYPENET_FIXTURE_DIR "/images/" + c.file, c.to);
    if (c.resize) picture = ti::resize{c.resize}(picture);
    if (c.crop_rows) picture = ti::center_crop{c.crop_rows, c.crop_cols}(picture);
    return picture;
}

std::string description(const image_case& c) {
    return c.file + (c.to == ti::color::rgb ? " RGB" : " gray") +
           (c.resize ? " Resize(" + std::to_string(c.resize) + ")" : "") +
           (c.crop_rows ? " CenterCrop(" + std::to_string(c.crop_rows) + ", " + std::to_string(c.crop_cols) + ")" : "");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_fixture_covers_every_colour_type) { BOOST_TEST(torchvision().cases.size() == 21u); }

// The acceptance: within 2/255 of torchvision before normalization. Each case's largest
// difference is printed (--log_level=message).
BOOST_AUTO_TEST_CASE(decoded_resized_and_cropped_as_torchvision) {
    const auto& scaled = torchvision().scaled;
    for (const image_case& c : torchvision().cases) {
        BOOST_TEST_CONTEXT(description(c)) {
            const ti::bitmap picture = transformed(c);
            BOOST_TEST_REQUIRE(picture.channels == c.channels);
            BOOST_TEST_REQUIRE(picture.rows == c.rows);
            BOOST_TEST_REQUIRE(picture.cols == c.cols);
            const std::vector<float> tensor = ti::to_tensor(picture);
            BOOST_TEST_REQUIRE(tensor.size() == c.expected.size());
            float largest = 0;
            std::size_t differing = 0;
            for (std::size_t i = 0; i < tensor.size(); ++i) {
                const float error = std::abs(tensor[i] - scaled[c.expected[i]]);
                largest = std::max(largest, error);
                differing += error > 0;
            }
            BOOST_TEST_MESSAGE(description(c) << ": largest difference " << std::lround(largest * 255) << "/255, "
                                              << differing << " of " << tensor.size() << " values differ");
            BOOST_TEST(largest <= 2.0f / 255 + 1e-7f);
        }
    }
}

BOOST_AUTO_TEST_CASE(to_tensor_is_torchvisions_channels_first_and_scaled) {
    const image_case& c = torchvision().cases.at(0);
    const ti::bitmap picture = transformed(c);
    const std::vector<float> tensor = ti::to_tensor(picture);
    const std::size_t plane = picture.rows * picture.cols;
    for (std::size_t y : {std::size_t{0}, picture.rows / 2, picture.rows - 1})
        for (std::size_t x : {std::size_t{0}, picture.cols / 3, picture.cols - 1})
            for (std::size_t ch = 0; ch < 3; ++ch)
                BOOST_TEST(tensor[ch * plane + y * picture.cols + x] == torchvision().scaled[picture.at(y, x, ch)]);
    for (std::size_t i = 0; i < tensor.size(); ++i)
        if (tensor[i] != torchvision().scaled[std::size_t(std::lround(tensor[i] * 255))]) BOOST_FAIL("value " << i);
}

// Normalize on our tensor is torchvision's Normalize on the same values, to the bit, and
// so within 2/255 / std of torchvision's whole pipeline.
BOOST_AUTO_TEST_CASE(normalized_as_torchvision) {
    const ti::normalize imagenet(ti::imagenet_mean, ti::imagenet_std);
    for (const image_case& c : torchvision().cases) {
        if (c.channels != 3) continue;
        BOOST_TEST_CONTEXT(description(c)) {
            const ti::bitmap picture = transformed(c);
            std::vector<float> tensor = ti::to_tensor(picture);
            imagenet(tensor);
            const std::size_t plane = c.rows * c.cols;
            bool same = true;
            float largest = 0;
            for (std::size_t ch = 0; ch < 3; ++ch)
                for (std::size_t p = 0; p < plane; ++p) {
                    const float ours = tensor[ch * plane + p];
                    same = same && ours == torchvision().normalized[ch][picture.bytes[p * 3 + ch]];
                    largest =
                        std::max(largest, std::abs(ours - torchvision().normalized[ch][c.expected[ch * plane + p]]));
                }
            BOOST_TEST(same);
            BOOST_TEST(largest <= 2.0f / 255 / ti::imagenet_std[2] + 1e-6f);
        }
    }
}
