/// Defines `typenet::data::read_cifar10_batch` and `typenet::data::load_cifar10`: readers
/// of the CIFAR-10 binary version (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/byte_stream.hpp>
#include <typenet/data/data_error.hpp>
#include <typenet/data/dataset.hpp>

namespace typenet::data {

/// The images of CIFAR-10: 3×32×32, in 10 classes.
inline constexpr std::size_t cifar10_channels = 3, cifar10_rows = 32, cifar10_cols = 32, cifar10_classes = 10;

/// The most records a reader takes from one file unless told otherwise: all of CIFAR-10
/// (50000 training and 10000 test images), where a batch file holds 10000.
inline constexpr std::size_t cifar10_max_records = 60000;

/// Which files `load_cifar10` reads: the five training batches or the test batch.
enum class cifar10_split { train, test };

namespace detail {

// A record: one label byte, then the red, green and blue planes of 32×32 bytes each, row
// by row, already channels first.
inline constexpr std::size_t cifar10_image_size = cifar10_channels * cifar10_rows * cifar10_cols;
inline constexpr std::size_t cifar10_record_size = 1 + cifar10_image_size;

// Appends the records of `file` to `set`, which holds CIFAR-10 images (or none yet), one
// record at a time: a file of more than `max_records` is refused once they are read.
inline void append_cifar10_batch(labeled_set& set, const std::filesystem::path& file, std::size_t max_records) {
    byte_stream in(file);
    set.images.channels = cifar10_channels;
    set.images.rows = cifar10_rows;
    set.images.cols = cifar10_cols;
    const std::size_t expected = std::min(max_records, in.size_hint().value_or(0) / cifar10_record_size);
    set.images.pixels.reserve(set.images.pixels.size() + expected * cifar10_image_size);
    set.labels.reserve(set.labels.size() + expected);
    std::array<std::uint8_t, cifar10_record_size> record;
    std::size_t r = 0;
    for (;; ++r) {
        const std::size_t n = in.read(record);
        if (n == 0) break;
        if (n < record.size()) {
            throw data_error(file, fmt::format("bad size: {} bytes is not a whole number of {}-byte records (1 label "
                                               "+ 3x32x32 pixels): {} records, then {} bytes of record {}",
                                               r * cifar10_record_size + n, cifar10_record_size, r, n, r));
        }
        if (r == max_records)
            throw data_error(file, fmt::format("too large: more than {} records{} (pass a larger max_records to read "
                                               "more)",
                                               max_records, max_records == cifar10_max_records ? ", all of CIFAR-10" : ""));
        if (record[0] >= cifar10_classes)
            throw data_error(file, fmt::format("bad label: record {} (at byte {}) has label {}, expected 0 to {}", r,
                                               r * cifar10_record_size, record[0], cifar10_classes - 1));
        set.labels.push_back(record[0]);
        append_scaled(set.images.pixels, std::span(record).subspan(1));
    }
    if (r == 0)
        throw data_error(file, fmt::format("empty: file has 0 bytes, a CIFAR-10 batch holds records of {} bytes",
                                           cifar10_record_size));
    set.images.count += r;
}

}  // namespace detail

/// Reads one CIFAR-10 binary batch (gzip-compressed or not): 3×32×32 images scaled to
/// [0, 1] and their labels. Throws `data_error` if the file is empty, is not a whole
/// number of 3073-byte records, has a label above 9, or holds more than `max_records`
/// records (it reads no further: a pipe or a device can be read too).
///
///     labeled_set test = read_cifar10_batch("cifar-10-batches-bin/test_batch.bin");
inline labeled_set read_cifar10_batch(const std::filesystem::path& file, std::size_t max_records = cifar10_max_records) {
    labeled_set set;
    detail::append_cifar10_batch(set, file, max_records);
    return set;
}

/// Reads the training set (`data_batch_1.bin` … `data_batch_5.bin`, in that order) or the
/// test set (`test_batch.bin`) from `dir`, each file without or else with `.gz`.
///
///     labeled_set train = load_cifar10("cifar-10-batches-bin", cifar10_split::train);
inline labeled_set load_cifar10(const std::filesystem::path& dir, cifar10_split split) {
    labeled_set set;
    if (split == cifar10_split::test) {
        detail::append_cifar10_batch(set, detail::plain_or_gzip(dir, "test_batch.bin"), cifar10_max_records);
    } else {
        for (int batch = 1; batch <= 5; ++batch)
            detail::append_cifar10_batch(set, detail::plain_or_gzip(dir, fmt::format("data_batch_{}.bin", batch)),
                                         cifar10_max_records);
    }
    return set;
}

}  // namespace typenet::data
