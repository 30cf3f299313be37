// Tests typenet/data/idx.hpp on small hand-made IDX files, raw and gzip, on every kind of
// malformed file, and on the real Fashion-MNIST test set.
#define BOOST_TEST_MODULE idx
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <utility>
#include <vector>

#include <zlib.h>

#include <typenet/data/idx.hpp>

#include "../support/file_bytes.hpp"
#include "../support/pipe_writer.hpp"
#include "temp_files.hpp"

using namespace typenet::data;
using typenet::testing::idx_header;
using typenet::testing::operator+;
using typenet::testing::pipe_writer;
namespace tt = boost::test_tools;

namespace {

// Two 2x3 images: 0, 51, 102, … are 0, 0.2, 0.4, … once scaled.
const bytes two_images = idx_header(0x08, {2, 2, 3}) + bytes{0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0};
const bytes three_labels = idx_header(0x08, {3}) + bytes{7, 0, 9};

void check_two_images(const image_set& set) {
    BOOST_TEST(set.count == 2u);
    BOOST_TEST(set.channels == 1u);
    BOOST_TEST(set.rows == 2u);
    BOOST_TEST(set.cols == 3u);
    const std::vector<float> expected{0.0f, 0.2f, 0.4f, 0.6f, 0.8f, 1.0f, 1.0f, 0.8f, 0.6f, 0.4f, 0.2f, 0.0f};
    BOOST_TEST(set.pixels == expected, tt::tolerance(1e-6f) << tt::per_element());
    const auto second = set.image(1);
    BOOST_TEST(std::vector<float>(second.begin(), second.end()) ==
                   std::vector<float>(expected.begin() + 6, expected.end()),
               tt::tolerance(1e-6f) << tt::per_element());
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_raw_images) {
    temp_dir dir;
    check_two_images(read_idx_images(dir.write("images-idx3-ubyte", two_images)));
}

BOOST_AUTO_TEST_CASE(reads_gzip_images) {
    temp_dir dir;
    check_two_images(read_idx_images(dir.write_gzip("images-idx3-ubyte.gz", two_images)));
}

BOOST_AUTO_TEST_CASE(reads_gzip_whatever_the_file_name) {
    temp_dir dir;
    check_two_images(read_idx_images(dir.write_gzip("images-idx3-ubyte", two_images)));
}

BOOST_AUTO_TEST_CASE(reads_concatenated_gzip_members) {
    temp_dir dir;
    const auto middle = two_images.begin() + 20;
    dir.write_gzip("images.gz", bytes(two_images.begin(), middle));
    check_two_images(read_idx_images(dir.write_gzip("images.gz", bytes(middle, two_images.end()), /*append=*/true)));
}

BOOST_AUTO_TEST_CASE(reads_labels_raw_and_gzip) {
    temp_dir dir;
    const std::vector<std::uint8_t> expected{7, 0, 9};
    BOOST_TEST(read_idx_labels(dir.write("labels-idx1-ubyte", three_labels)) == expected, tt::per_element());
    BOOST_TEST(read_idx_labels(dir.write_gzip("labels-idx1-ubyte.gz", three_labels)) == expected, tt::per_element());
}

BOOST_AUTO_TEST_CASE(load_mnist_like_pairs_images_and_labels_with_or_without_gz) {
    temp_dir dir;
    dir.write_gzip("t10k-images-idx3-ubyte.gz", two_images);
    dir.write("t10k-labels-idx1-ubyte", idx_header(0x08, {2}) + bytes{4, 2});
    const labeled_set set = load_mnist_like(dir.path(), "t10k");
    BOOST_TEST(set.size() == 2u);
    check_two_images(set.images);
    BOOST_TEST(set.labels == (std::vector<std::uint8_t>{4, 2}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(label_count_mismatch_names_both_files) {
    temp_dir dir;
    dir.write("train-images-idx3-ubyte", two_images);
    dir.write("train-labels-idx1-ubyte", three_labels);
    check_error([&] { load_mnist_like(dir.path(), "train"); },
                {"train-images-idx3-ubyte: label count mismatch: 2 images, but", "train-labels-idx1-ubyte has 3 labels"});
}

BOOST_AUTO_TEST_CASE(missing_files_are_named) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.path() / "nothing-here"); }, {"nothing-here: cannot open: No such file"});
    check_error([&] { load_mnist_like(dir.path(), "train"); },
                {"train-images-idx3-ubyte: no such file, nor train-images-idx3-ubyte.gz"});
}

