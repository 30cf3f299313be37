// Tests typenet/image/transforms.hpp and resample.hpp by hand-computed values and by what
// the random transforms must be: the same draw, the same output; a window of the input; a
// mirror. (torchvision_parity_test checks resize and center_crop against torchvision.)
#define BOOST_TEST_MODULE transforms
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

#include <typenet/image/transforms.hpp>

namespace ti = typenet::image;
using typenet::train_context;

namespace {

// A `rows`×`cols` RGB image whose pixels tell where they are: (y, x, y + x) mod 256.
ti::bitmap positions(std::size_t rows, std::size_t cols) {
    ti::bitmap picture(rows, cols, 3);
    for (std::size_t y = 0; y < rows; ++y)
        for (std::size_t x = 0; x < cols; ++x) {
            picture.at(y, x, 0) = std::uint8_t(y);
            picture.at(y, x, 1) = std::uint8_t(x);
            picture.at(y, x, 2) = std::uint8_t(y + x);
        }
    return picture;
}

// Whether `window` is `picture`'s at some (top, left).
bool is_window_of(const ti::bitmap& window, const ti::bitmap& picture) {
    for (std::size_t top = 0; top + window.rows <= picture.rows; ++top)
        for (std::size_t left = 0; left + window.cols <= picture.cols; ++left)
            if (ti::crop(picture, long(top), long(left), window.rows, window.cols).bytes == window.bytes) return true;
    return false;
}

}  // namespace

// Halving [0, 70, 140, 210]: the triangle, twice as wide, spans 3 pixels for each output,
// weights (3, 3, 1)/7 and (1, 3, 3)/7: 350/7 = 50 and 1120/7 = 160.
BOOST_AUTO_TEST_CASE(shrinking_averages_under_a_widened_triangle) {
    ti::bitmap row(1, 4, 1);
    row.bytes = {0, 70, 140, 210};
    BOOST_TEST(ti::resample_bilinear(row, 1, 2).bytes == (std::vector<std::uint8_t>{50, 160}),
               boost::test_tools::per_element());
    ti::bitmap column(4, 1, 1);
    column.bytes = row.bytes;
    BOOST_TEST(ti::resample_bilinear(column, 2, 1).bytes == (std::vector<std::uint8_t>{50, 160}),
               boost::test_tools::per_element());
}

