// Helpers for the tests of typenet/data/: a temporary folder to write small data files
// into, raw or gzip-compressed, and a check that a reader's error names its file and says
// what is wrong.
#pragma once

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/data/data_error.hpp>

using bytes = std::vector<std::uint8_t>;

// A new folder under the system's temporary directory, removed with all its files.
class temp_dir {
public:
    temp_dir() {
        std::random_device random;
        do {
            path_ = std::filesystem::temp_directory_path() / fmt::format("typenet-data-test-{:08x}{:08x}", random(), random());
        } while (!std::filesystem::create_directory(path_));
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

    const std::filesystem::path& path() const { return path_; }

    std::filesystem::path write(const std::string& name, std::span<const std::uint8_t> content) const {
        const std::filesystem::path file = path_ / name;
        std::ofstream out(file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
        BOOST_REQUIRE_MESSAGE(out.good(), "cannot write the test file " << file);
        return file;
    }

    // Each call with `append` adds one more gzip member, as `cat a.gz b.gz` would.
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

inline bytes read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `read`, which must throw `typenet::data::data_error` with every one of `parts` in
// its message (the file's name and the problem).
template <class Read>
void check_error(Read&& read, std::initializer_list<std::string_view> parts) {
    std::string message;
    try {
        read();
    } catch (const typenet::data::data_error& e) {
        message = e.what();
    }
    BOOST_REQUIRE_MESSAGE(!message.empty(), "no data_error thrown");
    BOOST_TEST_MESSAGE(message);
    for (std::string_view part : parts)
        BOOST_CHECK_MESSAGE(message.find(part) != std::string::npos,
                            "the message lacks \"" << part << "\": " << message);
}
