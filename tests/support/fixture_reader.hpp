// Reads the binary fixture files that the Python scripts under tests/ write with PyTorch
// (tests/fixtures/*.bin, tests/optim/optim.bin): the primitives every format is made of,
// little-endian whatever the host, with bounds checks and errors that name the file.
// Each test keeps the parsing of its own format, written with these:
//
//     typenet::testing::fixture_reader in(typenet::testing::fixture_path(DIR "/layers.bin"));
//     in.expect_header("TNFX", 1);
//     const std::vector<double> input = in.f64s(in.u32());
//     in.expect_end("has bytes after its last case");
//
// Include it after #define BOOST_TEST_MODULE.
#pragma once

#include <boost/test/unit_test.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace typenet::testing {

/// The fixture file named on the command line (`some_test -- path/to/file.bin`), else
/// `default_path` (meson passes the source directory in a macro).
inline std::string fixture_path(std::string default_path) {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    return suite.argc > 1 ? std::string(suite.argv[1]) : std::move(default_path);
}

/// A fixture file read whole, then taken apart from the front. Every error is a
/// std::runtime_error "fixture file <path> <what is wrong>".
class fixture_reader {
public:
    explicit fixture_reader(std::string path) : path_(std::move(path)) {
        std::ifstream file(path_, std::ios::binary);
        if (!file) fail("cannot be opened");
        bytes_.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }

    [[noreturn]] void fail(std::string_view why) const {
        throw std::runtime_error(fmt::format("fixture file {} {}", path_, why));
    }

    /// The next `count` bytes.
    std::string take(std::size_t count) {
        if (bytes_.size() - at_ < count) fail("ends too early");
        at_ += count;
        return bytes_.substr(at_ - count, count);
    }

    /// The magic string `magic` followed by u32 version `version`.
    void expect_header(std::string_view magic, std::uint32_t version) {
        if (take(magic.size()) != magic) fail(fmt::format("does not start with {}", magic));
        if (const auto found = u32(); found != version) fail(fmt::format("has version {}, not {}", found, version));
    }

    /// Fails with `why` unless every byte has been read.
    void expect_end(std::string_view why) const {
        if (at_ != bytes_.size()) fail(why);
    }

    /// An unsigned integer of `size` bytes (at most 8), least significant first. Assembled
    /// byte by byte, so that the file reads the same on any host.
    std::uint64_t little_endian(std::size_t size) {
        const std::string b = take(size);
        std::uint64_t v = 0;
        for (std::size_t i = size; i-- > 0;) v = v << 8 | static_cast<unsigned char>(b[i]);
        return v;
    }

    std::uint32_t u32() { return static_cast<std::uint32_t>(little_endian(4)); }
    float f32() { return std::bit_cast<float>(u32()); }
    double f64() { return std::bit_cast<double>(little_endian(8)); }

    std::vector<std::uint8_t> u8s(std::size_t count) {
        const std::string b = take(count);
        return {b.begin(), b.end()};
    }

    std::vector<double> f64s(std::size_t count) {
        if ((bytes_.size() - at_) / 8 < count) fail("ends too early");  // before allocating a count read from the file
        std::vector<double> values(count);
        for (double& v : values) v = f64();
        return values;
    }

private:
    std::string path_;
    std::string bytes_;
    std::size_t at_ = 0;
};

}  // namespace typenet::testing
