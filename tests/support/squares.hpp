// A small synthetic classification problem for the tests of training: three classes of
// 1×6×6 images told apart by where a bright square sits (left, middle, right), with noise.
//
//     const auto train_set = typenet::testing::squares(300, 1), test_set = typenet::testing::squares(90, 2);
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <typenet/data/dataset.hpp>

namespace typenet::testing {

/// `count` images, labelled 0, 1, 2, 0, … in turn; the noise is drawn from `seed`.
inline data::labeled_set squares(std::size_t count, unsigned seed) {
    data::labeled_set set;
    set.images = {count, 1, 6, 6, std::vector<float>(count * 36)};
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(0.0f, 0.3f);
    for (std::size_t n = 0; n < count; ++n) {
        const std::uint8_t label = std::uint8_t(n % 3);
        auto image = set.images.image(n);
        for (std::size_t i = 0; i < 36; ++i) image[i] = noise(rng);
        for (std::size_t y = 2; y < 4; ++y)
            for (std::size_t x = 2u * label; x < 2u * label + 2u; ++x) image[y * 6 + x] += 1.0f;
        set.labels.push_back(label);
    }
    return set;
}

}  // namespace typenet::testing