BOOST_AUTO_TEST_CASE(truncated_header) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.write("three-bytes", bytes{0, 0, 8})); },
                {"three-bytes: truncated header: file has 3 bytes", "4-byte magic number"});
    const bytes cut(two_images.begin(), two_images.begin() + 10);
    check_error([&] { read_idx_images(dir.write("ten-bytes", cut)); },
                {"ten-bytes: truncated header: 3 dimensions need a 16-byte header, file has 10 bytes"});
}

BOOST_AUTO_TEST_CASE(truncated_payload) {
    temp_dir dir;
    const bytes cut(two_images.begin(), two_images.end() - 1);
    check_error([&] { read_idx_images(dir.write("cut-images", cut)); },
                {"cut-images: truncated: header says 2 images of 2x3 (12 bytes), file has 11 bytes of pixels"});
    const bytes cut_labels(three_labels.begin(), three_labels.end() - 2);
    check_error([&] { read_idx_labels(dir.write_gzip("cut-labels.gz", cut_labels)); },
                {"cut-labels.gz: truncated: header says 3 labels (3 bytes), file has 1 bytes of labels"});
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.write("long-images", two_images + bytes{1, 2})); },
                {"long-images: trailing bytes: header says 2 images of 2x3 (12 bytes), file has 14 bytes of "
                 "pixels, 2 too many"});
    check_error([&] { read_idx_labels(dir.write_gzip("long-labels.gz", three_labels + bytes{0})); },
                {"long-labels.gz: trailing bytes: header says 3 labels (3 bytes), file has 4 bytes of labels, 1 too many"});
}

BOOST_AUTO_TEST_CASE(dimensions_too_large_to_address) {
    temp_dir dir;
    const bytes huge = idx_header(0x08, {0xffffffff, 0xffffffff, 0xffffffff}) + bytes{1, 2, 3};
    check_error([&] { read_idx_images(dir.write("huge", huge)); },
                {"huge: too large: header says 4294967295 images of 4294967295x4294967295, more bytes than memory "
                 "can address"});
}

// A pipe or a device is read as far as the header promises, and 1 MiB beyond to count
// bytes too many, never without end (it used to grow its buffer until memory ran out).
BOOST_AUTO_TEST_CASE(endless_stream_is_read_no_further_than_the_header_promises) {
    temp_dir dir;
    pipe_writer pipe(dir / "endless-images", two_images, bytes(1 << 16, 0), std::size_t{256} << 20);
    check_error([&] { read_idx_images(pipe.path()); },
                {"endless-images: trailing bytes: header says 2 images of 2x3 (12 bytes), file has more than 1048588 "
                 "bytes of pixels, over 1048576 too many (read no further)"});
    // 16 + 12 + 1 MiB + 1 byte read, the rest in the reader's 64 KiB buffer or the pipe's.
    BOOST_TEST(pipe.written() <= 28 + (1u << 20) + 1 + 2 * (1u << 16));

    pipe_writer labels(dir / "endless-labels", three_labels, bytes{0}, std::size_t{256} << 20);
    check_error([&] { read_idx_labels(labels.path()); }, {"endless-labels: trailing bytes: header says 3 labels"});
    BOOST_TEST(labels.written() <= 11 + (1u << 20) + 1 + 2 * (1u << 16));

    check_error([&] { read_idx_images("/dev/zero"); }, {"/dev/zero: wrong type code: 0x00"});
}

