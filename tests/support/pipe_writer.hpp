// A named pipe with a thread writing into it, to give readers a file that never ends (or
// ends only after far more than they should read) and to tell how much they took:
//
//     typenet::testing::pipe_writer pipe(dir / "images", header, zeros, 256 << 20);
//     read_idx_images(pipe.path());          // reads the header, then must stop
//     BOOST_TEST(pipe.written() < 4 << 20);  // what the reader took, plus the pipe's buffer
//
// The thread writes `prefix`, then `repeat` again and again, until `limit` bytes are written
// or the reader closes its end. Include it after #define BOOST_TEST_MODULE.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace typenet::testing {

class pipe_writer {
public:
    pipe_writer(std::filesystem::path path, std::vector<std::uint8_t> prefix, std::vector<std::uint8_t> repeat,
                std::size_t limit)
        : path_(std::move(path)), prefix_(std::move(prefix)), repeat_(std::move(repeat)), limit_(limit) {
        BOOST_REQUIRE_MESSAGE(::mkfifo(path_.c_str(), 0600) == 0, "cannot make the pipe " << path_);
        thread_ = std::thread([this] { run(); });
    }
    pipe_writer(const pipe_writer&) = delete;
    pipe_writer& operator=(const pipe_writer&) = delete;
    ~pipe_writer() { join(); }

    const std::filesystem::path& path() const { return path_; }

    /// The bytes the pipe took: what the reader read, and what waited in the pipe's buffer
    /// (64 KiB on Linux) when it stopped. Waits for the thread to finish.
    std::size_t written() {
        join();
        return written_;
    }

private:
    void join() {
        stop_ = true;  // a reader that never opened the pipe must not keep the thread waiting
        if (thread_.joinable()) thread_.join();
    }

    void run() {
        // A reader closing its end makes write() fail with EPIPE, not end the process.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
        // Opening to write without waiting fails until a reader has the pipe open.
        int fd = -1;
        while ((fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0 && !stop_)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (fd < 0) return;
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        for (std::span<const std::uint8_t> chunk = prefix_; written_ < limit_; chunk = repeat_) {
            if (repeat_.empty() && chunk.empty()) break;
            chunk = chunk.first(std::min(chunk.size(), limit_ - written_));
            while (!chunk.empty()) {
                const ssize_t n = ::write(fd, chunk.data(), chunk.size());
                if (n <= 0) {
                    ::close(fd);
                    return;
                }
                written_ += static_cast<std::size_t>(n);
                chunk = chunk.subspan(static_cast<std::size_t>(n));
            }
        }
        ::close(fd);
    }

    std::filesystem::path path_;
    std::vector<std::uint8_t> prefix_, repeat_;
    std::size_t limit_;
    std::size_t written_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace typenet::testing
