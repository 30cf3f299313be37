// Tests typenet/data/cifar10.hpp on small hand-made batches, raw and gzip, and on
// malformed ones.
#define BOOST_TEST_MODULE cifar10
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/cifar10.hpp>

#include "../support/pipe_writer.hpp"
#include "temp_files.hpp"

using namespace typenet::data;
using typenet::testing::pipe_writer;
namespace tt = boost::test_tools;

namespace {

constexpr std::size_t record_size = 3073, plane = 32 * 32;

// A record of `label` whose pixels are all 0.
bytes blank_record(std::uint8_t label) {
    bytes r(record_size, 0);
    r[0] = label;
    return r;
}

// Two records: label 3 with red (0,0) = 255, green (0,1) = 51, blue (31,31) = 102;
// label 8 with red (1,0) = 153.
bytes two_records() {
    bytes b = blank_record(3);
    b[1 + 0] = 255;
    b[1 + plane + 1] = 51;
    b[1 + 2 * plane + 31 * 32 + 31] = 102;
    bytes second = blank_record(8);
    second[1 + 32] = 153;
    b.insert(b.end(), second.begin(), second.end());
    return b;
}

void check_two_records(const labeled_set& set) {
    BOOST_TEST(set.size() == 2u);
    BOOST_TEST(set.images.channels == 3u);
    BOOST_TEST(set.images.rows == 32u);
    BOOST_TEST(set.images.cols == 32u);
    BOOST_TEST(set.images.pixels.size() == 2u * 3 * plane);
    BOOST_TEST(set.labels == (std::vector<std::uint8_t>{3, 8}), tt::per_element());

    const auto first = set.images.image(0), second = set.images.image(1);
    BOOST_TEST(first[0] == 1.0f, tt::tolerance(1e-6f));
    BOOST_TEST(first[plane + 1] == 0.2f, tt::tolerance(1e-6f));
    BOOST_TEST(first[2 * plane + 31 * 32 + 31] == 0.4f, tt::tolerance(1e-6f));
    BOOST_TEST(std::accumulate(first.begin(), first.end(), 0.0) == 1.6, tt::tolerance(1e-6));
    BOOST_TEST(second[32] == 0.6f, tt::tolerance(1e-6f));
    BOOST_TEST(std::accumulate(second.begin(), second.end(), 0.0) == 0.6, tt::tolerance(1e-6));
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_raw_batch) {
    temp_dir dir;
    check_two_records(read_cifar10_batch(dir.write("data_batch_1.bin", two_records())));
}

BOOST_AUTO_TEST_CASE(reads_gzip_batch) {
    temp_dir dir;
    check_two_records(read_cifar10_batch(dir.write_gzip("test_batch.bin.gz", two_records())));
}

BOOST_AUTO_TEST_CASE(load_cifar10_reads_the_five_training_batches_in_order) {
    temp_dir dir;
    for (std::uint8_t batch = 1; batch <= 5; ++batch) {
        const std::string name = fmt::format("data_batch_{}.bin", batch);
        if (batch == 4)
            dir.write_gzip(name + ".gz", blank_record(batch));
        else
            dir.write(name, blank_record(batch));
    }
    dir.write("test_batch.bin", two_records());
    const labeled_set train = load_cifar10(dir.path(), cifar10_split::train);
    BOOST_TEST(train.size() == 5u);
    BOOST_TEST(train.images.pixels.size() == 5u * 3 * plane);
    BOOST_TEST(train.labels == (std::vector<std::uint8_t>{1, 2, 3, 4, 5}), tt::per_element());
    check_two_records(load_cifar10(dir.path(), cifar10_split::test));
}

BOOST_AUTO_TEST_CASE(missing_batch_is_named) {
    temp_dir dir;
    dir.write("data_batch_1.bin", blank_record(0));
    dir.write("data_batch_2.bin", blank_record(0));
    check_error([&] { load_cifar10(dir.path(), cifar10_split::train); },
                {"data_batch_3.bin: no such file, nor data_batch_3.bin.gz"});
}

BOOST_AUTO_TEST_CASE(empty_batch) {
    temp_dir dir;
    check_error([&] { read_cifar10_batch(dir.write("empty.bin", bytes{})); },
                {"empty.bin: empty: file has 0 bytes, a CIFAR-10 batch holds records of 3073 bytes"});
}

BOOST_AUTO_TEST_CASE(size_not_a_multiple_of_the_record) {
    temp_dir dir;
    bytes b = two_records();
    b.resize(b.size() + 5);
    check_error([&] { read_cifar10_batch(dir.write("long.bin", b)); },
                {"long.bin: bad size: 6151 bytes is not a whole number of 3073-byte records", "2 records, then 5 "
                                                                                            "bytes of record 2"});
    b.resize(3072);
    check_error([&] { read_cifar10_batch(dir.write_gzip("short.bin.gz", b)); },
                {"short.bin.gz: bad size: 3072 bytes", "0 records, then 3072 bytes of record 0"});
}

// A pipe or a device is read no further than `max_records` records, never without end (it
// used to grow its buffer until memory ran out).
BOOST_AUTO_TEST_CASE(endless_stream_is_read_no_further_than_max_records) {
    temp_dir dir;
    pipe_writer pipe(dir / "endless.bin", two_records(), blank_record(1), std::size_t{256} << 20);
    check_error([&] { read_cifar10_batch(pipe.path(), 5); },
                {"endless.bin: too large: more than 5 records (pass a larger max_records to read more)"});
    // 6 records read, the rest in the reader's 64 KiB buffer or the pipe's.
    BOOST_TEST(pipe.written() <= 6 * record_size + 2 * (1u << 16));

    bytes five = two_records();
    for (std::uint8_t label : {4, 5, 6}) {
        const bytes record = blank_record(label);
        five.insert(five.end(), record.begin(), record.end());
    }
    BOOST_TEST(read_cifar10_batch(dir.write("five.bin", five), 5).size() == 5u);
    check_error([&] { read_cifar10_batch(dir.write("five.bin", five), 4); }, {"five.bin: too large: more than 4 records"});
    check_error([&] { read_cifar10_batch("/dev/zero", 3); }, {"/dev/zero: too large: more than 3 records"});
}

BOOST_AUTO_TEST_CASE(label_out_of_range) {
    temp_dir dir;
    bytes b = two_records();
    b[record_size] = 10;
    check_error([&] { read_cifar10_batch(dir.write("bad-label.bin", b)); },
                {"bad-label.bin: bad label: record 1 (at byte 3073) has label 10, expected 0 to 9"});
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_batch) {
    temp_dir dir;
    bytes gz = read_all(dir.write_gzip("batch.bin.gz", two_records()));
    gz[gz.size() - 2] ^= 0x01;  // the data's length, in the gzip trailer
    check_error([&] { read_cifar10_batch(dir.write("bad-length.bin.gz", gz)); },
                {"bad-length.bin.gz: corrupt gzip data: incorrect length check"});
}