// gzip data is checked as it is inflated: a file whose header is wrong is refused after
// its first piece, not inflated whole first (1 GiB of zeros in 1 MiB of gzip took 19 s).
BOOST_AUTO_TEST_CASE(gzip_header_is_checked_before_the_rest_is_inflated) {
    temp_dir dir;
    const bytes zeros(16 << 20, 0);
    const bytes first = read_all(dir.write_gzip("first.gz", idx_header(0x0d, {1 << 20, 32, 32}) + zeros));
    const bytes more = read_all(dir.write_gzip("more.gz", zeros));
    // 64 members of 16 MiB of zeros: 1 GiB inflated from about 1 MiB.
    pipe_writer pipe(dir / "floats.gz", first, more, first.size() + 63 * more.size());
    check_error([&] { read_idx_images(pipe.path()); }, {"floats.gz: wrong type code: 0x0d (float)"});
    BOOST_TEST(pipe.written() <= 3 * (1u << 16));
    BOOST_TEST(pipe.written() < first.size() + 63 * more.size());
}

BOOST_AUTO_TEST_CASE(empty_sets) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.write("no-images", idx_header(0x08, {0, 28, 28}))); },
                {"no-images: empty: header says 0 images of 28x28"});
    check_error([&] { read_idx_images(dir.write("no-cols", idx_header(0x08, {5, 28, 0}))); },
                {"no-cols: empty: header says 5 images of 28x0"});
    check_error([&] { read_idx_labels(dir.write("no-labels", idx_header(0x08, {0}))); },
                {"no-labels: empty: header says 0 labels"});
}

BOOST_AUTO_TEST_CASE(wrong_magic) {
    temp_dir dir;
    bytes b = two_images;
    b[1] = 0x0a;
    check_error([&] { read_idx_images(dir.write("bad-magic", b)); },
                {"bad-magic: wrong magic number: 0x00 0x0a 0x08 0x03", "starts with 0x00 0x00"});
}

BOOST_AUTO_TEST_CASE(wrong_type_code) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.write("floats", idx_header(0x0d, {1, 1, 1}) + bytes{0, 0, 0, 0})); },
                {"floats: wrong type code: 0x0d (float) in the magic number, expected 0x08 (unsigned byte)"});
    check_error([&] { read_idx_labels(dir.write("unknown", idx_header(0x42, {1}) + bytes{0})); },
                {"unknown: wrong type code: 0x42 (not an IDX type)"});
}

BOOST_AUTO_TEST_CASE(wrong_rank) {
    temp_dir dir;
    check_error([&] { read_idx_images(dir.write("labels-idx1-ubyte", three_labels)); },
                {"labels-idx1-ubyte: wrong rank: the magic number says rank 1, an IDX file of images has rank 3 "
                 "(count, rows, cols)"});
    check_error([&] { read_idx_labels(dir.write("images-idx3-ubyte", two_images)); },
                {"images-idx3-ubyte: wrong rank: the magic number says rank 3, an IDX file of labels has rank 1 "
                 "(count)"});
}

BOOST_AUTO_TEST_CASE(label_out_of_range) {
    temp_dir dir;
    const auto file = dir.write("labels", idx_header(0x08, {4}) + bytes{1, 9, 10, 2});
    check_error([&] { read_idx_labels(file); },
                {"labels: bad label: label 2 is 10, expected below 10 (the number of classes)"});
    check_error([&] { read_idx_labels(file, 3); }, {"labels: bad label: label 1 is 9, expected below 3"});
    BOOST_TEST(read_idx_labels(file, 11).size() == 4u);
}

BOOST_AUTO_TEST_CASE(corrupt_gzip) {
    temp_dir dir;
    bytes gz = read_all(dir.write_gzip("images.gz", two_images));
    gz[gz.size() - 8] ^= 0xff;  // the CRC-32 of the data, first byte of the 8-byte trailer
    check_error([&] { read_idx_images(dir.write("bad-crc.gz", gz)); },
                {"bad-crc.gz: corrupt gzip data: incorrect data check"});
    gz = read_all(dir.path() / "images.gz");
    gz[3] = 0xe0;  // reserved header flags
    check_error([&] { read_idx_images(dir.write("bad-flags.gz", gz)); },
                {"bad-flags.gz: corrupt gzip data: unknown header flags set (near compressed byte"});
}

BOOST_AUTO_TEST_CASE(truncated_gzip) {
    temp_dir dir;
    const bytes gz = read_all(dir.write_gzip("images.gz", two_images));
    check_error([&] { read_idx_images(dir.write("cut.gz", bytes(gz.begin(), gz.end() - 5))); },
                {"cut.gz: truncated gzip data: the compressed stream stops after", "without its end"});
}

