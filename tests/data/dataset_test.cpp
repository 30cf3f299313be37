// Tests typenet/data/dataset.hpp: where each image of a set lies.
#define BOOST_TEST_MODULE dataset
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <typenet/data/dataset.hpp>

using namespace typenet::data;

BOOST_AUTO_TEST_CASE(image_i_is_the_ith_block_of_channels_rows_cols) {
    image_set set{3, 2, 1, 2, {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23}};
    BOOST_TEST(set.image_size() == 4u);
    const image_set& view = set;
    BOOST_TEST(view.image(0).data() == set.pixels.data());
    BOOST_TEST(view.image(2).size() == 4u);
    BOOST_TEST(view.image(2)[0] == 20.0f);
    BOOST_TEST(view.image(2)[3] == 23.0f);
    set.image(1)[2] = -1.0f;
    BOOST_TEST(set.pixels[6] == -1.0f);
}

BOOST_AUTO_TEST_CASE(image_past_the_end_throws) {
    image_set set{3, 2, 1, 2, std::vector<float>(12)};
    BOOST_CHECK_EXCEPTION(set.image(3), std::out_of_range, [](const std::out_of_range& e) {
        return std::string(e.what()) == "image_set: image 3 asked for, the set has 3";
    });
}

BOOST_AUTO_TEST_CASE(labeled_set_size_is_its_image_count) {
    const labeled_set set{{2, 1, 1, 1, {0.5f, 1.0f}}, {3, 4}};
    BOOST_TEST(set.size() == 2u);
}
