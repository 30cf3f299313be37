// Tests typenet/data/augmentation.hpp: crops and flips by hand on a small image, what the
// draws come to over many keys, and the trainer using them.
#define BOOST_TEST_MODULE augmentation
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <set>
#include <utility>
#include <vector>

#include <typenet/data/augmentation.hpp>

namespace td = typenet::data;

namespace {

// A 2×3×4 image whose values name their place: 100·c + 10·y + x + 1 (0 is padding).
std::vector<float> numbered() {
    std::vector<float> image(24);
    for (int c = 0; c < 2; ++c)
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x) image[std::size_t((c * 3 + y) * 4 + x)] = float(100 * c + 10 * y + x + 1);
    return image;
}

// The shift (dy, dx) and flip that key's augmentation made of numbered(), read back
// from a value that survived: each output value names the input place it came from.
struct seen {
    int dy, dx;
    bool flip;
};

seen apply(const td::augmentation& how, std::uint64_t key, std::vector<float>& image) {
    image = numbered();
    std::vector<float> work(image.size());
    how.apply(std::span<float>(image), std::span<float>(work), 2, 3, 4, key);
    // Every output is 0 or the input at (y + dy, x' + dx), x' = x or 3 - x, the same
    // dy, dx and flip for every value and both channels.
    for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx)
            for (const bool flip : {false, true}) {
                bool fits = true;
                for (int c = 0; c < 2 && fits; ++c)
                    for (int y = 0; y < 3 && fits; ++y)
                        for (int x = 0; x < 4 && fits; ++x) {
                            const int sy = y + dy, sx = (flip ? 3 - x : x) + dx;
                            const bool inside = sy >= 0 && sy < 3 && sx >= 0 && sx < 4;
                            const float expected = inside ? float(100 * c + 10 * sy + sx + 1) : 0.f;
                            fits = image[std::size_t((c * 3 + y) * 4 + x)] == expected;
                        }
                if (fits) return {dy, dx, flip};
            }
    BOOST_FAIL("the output is no shift or flip of the input");
    return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(nothing_by_default) {
    const td::augmentation none;
    BOOST_TEST(!none.enabled());
    std::vector<float> image;
    const seen s = apply(none, 5, image);
    BOOST_TEST((s.dy == 0 && s.dx == 0 && !s.flip));
    BOOST_TEST(image == numbered());
}

// Over many keys: every shift of up to the padding each way, both flips, about evenly,
// and the same key gives the same image.
BOOST_AUTO_TEST_CASE(shifts_and_flips_cover_their_range) {
    const td::augmentation how{.crop_padding = 2, .horizontal_flip = true};
    std::set<std::pair<int, int>> shifts;
    int flips = 0;
    std::vector<float> image, again;
    for (std::uint64_t key = 0; key < 2000; ++key) {
        const seen s = apply(how, key, image);
        BOOST_TEST((s.dy >= -2 && s.dy <= 2 && s.dx >= -2 && s.dx <= 2));
        shifts.insert({s.dy, s.dx});
        flips += s.flip;
        apply(how, key, again);
        BOOST_TEST(image == again);
    }
    BOOST_TEST(shifts.size() == 25u);
    BOOST_TEST((flips > 900 && flips < 1100));
}

BOOST_AUTO_TEST_CASE(a_flip_alone_mirrors_each_row) {
    const td::augmentation how{.horizontal_flip = true};
    std::vector<float> image;
    std::uint64_t key = 0;
    while (!apply(how, key, image).flip) ++key;
    BOOST_TEST(image[0] == 4.f);    // (c 0, y 0, x 0) holds x 3
    BOOST_TEST(image[23] == 121.f);  // (c 1, y 2, x 3) holds x 0
}
