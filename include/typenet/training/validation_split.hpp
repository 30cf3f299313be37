/// Defines `typenet::split_validation`: a labelled set split into a training part and a
/// validation part, class by class, from a seed.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/dataset.hpp>

namespace typenet {

/// The two parts of a split set, and where each sample came from: `train.labels[i]` is
/// the label of sample `train_indices[i]` of the whole set. Both keep the set's order.
struct train_validation_split {
    data::labeled_set train, validation;
    std::vector<std::size_t> train_indices, validation_indices;
};

namespace detail {

// The samples of `set` at `indices`, in that order.
inline data::labeled_set labeled_subset(const data::labeled_set& set, std::span<const std::size_t> indices) {
    data::labeled_set part;
    part.images = {indices.size(), set.images.channels, set.images.rows, set.images.cols, {}};
    part.images.pixels.reserve(indices.size() * set.images.image_size());
    for (const std::size_t i : indices) {
        const auto image = set.images.image(i);
        part.images.pixels.insert(part.images.pixels.end(), image.begin(), image.end());
        part.labels.push_back(set.labels[i]);
    }
    return part;
}

}  // namespace detail

/// Splits `set` into training and validation samples, stratified: each class gives
/// round(`fraction` × its samples) to validation, but at least one and at most all but
/// one when it has two or more (a class with a single sample stays in training), so that
/// every class with two samples is found in both parts. Which samples go is drawn from
/// `seed`: the same seed and set give the same split on every run.
///
/// Throws std::invalid_argument if `fraction` is not strictly between 0 and 1, if the set
/// is inconsistent (a label per image, the pixels of `count` images), or if no class has
/// two samples (the validation part would be empty).
///
///     auto split = typenet::split_validation(train_set, 0.1, /*seed=*/1);
///     trainer.fit(split.train, split.validation, {.epochs = 20});
inline train_validation_split split_validation(const data::labeled_set& set, double fraction, std::uint64_t seed) {
    if (!(fraction > 0 && fraction < 1))
        throw std::invalid_argument(fmt::format(
            "typenet: split_validation: the fraction must lie strictly between 0 and 1, not {}", fraction));
    if (set.labels.size() != set.size() || set.images.pixels.size() != set.size() * set.images.image_size())
        throw std::invalid_argument(fmt::format(
            "typenet: split_validation: the set is inconsistent: {} images, {} labels, {} pixel values for images of {}",
            set.size(), set.labels.size(), set.images.pixels.size(), set.images.image_size()));
    std::array<std::vector<std::size_t>, 256> by_class;
    for (std::size_t i = 0; i < set.size(); ++i) by_class[set.labels[i]].push_back(i);

    std::mt19937_64 random(seed);
    std::vector<bool> to_validation(set.size(), false);
    for (std::vector<std::size_t>& members : by_class) {
        if (members.size() < 2) continue;
        const auto wanted = std::size_t(std::llround(fraction * double(members.size())));
        const std::size_t count = std::clamp<std::size_t>(wanted, 1, members.size() - 1);
        std::shuffle(members.begin(), members.end(), random);
        for (std::size_t k = 0; k < count; ++k) to_validation[members[k]] = true;
    }
    train_validation_split split;
    for (std::size_t i = 0; i < set.size(); ++i)
        (to_validation[i] ? split.validation_indices : split.train_indices).push_back(i);
    if (split.validation_indices.empty())
        throw std::invalid_argument(fmt::format(
            "typenet: split_validation: none of the {} samples can be spared for validation: no class has two", set.size()));
    split.train = detail::labeled_subset(set, split.train_indices);
    split.validation = detail::labeled_subset(set, split.validation_indices);
    return split;
}

}  // namespace typenet
