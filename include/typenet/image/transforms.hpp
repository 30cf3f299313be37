/// Defines torchvision's image transforms on `typenet::image::bitmap`: `resize`,
/// `center_crop`, `random_crop`, `random_horizontal_flip`, and `compose` to chain them; and
/// the operations they are made of, `crop` and `mirrored`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include <typenet/image/bitmap.hpp>
#include <typenet/image/resample.hpp>
#include <typenet/layer.hpp>  // train_context, the trainer's random draws

namespace typenet::image {

/// The `rows`×`cols` window of `picture` whose top left corner is at (`top`, `left`), which
/// may reach outside it: pixels outside are black, as PIL's `Image.crop` makes them.
///
///     bitmap corner = crop(picture, 0, 0, 32, 32);
inline bitmap crop(const bitmap& picture, long top, long left, std::size_t rows, std::size_t cols) {
    bitmap out(rows, cols, picture.channels);
    for (std::size_t y = 0; y < rows; ++y) {
        const long from_y = top + long(y);
        if (from_y < 0 || from_y >= long(picture.rows)) continue;
        for (std::size_t x = 0; x < cols; ++x) {
            const long from_x = left + long(x);
            if (from_x < 0 || from_x >= long(picture.cols)) continue;
            for (std::size_t c = 0; c < picture.channels; ++c)
                out.at(y, x, c) = picture.at(std::size_t(from_y), std::size_t(from_x), c);
        }
    }
    return out;
}

/// `picture` mirrored left to right.
inline bitmap mirrored(const bitmap& picture) {
    bitmap out(picture.rows, picture.cols, picture.channels);
    for (std::size_t y = 0; y < picture.rows; ++y)
        for (std::size_t x = 0; x < picture.cols; ++x)
            for (std::size_t c = 0; c < picture.channels; ++c) out.at(y, picture.cols - 1 - x, c) = picture.at(y, x, c);
    return out;
}

/// torchvision's `Resize(size)`: the shorter side to `size`, the other scaled alike (and
/// truncated, `int(size * long / short)`), by PIL's antialiased bilinear resampling. An
/// image whose shorter side is `size` already is left as it is.
///
///     bitmap smaller = resize{256}(picture);   // 397×300 → 338×256
struct resize {
    std::size_t size;

    bitmap operator()(const bitmap& picture) const {
        if (size == 0) throw std::invalid_argument("typenet::image::resize: the size must be at least 1");
        const bool wide = picture.cols >= picture.rows;
        const std::size_t shorter = wide ? picture.rows : picture.cols, longer = wide ? picture.cols : picture.rows;
        if (shorter == size) return picture;
        const auto scaled = std::size_t(double(size * longer) / double(shorter));  // in double, as Python's /
        if (scaled == 0)
            throw std::invalid_argument(
                fmt::format("typenet::image::resize: {}x{} pixels with the shorter side made {} "
                            "leaves the longer one 0",
                            picture.cols, picture.rows, size));
        return wide ? resample_bilinear(picture, size, scaled) : resample_bilinear(picture, scaled, size);
    }
};

/// torchvision's `CenterCrop`: the `rows`×`cols` window in the middle, its offsets
/// `round((height - rows) / 2)` as Python rounds (halves to even); a side shorter than the
/// window is padded with black, as torchvision pads it.
///
///     bitmap middle = center_crop{224}(smaller);
struct center_crop {
    std::size_t rows, cols;

    explicit center_crop(std::size_t size) : rows(size), cols(size) {}
    center_crop(std::size_t rows, std::size_t cols) : rows(rows), cols(cols) {}

    bitmap operator()(const bitmap& picture) const {
        return crop(picture, centered_start(picture.rows, rows), centered_start(picture.cols, cols), rows, cols);
    }

private:
    // Python's round((size - window) / 2.0), or torchvision's padding ((window - size) // 2
    // before) where the window is longer.
    static long centered_start(std::size_t size, std::size_t window) {
        if (window > size) return -long((window - size) / 2);
        const std::size_t half = (size - window) / 2;
        const bool tie = (size - window) % 2 == 1;
        return long(tie && half % 2 == 1 ? half + 1 : half);
    }
};

/// torchvision's `RandomCrop(size)`: a `rows`×`cols` window at a place drawn from `draw`;
/// throws std::invalid_argument if the image is smaller than the window.
///
///     bitmap patch = random_crop{224}(picture, typenet::train_context{seed});
struct random_crop {
    std::size_t rows, cols;

    explicit random_crop(std::size_t size) : rows(size), cols(size) {}
    random_crop(std::size_t rows, std::size_t cols) : rows(rows), cols(cols) {}

    // The draws are numbered as data::augmentation's: 0 the row, 1 the column.
    bitmap operator()(const bitmap& picture, train_context draw) const {
        if (picture.rows < rows || picture.cols < cols)
            throw std::invalid_argument(
                fmt::format("typenet::image::random_crop: the window, {}x{}, is larger than the "
                            "image, {}x{}",
                            cols, rows, picture.cols, picture.rows));
        const auto top = long(draw.uniform(0) * double(picture.rows - rows + 1));
        const auto left = long(draw.uniform(1) * double(picture.cols - cols + 1));
        return crop(picture, top, left, rows, cols);
    }
};

/// torchvision's `RandomHorizontalFlip(p)`: mirrored with probability `p`, drawn from `draw`.
struct random_horizontal_flip {
    double p = 0.5;

    // The draw is numbered as data::augmentation's flip: 2.
    bitmap operator()(const bitmap& picture, train_context draw) const {
        return draw.uniform(2) < p ? mirrored(picture) : picture;
    }
};

/// torchvision's `Compose`: the transforms one after the other. The random ones draw from
/// the key given with the image, each its own numbers: the same key, the same result.
///
///     const compose train{resize{256}, random_crop{224}, random_horizontal_flip{}};
///     bitmap seen = train(picture, key);
template <class... Steps>
struct compose {
    std::tuple<Steps...> steps;

    compose() = default;
    explicit compose(Steps... steps) requires(sizeof...(Steps) > 0) : steps(std::move(steps)...) {}

    bitmap operator()(bitmap picture, std::uint64_t key = 0) const {
        std::apply(
            [&](const auto&... step) {
                std::uint64_t index = 0;
                ((picture = apply(step, picture, train_context{key}.at(index++))), ...);
            },
            steps);
        return picture;
    }

private:
    template <class Step>
    static bitmap apply(const Step& step, const bitmap& picture, train_context draw) {
        if constexpr (std::is_invocable_r_v<bitmap, const Step&, const bitmap&, train_context>)
            return step(picture, draw);
        else
            return step(picture);
    }
};

}  // namespace typenet::image