// Doubling [0, 100]: centres at 0.25 and 0.75 of the first pixel read it with weights 1
// and (0.75, 0.25): 0, 25, 75, 100.
BOOST_AUTO_TEST_CASE(enlarging_interpolates) {
    ti::bitmap row(1, 2, 1);
    row.bytes = {0, 100};
    BOOST_TEST(ti::resample_bilinear(row, 1, 4).bytes == (std::vector<std::uint8_t>{0, 25, 75, 100}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(resize_scales_the_shorter_side_and_truncates_the_other) {
    const ti::bitmap wide = ti::resize{256}(positions(300, 397));
    BOOST_TEST(wide.rows == 256u);
    BOOST_TEST(wide.cols == 338u);  // int(256 * 397 / 300) = int(338.77)
    const ti::bitmap tall = ti::resize{256}(positions(411, 283));
    BOOST_TEST(tall.cols == 256u);
    BOOST_TEST(tall.rows == 371u);  // int(371.79)
    const ti::bitmap already = positions(256, 300);
    BOOST_TEST(ti::resize{256}(already).bytes == already.bytes);
}

// Offsets round((size - window) / 2) with halves to even, as Python rounds: 3/2 → 2, 5/2 → 2.
BOOST_AUTO_TEST_CASE(center_crop_rounds_as_python) {
    const ti::bitmap picture = positions(20, 12);
    const ti::bitmap a = ti::center_crop{17, 7}(picture);  // (20 - 17) / 2 = 1.5 → 2; (12 - 7) / 2 = 2.5 → 2
    BOOST_TEST(a.at(0, 0, 0) == 2);
    BOOST_TEST(a.at(0, 0, 1) == 2);
    const ti::bitmap b = ti::center_crop{18, 3}(picture);  // 1; 4.5 → 4
    BOOST_TEST(b.at(0, 0, 0) == 1);
    BOOST_TEST(b.at(0, 0, 1) == 4);
    // A window larger than the image: black around it, (window - size) // 2 before.
    const ti::bitmap padded = ti::center_crop{23, 12}(picture);
    BOOST_TEST(padded.at(0, 5, 0) == 0);
    BOOST_TEST(padded.at(1, 5, 0) == 0);  // row 0 of the image
    BOOST_TEST(padded.at(1, 5, 1) == 5);
    BOOST_TEST(padded.at(2, 5, 0) == 1);
    BOOST_TEST(padded.at(22, 5, 1) == 0);
}

BOOST_AUTO_TEST_CASE(random_crop_is_a_window_drawn_from_the_key) {
    const ti::bitmap picture = positions(40, 50);
    const ti::random_crop crop{24, 30};
    std::set<std::vector<std::uint8_t>> seen;
    for (std::uint64_t key = 0; key < 20; ++key) {
        const ti::bitmap window = crop(picture, train_context{key});
        BOOST_TEST(window.rows == 24u);
        BOOST_TEST(window.cols == 30u);
        BOOST_TEST(is_window_of(window, picture));
        BOOST_TEST(crop(picture, train_context{key}).bytes == window.bytes);  // the same key, the same window
        seen.insert(window.bytes);
    }
    BOOST_TEST(seen.size() >= 15u);  // 20 keys among 17 × 21 places
    BOOST_CHECK_THROW(ti::random_crop(41)(picture, train_context{1}), std::invalid_argument);
    BOOST_TEST(ti::random_crop(40, 50)(picture, train_context{1}).bytes == picture.bytes);
}

BOOST_AUTO_TEST_CASE(random_horizontal_flip_mirrors_half_the_time) {
    const ti::bitmap picture = positions(5, 7);
    const ti::bitmap mirror = ti::mirrored(picture);
    for (std::size_t x = 0; x < 7; ++x) BOOST_TEST(mirror.at(3, x, 1) == 6 - x);
    BOOST_TEST(ti::mirrored(mirror).bytes == picture.bytes);
    BOOST_TEST(ti::random_horizontal_flip{1.0}(picture, train_context{3}).bytes == mirror.bytes);
    BOOST_TEST(ti::random_horizontal_flip{0.0}(picture, train_context{3}).bytes == picture.bytes);
    int flipped = 0;
    for (std::uint64_t key = 0; key < 200; ++key) {
        const ti::bitmap out = ti::random_horizontal_flip{}(picture, train_context{key});
        BOOST_TEST((out.bytes == mirror.bytes || out.bytes == picture.bytes));
        BOOST_TEST(ti::random_horizontal_flip{}(picture, train_context{key}).bytes == out.bytes);
        flipped += out.bytes == mirror.bytes;
    }
    BOOST_TEST(flipped > 70);
    BOOST_TEST(flipped < 130);
}

BOOST_AUTO_TEST_CASE(compose_runs_the_steps_in_order_each_with_its_own_draws) {
    const ti::bitmap picture = positions(60, 80);
    const ti::compose train{ti::resize{40}, ti::random_crop{32}, ti::random_horizontal_flip{}};
    const ti::bitmap a = train(picture, 7);
    BOOST_TEST(a.rows == 32u);
    BOOST_TEST(a.cols == 32u);
    BOOST_TEST(train(picture, 7).bytes == a.bytes);
    std::set<std::vector<std::uint8_t>> seen;
    for (std::uint64_t key = 0; key < 10; ++key) seen.insert(train(picture, key).bytes);
    BOOST_TEST(seen.size() >= 8u);
    // The same as the steps one by one, with the draws compose gives them.
    const ti::bitmap by_hand = ti::random_horizontal_flip{}(
        ti::random_crop{32}(ti::resize{40}(picture), train_context{7}.at(1)), train_context{7}.at(2));
    BOOST_TEST(by_hand.bytes == a.bytes);
    BOOST_TEST(ti::compose<>{}(picture).bytes == picture.bytes);
}
