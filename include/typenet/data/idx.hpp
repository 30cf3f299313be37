/// Defines `typenet::data::read_idx_images`, `typenet::data::read_idx_labels` and
/// `typenet::data::load_mnist_like`: readers of IDX files, the format of MNIST and
/// Fashion-MNIST, gzip-compressed or not.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/data_error.hpp>
#include <typenet/data/dataset.hpp>
#include <typenet/data/file_bytes.hpp>

namespace typenet::data {

namespace detail {

// An IDX file: the magic number 0x00 0x00 <type code> <rank>, then `rank` big-endian
// 32-bit dimensions, then the values, the last dimension varying fastest.
struct idx_file {
    std::vector<std::uint8_t> bytes;  // the whole file, decompressed
    std::vector<std::size_t> dims;
    std::span<const std::uint8_t> values() const { return std::span(bytes).subspan(4 + 4 * dims.size()); }
};

inline std::string_view idx_type_name(std::uint8_t code) {
    switch (code) {
        case 0x08: return "unsigned byte";
        case 0x09: return "signed byte";
        case 0x0B: return "16-bit integer";
        case 0x0C: return "32-bit integer";
        case 0x0D: return "float";
        case 0x0E: return "double";
        default: return "not an IDX type";
    }
}

// Reads `file` and checks its header: an unsigned-byte IDX file of `rank` dimensions
// (`rank_meaning` says what they are, for the message), none of them 0. The caller checks
// the size of the values, as only it can describe them.
inline idx_file read_idx(const std::filesystem::path& file, std::size_t rank, std::string_view rank_meaning,
                         std::string_view holds) {
    idx_file idx{read_file_bytes(file), {}};
    const std::span<const std::uint8_t> b = idx.bytes;
    if (b.size() < 4)
        throw data_error(file, fmt::format("truncated header: file has {} bytes, an IDX file starts with a "
                                           "4-byte magic number",
                                           b.size()));
    if (b[0] != 0 || b[1] != 0)
        throw data_error(file, fmt::format("wrong magic number: {:#04x} {:#04x} {:#04x} {:#04x}, an IDX file "
                                           "starts with 0x00 0x00, its type code, its rank",
                                           b[0], b[1], b[2], b[3]));
    if (b[2] != 0x08)
        throw data_error(file, fmt::format("wrong type code: {:#04x} ({}) in the magic number, expected 0x08 "
                                           "(unsigned byte)",
                                           b[2], idx_type_name(b[2])));
    if (b[3] != rank)
        throw data_error(file, fmt::format("wrong rank: the magic number says rank {}, an IDX file of {} has "
                                           "rank {} ({})",
                                           b[3], holds, rank, rank_meaning));
    if (b.size() < 4 + 4 * rank)
        throw data_error(file, fmt::format("truncated header: {} dimensions need a {}-byte header, file has {} "
                                           "bytes",
                                           rank, 4 + 4 * rank, b.size()));
    for (std::size_t d = 0; d < rank; ++d) {
        const auto* p = b.data() + 4 + 4 * d;
        idx.dims.push_back(std::size_t{p[0]} << 24 | std::size_t{p[1]} << 16 | std::size_t{p[2]} << 8 | p[3]);
    }
    return idx;
}

// The number of bytes `dims` describe, or nothing if it is too large to address.
inline std::optional<std::size_t> product(std::span<const std::size_t> dims) {
    std::size_t n = 1;
    for (std::size_t d : dims) {
        if (d != 0 && n > std::numeric_limits<std::size_t>::max() / d) return std::nullopt;
        n *= d;
    }
    return n;
}

// Throws unless the file holds exactly the bytes its header announces; `claim` is what the
// header says ("60000 images of 28x28"), `noun` what the bytes are ("pixels").
inline void check_value_count(const std::filesystem::path& file, const idx_file& idx, std::string_view claim,
                              std::string_view noun) {
    const std::optional<std::size_t> expected = product(idx.dims);
    const std::size_t got = idx.values().size();
    if (expected == got) return;
    const std::string expected_text =
        expected ? fmt::format("{} bytes", *expected) : std::string("more bytes than memory can address");
    if (!expected || got < *expected)
        throw data_error(file, fmt::format("truncated: header says {} ({}), file has {} bytes of {}", claim,
                                           expected_text, got, noun));
    throw data_error(file, fmt::format("trailing bytes: header says {} ({}), file has {} bytes of {}, {} too many",
                                       claim, expected_text, got, noun, got - *expected));
}

}  // namespace detail

/// Reads an IDX file of unsigned-byte images (`…-images-idx3-ubyte`, gzip-compressed or
/// not), scaled to [0, 1]: one channel, rows and cols as the file says. Throws
/// `data_error` for anything but a well-formed file holding exactly what its header says.
///
///     image_set test = read_idx_images("fashion-mnist/t10k-images-idx3-ubyte.gz");
inline image_set read_idx_images(const std::filesystem::path& file) {
    const detail::idx_file idx = detail::read_idx(file, 3, "count, rows, cols", "images");
    const std::size_t count = idx.dims[0], rows = idx.dims[1], cols = idx.dims[2];
    const std::string claim = fmt::format("{} images of {}x{}", count, rows, cols);
    if (count == 0 || rows == 0 || cols == 0)
        throw data_error(file, fmt::format("empty: header says {}", claim));
    detail::check_value_count(file, idx, claim, "pixels");

    image_set set{count, 1, rows, cols, {}};
    detail::append_scaled(set.pixels, idx.values());
    return set;
}

/// Reads an IDX file of labels (`…-labels-idx1-ubyte`, gzip-compressed or not), each of
/// them checked to be below `classes`. Throws `data_error` for anything but a well-formed
/// file holding exactly what its header says.
///
///     std::vector<std::uint8_t> labels = read_idx_labels("mnist/t10k-labels-idx1-ubyte");
inline std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& file, std::size_t classes = 10) {
    const detail::idx_file idx = detail::read_idx(file, 1, "count", "labels");
    const std::string claim = fmt::format("{} labels", idx.dims[0]);
    if (idx.dims[0] == 0) throw data_error(file, fmt::format("empty: header says {}", claim));
    detail::check_value_count(file, idx, claim, "labels");

    const std::span<const std::uint8_t> labels = idx.values();
    const auto bad = std::find_if(labels.begin(), labels.end(), [&](std::uint8_t l) { return l >= classes; });
    if (bad != labels.end())
        throw data_error(file, fmt::format("bad label: label {} is {}, expected below {} (the number of classes)",
                                           bad - labels.begin(), *bad, classes));
    return {labels.begin(), labels.end()};
}

/// Reads `<split>-images-idx3-ubyte` and `<split>-labels-idx1-ubyte` from `dir`, each
/// without or else with `.gz`, and checks that they hold as many images as labels. The
/// split is "train" or "t10k" for MNIST and Fashion-MNIST.
///
///     labeled_set train = load_mnist_like("/usr/share/datasets/fashion-mnist", "train");
inline labeled_set load_mnist_like(const std::filesystem::path& dir, std::string_view split,
                                   std::size_t classes = 10) {
    const std::filesystem::path images_file = detail::plain_or_gzip(dir, fmt::format("{}-images-idx3-ubyte", split));
    const std::filesystem::path labels_file = detail::plain_or_gzip(dir, fmt::format("{}-labels-idx1-ubyte", split));
    labeled_set set{read_idx_images(images_file), read_idx_labels(labels_file, classes)};
    if (set.labels.size() != set.images.count)
        throw data_error(images_file, fmt::format("label count mismatch: {} images, but {} has {} labels",
                                                  set.images.count, labels_file.string(), set.labels.size()));
    return set;
}

}  // namespace typenet::data
