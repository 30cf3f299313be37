/// Defines `typenet::detail::thread_pool`: a fixed set of threads that run one task split
/// into parts, started once and allocating nothing per task.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace typenet::detail {

/// A range of pieces [first, last) that any thread may take from either end, one piece at
/// a time. On a cache line of its own, so that threads taking from their own ranges do
/// not slow each other.
class alignas(64) claimable_range {
public:
    void reset(std::uint32_t first, std::uint32_t last) { ends_.store(pack(first, last), std::memory_order_relaxed); }
    /// The piece taken from the front (or the back), or -1 once the range is empty.
    long take(bool from_back) {
        std::uint64_t ends = ends_.load(std::memory_order_relaxed);
        for (;;) {
            const auto first = std::uint32_t(ends), last = std::uint32_t(ends >> 32);
            if (first >= last) return -1;
            const std::uint64_t rest = from_back ? pack(first, last - 1) : pack(first + 1, last);
            if (ends_.compare_exchange_weak(ends, rest, std::memory_order_relaxed)) return from_back ? last - 1 : first;
        }
    }

private:
    static std::uint64_t pack(std::uint32_t first, std::uint32_t last) { return first | std::uint64_t(last) << 32; }
    std::atomic<std::uint64_t> ends_ = 0;
};

class thread_pool {
public:
    /// `threads` parts run at once: the caller's thread and `threads - 1` workers.
    explicit thread_pool(std::size_t threads)
        : size_(threads == 0 ? 1 : threads), ranges_(std::make_unique<claimable_range[]>(size_)) {
        for (std::size_t t = 1; t < size_; ++t) workers_.emplace_back([this, t] { work(t); });
    }
    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;
    ~thread_pool() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& w : workers_) w.join();
    }

    std::size_t size() const { return size_; }
    /// A range for each part of a task to share its work through (share_rows).
    claimable_range& range(std::size_t part) { return ranges_[part]; }

    /// Calls `f(part)` for every part in [0, size()) at once and returns when all are done.
    /// `f` must not throw.
    template <class F>
    void run(F& f) {
        if (size_ == 1) return f(std::size_t{0});
        {
            std::lock_guard lock(mutex_);
            task_ = [](void* ctx, std::size_t part) { (*static_cast<F*>(ctx))(part); };
            context_ = &f;
            pending_.store(size_ - 1, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        f(std::size_t{0});
        if (spin_until([&] { return pending_.load(std::memory_order_acquire) == 0; })) return;
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
    }

private:
    // A network calls run once per layer: waking a sleeping thread takes tens of
    // microseconds, so both sides first spin a while, then sleep.
    template <class Ready>
    static bool spin_until(Ready ready) {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
        for (unsigned i = 1;; ++i) {
            if (ready()) return true;
            if (i % 64 == 0 && std::chrono::steady_clock::now() > give_up) return false;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
    }

    void work(std::size_t part) {
        std::size_t seen = 0;
        for (;;) {
            if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; })) {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return stopping_ || generation_.load(std::memory_order_acquire) != seen; });
                if (stopping_) return;
            }
            seen = generation_.load(std::memory_order_acquire);
            task_(context_, part);
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                // Taking the lock orders this with a caller about to sleep on done_.
                { std::lock_guard lock(mutex_); }
                done_.notify_one();
            }
        }
    }

    std::size_t size_;
    std::unique_ptr<claimable_range[]> ranges_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    void (*task_)(void*, std::size_t) = nullptr;
    void* context_ = nullptr;
    std::atomic<std::size_t> pending_ = 0, generation_ = 0;
    bool stopping_ = false;
};

}  // namespace typenet::detail
