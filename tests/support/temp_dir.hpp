// A temporary folder for tests that write files (data readers, parameter files), with
// whole-file reading and writing of bytes, raw or gzip-compressed.
//
//     typenet::testing::temp_dir dir;                       // removed with its files
//     const auto file = dir.write("labels", typenet::testing::bytes{0, 0, 8, 1, 0, 0, 0, 0});
//     BOOST_TEST(typenet::testing::read_all(file).size() == 8u);
//
// Include it after #define BOOST_TEST_MODULE: a file that cannot be written stops the
// test case (BOOST_REQUIRE).
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include "file_bytes.hpp"

namespace typenet::testing {

/// The whole content of `file` (empty if it cannot be read).
inline bytes read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Writes `content` to `file`, replacing it.
inline void write_all(const std::filesystem::path& file, std::span<const std::uint8_t> content) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
    BOOST_REQUIRE_MESSAGE(out.good(), "cannot write the test file " << file);
}

/// A new folder under the system's temporary directory, removed with all its files.
class temp_dir {
public:
    temp_dir() {
        std::random_device random;
        do {
            path_ = std::filesystem::temp_directory_path() /
                    fmt::format("typenet-test-{:08x}{:08x}", random(), random());
        } while (!std::filesystem::create_directory(path_));
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

    /// The names of the files in the folder, sorted: temporary files show up here.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(path_))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    /// Writes the file `name` in the folder; returns its path.
    std::filesystem::path write(const std::string& name, std::span<const std::uint8_t> content) const {
        const std::filesystem::path file = path_ / name;
        write_all(file, content);
        return file;
    }

    /// Writes `content` gzip-compressed to the file `name`; returns its path. Each call with
    /// `append` adds one more gzip member, as `cat a.gz b.gz` would.
    std::filesystem::path write_gzip(const std::string& name, std::span<const std::uint8_t> content,
                                     bool append = false) const {
        const std::filesystem::path file = path_ / name;
        gzFile gz = gzopen(file.c_str(), append ? "ab" : "wb");
        BOOST_REQUIRE_MESSAGE(gz != nullptr, "cannot open the test file " << file);
        const int written = gzwrite(gz, content.data(), static_cast<unsigned>(content.size()));
        const int closed = gzclose(gz);
        BOOST_REQUIRE_MESSAGE(written == static_cast<int>(content.size()) && closed == Z_OK,
                              "cannot write the test file " << file);
        return file;
    }

private:
    std::filesystem::path path_;
};

}  // namespace typenet::testing
