/// Defines `typenet::data::read_idx_images`, `typenet::data::read_idx_labels` and
/// `typenet::data::load_mnist_like`: readers of IDX files, the format of MNIST and
/// Fashion-MNIST, gzip-compressed or not. They read no further than the header promises
/// (and 1 MiB beyond, to count bytes too many), so a pipe or a device can be read too.
#pragma once

#include <algorithm>
#include <array>
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

#include <typenet/data/byte_stream.hpp>
#include <typenet/data/data_error.hpp>
#include <typenet/data/dataset.hpp>

namespace typenet::data {

namespace detail {

// An IDX file: the magic number 0x00 0x00 <type code> <rank>, then `rank` big-endian
// 32-bit dimensions, then the values, the last dimension varying fastest.
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

// How far past the values a reader looks to count the bytes that should not be there.
inline constexpr std::size_t idx_trailing_bytes_counted = std::size_t{1} << 20;

// Reads the header of an unsigned-byte IDX file of `rank` dimensions (`rank_meaning` says
// what they are, `holds` what the file holds, for the message), and returns them.
inline std::vector<std::size_t> read_idx_header(byte_stream& in, std::size_t rank, std::string_view rank_meaning,
                                                std::string_view holds) {
    const std::filesystem::path& file = in.file();
    std::array<std::uint8_t, 4> b{};
    if (const std::size_t n = in.read(b); n < b.size())
        throw data_error(file, fmt::format("truncated header: file has {} bytes, an IDX file starts with a "
                                           "4-byte magic number",
                                           n));
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
    std::vector<std::uint8_t> d(4 * rank);
    if (const std::size_t n = in.read(d); n < d.size())
        throw data_error(file, fmt::format("truncated header: {} dimensions need a {}-byte header, file has {} "
                                           "bytes",
                                           rank, 4 + d.size(), 4 + n));
    std::vector<std::size_t> dims;
    for (std::size_t i = 0; i < d.size(); i += 4)
        dims.push_back(std::size_t{d[i]} << 24 | std::size_t{d[i + 1]} << 16 | std::size_t{d[i + 2]} << 8 | d[i + 3]);
    return dims;
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

// Reads the values that the header announces, and checks that the file ends with them;
// `claim` is what the header says ("60000 images of 28x28"), `noun` what the bytes are
// ("pixels"). Reads no more than that, and a little beyond to count bytes too many.
inline std::vector<std::uint8_t> read_idx_values(byte_stream& in, std::span<const std::size_t> dims,
                                                 std::string_view claim, std::string_view noun) {
    const std::filesystem::path& file = in.file();
    const std::optional<std::size_t> expected = product(dims);
    if (!expected)
        throw data_error(file, fmt::format("too large: header says {}, more bytes than memory can address", claim));
    std::vector<std::uint8_t> values = read_up_to(in, *expected);
    if (values.size() < *expected)
        throw data_error(file, fmt::format("truncated: header says {} ({} bytes), file has {} bytes of {}", claim,
                                           *expected, values.size(), noun));
    const std::optional<std::size_t> extra = in.count_rest(idx_trailing_bytes_counted);
    if (!extra)
        throw data_error(file, fmt::format("trailing bytes: header says {} ({} bytes), file has more than {} bytes of "
                                           "{}, over {} too many (read no further)",
                                           claim, *expected, *expected + idx_trailing_bytes_counted, noun,
                                           idx_trailing_bytes_counted));
    if (*extra > 0)
        throw data_error(file, fmt::format("trailing bytes: header says {} ({} bytes), file has {} bytes of {}, {} "
                                           "too many",
                                           claim, *expected, *expected + *extra, noun, *extra));
    return values;
}

}  // namespace detail

/// Reads an IDX file of unsigned-byte images (`…-images-idx3-ubyte`, gzip-compressed or
/// not), scaled to [0, 1]: one channel, rows and cols as the file says. Throws
/// `data_error` for anything but a well-formed file holding exactly what its header says.
///
///     image_set test = read_idx_images("fashion-mnist/t10k-images-idx3-ubyte.gz");
inline image_set read_idx_images(const std::filesystem::path& file) {
    detail::byte_stream in(file);
    const std::vector<std::size_t> dims = detail::read_idx_header(in, 3, "count, rows, cols", "images");
    const std::size_t count = dims[0], rows = dims[1], cols = dims[2];
    const std::string claim = fmt::format("{} images of {}x{}", count, rows, cols);
    if (count == 0 || rows == 0 || cols == 0)
        throw data_error(file, fmt::format("empty: header says {}", claim));
    const std::vector<std::uint8_t> pixels = detail::read_idx_values(in, dims, claim, "pixels");

    image_set set{count, 1, rows, cols, {}};
    detail::append_scaled(set.pixels, pixels);
    return set;
}

/// Reads an IDX file of labels (`…-labels-idx1-ubyte`, gzip-compressed or not), each of
/// them checked to be below `classes`. Throws `data_error` for anything but a well-formed
/// file holding exactly what its header says.
///
///     std::vector<std::uint8_t> labels = read_idx_labels("mnist/t10k-labels-idx1-ubyte");
inline std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& file, std::size_t classes = 10) {
    detail::byte_stream in(file);
    const std::vector<std::size_t> dims = detail::read_idx_header(in, 1, "count", "labels");
    const std::string claim = fmt::format("{} labels", dims[0]);
    if (dims[0] == 0) throw data_error(file, fmt::format("empty: header says {}", claim));
    std::vector<std::uint8_t> labels = detail::read_idx_values(in, dims, claim, "labels");

    const auto bad = std::find_if(labels.begin(), labels.end(), [&](std::uint8_t l) { return l >= classes; });
    if (bad != labels.end())
        throw data_error(file, fmt::format("bad label: label {} is {}, expected below {} (the number of classes)",
                                           bad - labels.begin(), *bad, classes));
    return labels;
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
