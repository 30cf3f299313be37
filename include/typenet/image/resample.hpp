/// Defines `typenet::image::resample_bilinear`: PIL's `Image.resize(size, Image.BILINEAR)`,
/// antialiased when it shrinks, to the byte.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <typenet/image/bitmap.hpp>

namespace typenet::image {

namespace detail {

// PIL's fixed point (libImaging/Resample.c): weights scaled by 2^22, so that 255 times
// their sum, plus rounding, stays within an int32.
inline constexpr int resample_precision_bits = 32 - 8 - 2;

// For each output position along one axis, the input positions it reads (`first`, `count`)
// and their weights (`taps` of them per output position, the unused ones 0).
struct resample_weights {
    std::size_t taps = 0;
    std::vector<std::size_t> first, count;
    std::vector<std::int32_t> weights;
};

// PIL's precompute_coeffs and normalize_coeffs_8bpc for the triangle filter: shrinking by
// a factor s widens the filter to s input pixels each way (the antialiasing), and the
// window's bounds, weights and rounding to fixed point are PIL's, operation for operation.
inline resample_weights bilinear_weights(std::size_t in_size, std::size_t out_size) {
    const double scale = double(in_size) / double(out_size);
    const double filter_scale = std::max(scale, 1.0);
    const double support = filter_scale;  // the triangle's support, 1, widened
    resample_weights w;
    w.taps = std::size_t(std::ceil(support)) * 2 + 1;
    w.first.resize(out_size);
    w.count.resize(out_size);
    w.weights.assign(out_size * w.taps, 0);
    std::vector<double> k(w.taps);
    const double inverse_scale = 1.0 / filter_scale;  // PIL multiplies by it: the same rounding
    for (std::size_t o = 0; o < out_size; ++o) {
        const double center = (double(o) + 0.5) * scale;
        // C's truncation of centre ± support + 0.5, then clamped to the image.
        const long low = std::max(0L, long(center - support + 0.5));
        const long high = std::min(long(in_size), long(center + support + 0.5));
        const std::size_t count = std::size_t(high - low);
        double sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const double t = std::abs((double(low) + double(i) - center + 0.5) * inverse_scale);
            k[i] = t < 1.0 ? 1.0 - t : 0.0;
            sum += k[i];
        }
        for (std::size_t i = 0; i < count; ++i) {
            const double normalized = sum != 0.0 ? k[i] / sum : k[i];
            w.weights[o * w.taps + i] = std::int32_t(0.5 + normalized * (1 << resample_precision_bits));
        }
        w.first[o] = std::size_t(low);
        w.count[o] = count;
    }
    return w;
}

// Rounds a fixed-point sum (which starts at one half) to a byte, as PIL's clip8.
inline std::uint8_t fixed_point_to_byte(std::int32_t sum) {
    return static_cast<std::uint8_t>(std::clamp(sum >> resample_precision_bits, 0, 255));
}

}  // namespace detail

/// `picture` resized to `rows`×`cols` as PIL's `Image.resize((cols, rows), Image.BILINEAR)`
/// does: each output pixel a weighted mean of the input pixels under a triangle as wide as
/// the shrink factor (so that shrinking averages rather than skips), rows first, rounded
/// to bytes between the passes, as PIL does. The same size gives a copy.
///
///     bitmap half = resample_bilinear(picture, picture.rows / 2, picture.cols / 2);
inline bitmap resample_bilinear(const bitmap& picture, std::size_t rows, std::size_t cols) {
    if (rows == 0 || cols == 0 || picture.rows == 0 || picture.cols == 0)
        throw std::invalid_argument(
            fmt::format("typenet::image::resample_bilinear: cannot resize {}x{} pixels to {}x{}", picture.cols,
                        picture.rows, cols, rows));
    const std::size_t channels = picture.channels;
    const std::int32_t half = 1 << (detail::resample_precision_bits - 1);
    const auto horizontal = detail::bilinear_weights(picture.cols, cols);
    const auto vertical = detail::bilinear_weights(picture.rows, rows);

    // in: rows×cols×channels bytes  out: rows×out_cols×channels, PIL's ImagingResampleHorizontal_8bpc
    const auto resample_rows = [&](const bitmap& in, std::size_t first_row, std::size_t row_count) {
        bitmap out(row_count, cols, channels);
        for (std::size_t y = 0; y < row_count; ++y)
            for (std::size_t x = 0; x < cols; ++x) {
                const std::int32_t* k = &horizontal.weights[x * horizontal.taps];
                const std::uint8_t* from = &in.bytes[((first_row + y) * in.cols + horizontal.first[x]) * channels];
                for (std::size_t c = 0; c < channels; ++c) {
                    std::int32_t sum = half;
                    for (std::size_t i = 0; i < horizontal.count[x]; ++i) sum += from[i * channels + c] * k[i];
                    out.at(y, x, c) = detail::fixed_point_to_byte(sum);
                }
            }
        return out;
    };
    // in: any rows×cols×channels  out: rows×cols×channels, PIL's ImagingResampleVertical_8bpc,
    // input row r read at r - first_row
    const auto resample_columns = [&](const bitmap& in, std::size_t first_row) {
        bitmap out(rows, in.cols, channels);
        const std::size_t row_bytes = in.cols * channels;
        for (std::size_t y = 0; y < rows; ++y) {
            const std::int32_t* k = &vertical.weights[y * vertical.taps];
            const std::uint8_t* from = &in.bytes[(vertical.first[y] - first_row) * row_bytes];
            for (std::size_t b = 0; b < row_bytes; ++b) {
                std::int32_t sum = half;
                for (std::size_t i = 0; i < vertical.count[y]; ++i) sum += from[i * row_bytes + b] * k[i];
                out.bytes[y * row_bytes + b] = detail::fixed_point_to_byte(sum);
            }
        }
        return out;
    };

    const bool horizontally = cols != picture.cols, vertically = rows != picture.rows;
    if (!horizontally && !vertically) return picture;
    if (!horizontally) return resample_columns(picture, 0);
    // Only the input rows that the vertical pass reads go through the horizontal one.
    const std::size_t first_row = vertical.first.front();
    const std::size_t end_row = vertical.first.back() + vertical.count.back();
    bitmap wide = resample_rows(picture, vertically ? first_row : 0, vertically ? end_row - first_row : picture.rows);
    return vertically ? resample_columns(wide, first_row) : wide;
}

}  // namespace typenet::image
