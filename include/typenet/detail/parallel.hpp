/// Defines how a network shares its work between threads: `worker_threads` (a pool and
/// an arena for each thread) splits a batch by samples, and `layer_pool` with `split_rows`
/// lets one layer split a single sample's work.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/thread_pool.hpp>

namespace typenet::detail {

/// The threads a layer may split one sample's work over: set by the network while it
/// runs a batch too small to split by samples, null everywhere else (the pool's own
/// workers included, so that work is never split twice).
inline thread_local thread_pool* layer_pool = nullptr;

// Below this many floating-point operations (about 10 us), handing half to a thread
// costs more than it saves; the pool's threads spin between the layers of a pass.
inline constexpr std::size_t min_flops_to_split = std::size_t(1) << 20;

/// Calls work(first, last) over [0, rows), in one piece or, for a layer big enough, in
/// equal parts on the threads of layer_pool. `cost`: the layer's time, in FLOPs of a
/// convolution that would take as long.
template <class Work>
void split_rows(long rows, std::size_t cost, Work&& work) {
    thread_pool* pool = layer_pool;
    if (pool == nullptr || pool->size() == 1 || cost < min_flops_to_split) return work(0L, rows);
    const long parts = long(pool->size());
    auto part = [&](std::size_t p) { work(rows * long(p) / parts, rows * long(p + 1) / parts); };
    pool->run(part);
}

/// Sets layer_pool for one scope.
class layer_pool_scope {
public:
    explicit layer_pool_scope(thread_pool* pool) : saved_(layer_pool) { layer_pool = pool; }
    layer_pool_scope(const layer_pool_scope&) = delete;
    layer_pool_scope& operator=(const layer_pool_scope&) = delete;
    ~layer_pool_scope() { layer_pool = saved_; }

private:
    thread_pool* saved_;
};

/// The threads of a network and an inference arena for each: started by set_threads, not
/// per call. A copy starts threads of its own.
template <class T>
class worker_threads {
public:
    explicit worker_threads(std::size_t arena_size) : arena_size_(arena_size) {}
    worker_threads(const worker_threads& other) : arena_size_(other.arena_size_) { resize(other.size()); }
    worker_threads& operator=(const worker_threads& other) {
        if (this != &other) resize(other.size());
        return *this;
    }

    std::size_t size() const { return pool_ ? pool_->size() : 1; }
    /// The pool, or null when the network runs on the caller's thread alone.
    thread_pool* pool() const { return pool_.get(); }
    /// Thread `part`'s arena (part ≥ 1; the caller's thread uses the network's own).
    T* arena(std::size_t part) { return arenas_[part - 1].data(); }

    void resize(std::size_t threads) {
        if (threads == 0) threads = 1;
        if (threads == size()) return;
        pool_.reset();
        arenas_.clear();
        if (threads == 1) return;
        for (std::size_t t = 1; t < threads; ++t) arenas_.emplace_back(arena_size_);
        pool_ = std::make_unique<thread_pool>(threads);
    }

private:
    std::size_t arena_size_;
    std::vector<aligned_buffer<T>> arenas_;
    std::unique_ptr<thread_pool> pool_;
};

}  // namespace typenet::detail
