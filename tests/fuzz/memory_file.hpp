// A file in memory with a path, for fuzz targets: the readers take paths, and a memfd
// reached through /proc/self/fd is a regular file that never touches the disk.
//
//     static memory_file file;
//     typenet::data::read_idx_images(file.hold(data, size));
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace typenet::fuzzing {

class memory_file {
public:
    memory_file() : fd_(::memfd_create("typenet-fuzz", MFD_CLOEXEC)) {
        if (fd_ < 0) std::abort();
    }
    memory_file(const memory_file&) = delete;
    memory_file& operator=(const memory_file&) = delete;
    ~memory_file() { ::close(fd_); }

    /// Replaces the content with `size` bytes at `data`; returns the path to read it by.
    const std::filesystem::path& hold(const std::uint8_t* data, std::size_t size) {
        if (::ftruncate(fd_, 0) != 0) std::abort();
        for (std::size_t done = 0; done < size;) {
            const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        return path_;
    }

private:
    int fd_;
    std::filesystem::path path_ = "/proc/self/fd/" + std::to_string(fd_);
};

// Stops the run, as a crash would, when a reader returns what it must not.
inline void require(bool condition) {
    if (!condition) __builtin_trap();
}

}  // namespace typenet::fuzzing
