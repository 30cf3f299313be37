/// Defines `typenet::data::augmentation`: seeded random crops and horizontal flips of
/// training images, torchvision's `RandomCrop(size, padding)` and `RandomHorizontalFlip()`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include <typenet/layer.hpp>

namespace typenet::data {

/// What is done to each training image before a training pass sees it. Each image draws
/// from its own key (the trainer's: seed, epoch and place in the epoch), so that a run is
/// the same on any number of threads and every epoch sees other crops.
struct augmentation {
    /// The image is padded with this many zeros on each side and a window of its own
    /// size is cut at random from it: a shift of up to `crop_padding` pixels each way.
    std::size_t crop_padding = 0;
    /// Mirror left to right, with probability 1/2.
    bool horizontal_flip = false;

    bool enabled() const { return crop_padding > 0 || horizontal_flip; }

    /// Applies the augmentation to one image of `channels`×`height`×`width` values,
    /// channels first, using `work` (as many values) as scratch.
    template <class T>
    void apply(std::span<T> image, std::span<T> work, std::size_t channels, std::size_t height, std::size_t width,
               std::uint64_t key) const {
        const train_context draw{key};
        const long span = 2 * long(crop_padding) + 1;
        const long dy = crop_padding ? long(draw.uniform(0) * double(span)) - long(crop_padding) : 0;
        const long dx = crop_padding ? long(draw.uniform(1) * double(span)) - long(crop_padding) : 0;
        const bool flip = horizontal_flip && draw.uniform(2) < 0.5;
        std::copy(image.begin(), image.end(), work.begin());
        const long h = long(height), w = long(width);
        for (std::size_t c = 0; c < channels; ++c)
            for (long y = 0; y < h; ++y)
                for (long x = 0; x < w; ++x) {
                    // out(y, x) = the padded image at (y + dy, x' + dx), x' mirrored if flipped.
                    const long sy = y + dy, sx = (flip ? w - 1 - x : x) + dx;
                    const bool inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    image[std::size_t((long(c) * h + y) * w + x)] =
                        inside ? work[std::size_t((long(c) * h + sy) * w + sx)] : T(0);
                }
    }
};

}  // namespace typenet::data
