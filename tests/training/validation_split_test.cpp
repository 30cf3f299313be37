// Tests typenet/training/validation_split.hpp: sizes class by class, two parts that make
// up the set without sharing a sample, the same split from the same seed, bad arguments.
#define BOOST_TEST_MODULE validation_split
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/training/validation_split.hpp>

#include "../support/squares.hpp"

namespace tn = typenet;

// 100 samples of class 0, 40 of class 1, 7 of class 2, 1 of class 3, in a mixed order.
tn::data::labeled_set unbalanced() {
    std::vector<std::uint8_t> labels;
    for (std::uint8_t c : {0, 1, 2, 3})
        for (int k = 0; k < std::array{100, 40, 7, 1}[c]; ++k) labels.push_back(c);
    std::mt19937 rng(5);
    std::shuffle(labels.begin(), labels.end(), rng);
    auto set = tn::testing::squares(labels.size(), 1);
    set.labels = labels;
    return set;
}

std::size_t count_of(const std::vector<std::uint8_t>& labels, std::uint8_t c) {
    return std::size_t(std::count(labels.begin(), labels.end(), c));
}

BOOST_AUTO_TEST_CASE(each_class_gives_its_share_to_validation) {
    const auto set = unbalanced();
    const auto split = tn::split_validation(set, 0.2, 1);
    // round(0.2 × n), at least 1 and at most n - 1; the single sample of class 3 trains.
    const std::array<std::size_t, 4> expected{20, 8, 1, 0};
    for (std::uint8_t c = 0; c < 4; ++c) {
        BOOST_TEST(count_of(split.validation.labels, c) == expected[c]);
        BOOST_TEST(count_of(split.train.labels, c) == count_of(set.labels, c) - expected[c]);
    }
    BOOST_TEST(split.validation.size() == 29u);
    BOOST_TEST(split.train.size() == set.size() - 29u);
    BOOST_TEST(split.train.images.rows == 6u);
    BOOST_TEST(split.validation.images.image_size() == set.images.image_size());
}

BOOST_AUTO_TEST_CASE(the_parts_make_up_the_set_without_sharing_a_sample) {
    const auto set = unbalanced();
    const auto split = tn::split_validation(set, 0.3, 2);
    std::vector<std::size_t> all = split.train_indices;
    all.insert(all.end(), split.validation_indices.begin(), split.validation_indices.end());
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> every(set.size());
    std::iota(every.begin(), every.end(), std::size_t{0});
    BOOST_TEST(all == every, boost::test_tools::per_element());  // disjoint, and together the set
    BOOST_TEST(std::is_sorted(split.train_indices.begin(), split.train_indices.end()));  // the set's order
    BOOST_TEST(std::is_sorted(split.validation_indices.begin(), split.validation_indices.end()));
    // Each sample is the one its index names, image and label.
    const auto check = [&](const tn::data::labeled_set& part, const std::vector<std::size_t>& indices) {
        BOOST_TEST_REQUIRE(part.size() == indices.size());
        for (std::size_t i = 0; i < part.size(); ++i) {
            BOOST_TEST(part.labels[i] == set.labels[indices[i]]);
            const auto a = part.images.image(i), b = set.images.image(indices[i]);
            BOOST_TEST(std::equal(a.begin(), a.end(), b.begin(), b.end()));
        }
    };
    check(split.train, split.train_indices);
    check(split.validation, split.validation_indices);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_split) {
    const auto set = unbalanced();
    const auto a = tn::split_validation(set, 0.25, 7), b = tn::split_validation(set, 0.25, 7),
               c = tn::split_validation(set, 0.25, 8);
    BOOST_TEST(a.validation_indices == b.validation_indices, boost::test_tools::per_element());
    BOOST_TEST(a.train.images.pixels == b.train.images.pixels, boost::test_tools::per_element());
    BOOST_TEST(a.validation_indices.size() == c.validation_indices.size());
    BOOST_TEST(a.validation_indices != c.validation_indices);  // another seed draws other samples
}

// Runs `f`, which must throw std::invalid_argument with `part` in its message.
template <class F>
void check_refused(F&& f, const std::string& part) {
    std::string message;
    try {
        f();
    } catch (const std::invalid_argument& e) {
        message = e.what();
    }
    BOOST_TEST(message.find(part) != std::string::npos, "\"" << message << "\" lacks \"" << part << "\"");
}

BOOST_AUTO_TEST_CASE(refuses_a_fraction_outside_0_to_1_and_a_set_it_cannot_split) {
    const auto set = tn::testing::squares(30, 1);
    for (const double bad : {0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()})
        check_refused([&] { tn::split_validation(set, bad, 1); },
                      fmt::format("the fraction must lie strictly between 0 and 1, not {}", bad));
    check_refused([&] { tn::split_validation(tn::testing::squares(3, 1), 0.5, 1); },
                  "none of the 3 samples can be spared for validation: no class has two");
    check_refused([&] { tn::split_validation(tn::data::labeled_set{}, 0.5, 1); }, "none of the 0 samples");
    auto inconsistent = set;
    inconsistent.labels.pop_back();
    check_refused([&] { tn::split_validation(inconsistent, 0.5, 1); }, "30 images, 29 labels");
    // The smallest set that splits: two samples of one class, one in each part.
    const auto two = tn::split_validation(tn::testing::squares(4, 1), 0.01, 1);  // labels 0, 1, 2, 0
    BOOST_TEST(two.validation.size() == 1u);
    BOOST_TEST(two.validation.labels[0] == 0);
    BOOST_TEST(two.train.size() == 3u);
}
