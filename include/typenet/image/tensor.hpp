/// Defines `typenet::image::to_tensor` and `typenet::image::normalize`, torchvision's
/// `ToTensor()` and `Normalize(mean, std)`, and ImageNet's statistics to normalize with.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/dataset.hpp>
#include <typenet/image/bitmap.hpp>

namespace typenet::image {

/// The mean and the standard deviation of ImageNet's training images, per channel (red,
/// green, blue), that torchvision's pretrained models expect to be normalized with.
inline constexpr std::array<float, 3> imagenet_mean{0.485f, 0.456f, 0.406f};
inline constexpr std::array<float, 3> imagenet_std{0.229f, 0.224f, 0.225f};

/// Appends `picture` to `to` as torchvision's `ToTensor()` makes it: channels first
/// (C×H×W), each byte v as v / 255 in float.
inline void append_tensor(std::vector<float>& to, const bitmap& picture) {
    // The planes first as bytes, then data::detail::append_scaled's v / 255, the value every
    // reader of the library gives.
    std::vector<std::uint8_t> planes(picture.bytes.size());
    const std::size_t pixels = picture.rows * picture.cols;
    for (std::size_t p = 0; p < pixels; ++p)
        for (std::size_t c = 0; c < picture.channels; ++c)
            planes[c * pixels + p] = picture.bytes[p * picture.channels + c];
    data::detail::append_scaled(to, planes);
}

/// `picture` as torchvision's `ToTensor()` makes it: C×H×W floats in [0, 1].
///
///     std::vector<float> input = to_tensor(center_crop{224}(resize{256}(picture)));
inline std::vector<float> to_tensor(const bitmap& picture) {
    std::vector<float> tensor;
    append_tensor(tensor, picture);
    return tensor;
}

/// torchvision's `Normalize(mean, std)`: each channel c of a C×H×W tensor becomes
/// (x - mean[c]) / std[c], in float as torchvision computes it.
///
///     const normalize imagenet(imagenet_mean, imagenet_std);
///     imagenet(input);           // one image's C×H×W floats
///     imagenet(folder.set.images);   // every image of a data set
struct normalize {
    std::vector<float> mean, deviation;  // one per channel

    normalize(std::span<const float> means, std::span<const float> deviations)
        : mean(means.begin(), means.end()), deviation(deviations.begin(), deviations.end()) {
        if (mean.empty() || mean.size() != deviation.size())
            throw std::invalid_argument(
                fmt::format("typenet::image::normalize: {} means and {} standard deviations, "
                            "expected one of each per channel",
                            mean.size(), deviation.size()));
        for (float d : deviation)
            if (d == 0.0f)
                throw std::invalid_argument("typenet::image::normalize: a standard deviation is 0 (a division by 0)");
    }

    /// Normalizes one image of `mean.size()` channels, C×H×W.
    void operator()(std::span<float> tensor) const {
        const std::size_t channels = mean.size();
        if (tensor.size() % channels != 0)
            throw std::invalid_argument(
                fmt::format("typenet::image::normalize: {} values are not {} whole channels", tensor.size(), channels));
        const std::size_t plane = tensor.size() / channels;
        for (std::size_t c = 0; c < channels; ++c)
            for (float& x : tensor.subspan(c * plane, plane)) x = (x - mean[c]) / deviation[c];
    }

    /// Normalizes every image of `set`, which must have `mean.size()` channels.
    void operator()(data::image_set& set) const {
        if (set.channels != mean.size())
            throw std::invalid_argument(
                fmt::format("typenet::image::normalize: the images have {} channels, the "
                            "statistics {}",
                            set.channels, mean.size()));
        for (std::size_t i = 0; i < set.count; ++i) (*this)(set.image(i));
    }
};

}  // namespace typenet::image
