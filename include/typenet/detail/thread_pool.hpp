/// Defines `typenet::detail::thread_pool`: a fixed set of threads that run one task split
/// into parts, started once and allocating nothing per task.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace typenet::detail {

class thread_pool {
public:
    /// `threads` parts run at once: the caller's thread and `threads - 1` workers.
    explicit thread_pool(std::size_t threads) : size_(threads == 0 ? 1 : threads) {
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

    /// Calls `f(part)` for every part in [0, size()) at once and returns when all are done.
    /// `f` must not throw.
    template <class F>
    void run(F& f) {
        if (size_ == 1) return f(std::size_t{0});
        {
            std::lock_guard lock(mutex_);
            task_ = [](void* ctx, std::size_t part) { (*static_cast<F*>(ctx))(part); };
            context_ = &f;
            pending_ = size_ - 1;
            ++generation_;
        }
        wake_.notify_all();
        f(std::size_t{0});
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return pending_ == 0; });
    }

private:
    void work(std::size_t part) {
        std::size_t seen = 0;
        for (;;) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
            auto* task = task_;
            void* context = context_;
            lock.unlock();
            task(context, part);
            lock.lock();
            if (--pending_ == 0) done_.notify_one();
        }
    }

    std::size_t size_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    void (*task_)(void*, std::size_t) = nullptr;
    void* context_ = nullptr;
    std::size_t pending_ = 0, generation_ = 0;
    bool stopping_ = false;
};

}  // namespace typenet::detail
