/// Defines how a network shares its work between threads: `worker_threads` (a pool and
/// an arena for each thread) splits a batch by samples, and `layer_pool` with
/// `split_parts` (equal parts) or `share_rows` (pieces, helped at the end) lets one layer
/// split a single sample's work.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/thread_pool.hpp>

namespace typenet::detail {

/// The threads a layer may split one sample's work over: set by the network while it
/// runs a batch too small to split by samples, null everywhere else (the pool's own
/// workers included, so that work is never split twice).
inline thread_local thread_pool* layer_pool = nullptr;
/// The arenas of layer_pool's threads, the caller's first, while layer_pool is set.
template <class T>
inline thread_local T* const* layer_arenas = nullptr;

// Below this many floating-point operations (about 10 us), handing half to a thread
// costs more than it saves; the pool's threads spin between the layers of a pass.
inline constexpr std::size_t min_flops_to_split = std::size_t(1) << 20;

// The threads to split a layer over, or null to run it whole on the caller's thread.
// `cost`: the layer's time, in FLOPs of a convolution that would take as long.
inline thread_pool* pool_to_split(std::size_t cost) {
    thread_pool* pool = layer_pool;
    return pool == nullptr || pool->size() == 1 || cost < min_flops_to_split ? nullptr : pool;
}

/// Calls work(first, last, part) over [0, rows), in one piece (part 0) or, for a layer big
/// enough (pool_to_split), in equal parts on the threads of layer_pool.
template <class Work>
void split_parts(long rows, std::size_t cost, Work&& work) {
    thread_pool* pool = pool_to_split(cost);
    if (pool == nullptr) return work(0L, rows, std::size_t{0});
    const long parts = long(pool->size());
    auto part = [&](std::size_t p) { work(rows * long(p) / parts, rows * long(p + 1) / parts, p); };
    pool->run(part);
}

/// split_parts for work(first, last) that is the same on every thread.
template <class Work>
void split_rows(long rows, std::size_t cost, Work&& work) {
    split_parts(rows, cost, [&](long first, long last, std::size_t) { work(first, last); });
}

/// Calls start(part) once on each thread, then work(first, last, part) over [0, rows) in
/// pieces of `grain` rows (the last may be shorter), in order or, when `backward`, in
/// reverse: on the caller's thread alone for a small layer or no layer_pool. Else each
/// thread owns an equal run of the pieces and takes them from its front (its back, when
/// `backward`); a thread done with its own takes the others' from their other end.
/// - Owning: a thread computes the same rows from call to call, so that what they read
///   and write stays in its own cache. Pieces from one shared counter, taken by whichever
///   thread came first, moved rows between the cores from call to call: W3 on 2 threads
///   ran about 10% slower that way (interleaved A/B).
/// - Taking the others': on a shared machine one core often runs slower than the other
///   for a while, and equal parts would wait for it.
template <class Start, class Work>
void share_rows(long rows, long grain, std::size_t cost, bool backward, Start&& start, Work&& work) {
    const long pieces = (rows + grain - 1) / grain;
    auto piece = [&](long k, std::size_t part) { work(k * grain, std::min(rows, (k + 1) * grain), part); };
    thread_pool* pool = pool_to_split(cost);
    if (pool == nullptr) {
        start(std::size_t{0});
        for (long k = 0; k < pieces; ++k) piece(backward ? pieces - 1 - k : k, 0);
        return;
    }
    const std::size_t parts = pool->size();
    for (std::size_t p = 0; p < parts; ++p)
        pool->range(p).reset(std::uint32_t(pieces * long(p) / long(parts)),
                             std::uint32_t(pieces * long(p + 1) / long(parts)));
    auto part = [&](std::size_t p) {
        start(p);
        for (std::size_t o = 0; o < parts; ++o) {
            claimable_range& range = pool->range((p + o) % parts);
            const bool from_back = backward != (o > 0);  // the others' from their other end
            for (long k; (k = range.take(from_back)) >= 0;) piece(k, p);
        }
    };
    pool->run(part);
}

/// A scratch's place in the arena of each thread of layer_pool (the kept region after
/// each arena too), so that each thread prepares a scratch of its own: two cores reading
/// one copy of Winograd's transformed weights ran W3's products 17% slower than each
/// reading its own, and a layer keeps its copy there between passes. Made on the
/// caller's thread; a null scratch (no kept region) stays null.
template <class T>
class own_scratch {
public:
    explicit own_scratch(T* scratch) : scratch_(scratch), arenas_(layer_arenas<T>) {}
    /// The scratch of the thread that runs `part` of a split.
    T* operator()(std::size_t part) const {
        return part == 0 || !scratch_ ? scratch_ : arenas_[part] + (scratch_ - arenas_[0]);
    }

private:
    T* scratch_;
    T* const* arenas_;
};

/// Sets layer_pool and layer_arenas for one scope.
template <class T>
class layer_pool_scope {
public:
    layer_pool_scope(thread_pool* pool, T* const* arenas) : saved_(layer_pool), saved_arenas_(layer_arenas<T>) {
        layer_pool = pool;
        layer_arenas<T> = arenas;
    }
    layer_pool_scope(const layer_pool_scope&) = delete;
    layer_pool_scope& operator=(const layer_pool_scope&) = delete;
    ~layer_pool_scope() {
        layer_pool = saved_;
        layer_arenas<T> = saved_arenas_;
    }

private:
    thread_pool* saved_;
    T* const* saved_arenas_;
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
    /// Every thread's arena, the caller's `own` first (for layer_arenas), or null with no
    /// pool.
    T* const* arenas(T* own) {
        if (starts_.empty()) return nullptr;
        starts_[0] = own;
        return starts_.data();
    }

    void resize(std::size_t threads) {
        if (threads == 0) threads = 1;
        if (threads == size()) return;
        pool_.reset();
        arenas_.clear();
        starts_.clear();
        if (threads == 1) return;
        starts_.push_back(nullptr);
        for (std::size_t t = 1; t < threads; ++t) starts_.push_back(arenas_.emplace_back(arena_size_).data());
        pool_ = std::make_unique<thread_pool>(threads);
    }

private:
    std::size_t arena_size_;
    std::vector<aligned_buffer<T>> arenas_;
    std::vector<T*> starts_;
    std::unique_ptr<thread_pool> pool_;
};

}  // namespace typenet::detail