BOOST_AUTO_TEST_CASE(trailing_bytes_after_gzip) {
    temp_dir dir;
    const bytes gz = read_all(dir.write_gzip("images.gz", two_images));
    check_error([&] { read_idx_images(dir.write("padded.gz", gz + bytes{0, 0, 0})); },
                {"padded.gz: trailing bytes: 3 bytes after the end of the gzip data"});
}

// The reader takes a gzip file in 64 KiB pieces: a second member whose magic number starts
// at the end of one piece, straddles two, or starts the next must read the same. Stored
// (level 0) deflate makes a member's size a function of its content's.
BOOST_AUTO_TEST_CASE(gzip_members_meeting_at_every_place_around_a_piece_boundary) {
    temp_dir dir;
    const auto member = [&](const bytes& content) {
        const auto file = dir / "member.gz";
        gzFile gz = gzopen(file.c_str(), "wb0");
        BOOST_REQUIRE(gz != nullptr);
        BOOST_REQUIRE(gzwrite(gz, content.data(), static_cast<unsigned>(content.size())) == int(content.size()));
        BOOST_REQUIRE(gzclose(gz) == Z_OK);
        return read_all(file);
    };
    constexpr std::uint32_t second_labels = 100;
    for (std::size_t first_size : {65534u, 65535u, 65536u, 65537u}) {
        BOOST_TEST_CONTEXT("first member of " << first_size << " bytes") {
            // Its size grows by one with each label: find the count that gives first_size.
            std::uint32_t labels = 65400;
            bytes first;
            for (;; ++labels) {
                first = member(idx_header(0x08, {labels + second_labels}) + bytes(labels, 3));
                if (first.size() >= first_size) break;
            }
            BOOST_REQUIRE(first.size() == first_size);
            const auto file = dir.write("labels.gz", first + member(bytes(second_labels, 7)));
            const std::vector<std::uint8_t> read = read_idx_labels(file);
            BOOST_TEST(read.size() == labels + second_labels);
            BOOST_TEST(std::count(read.begin(), read.end(), 3) == labels);
            BOOST_TEST(std::count(read.begin(), read.end(), 7) == second_labels);
        }
    }
}

// The real Fashion-MNIST test set, as Debian's dataset-fashion-mnist package installs it.
BOOST_AUTO_TEST_CASE(fashion_mnist_test_set) {
    const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
    BOOST_REQUIRE_MESSAGE(std::filesystem::is_directory(dir),
                          dir.string() << " does not exist: the package dataset-fashion-mnist is missing "
                                          "(scripts/install-deps.sh installs it)");
    const labeled_set set = load_mnist_like(dir, "t10k");
    BOOST_TEST(set.images.count == 10000u);
    BOOST_TEST(set.images.channels == 1u);
    BOOST_TEST(set.images.rows == 28u);
    BOOST_TEST(set.images.cols == 28u);
    BOOST_TEST(set.images.pixels.size() == 10000u * 28 * 28);
    BOOST_TEST(set.labels.size() == 10000u);

    std::array<std::size_t, 10> per_class{};
    for (std::uint8_t label : set.labels) ++per_class[label];
    for (std::size_t c = 0; c < 10; ++c) BOOST_TEST(per_class[c] == 1000u, "class " << c);

    // Read independently with Python's gzip module: the first labels, and the byte sums of
    // the first two images.
    const std::vector<std::uint8_t> first_labels{9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    BOOST_TEST(std::vector<std::uint8_t>(set.labels.begin(), set.labels.begin() + 10) == first_labels,
               tt::per_element());
    for (auto [i, byte_sum] : {std::pair{0, 33456.0}, std::pair{1, 100994.0}}) {
        double sum = 0;
        for (float p : set.images.image(static_cast<std::size_t>(i))) sum += p;
        BOOST_TEST(sum * 255 == byte_sum, tt::tolerance(1e-6));
    }
    const auto [lo, hi] = std::minmax_element(set.images.pixels.begin(), set.images.pixels.end());
    BOOST_TEST(*lo == 0.0f);
    BOOST_TEST(*hi == 1.0f);
}
