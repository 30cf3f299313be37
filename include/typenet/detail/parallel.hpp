/// Defines `typenet::detail::layer_pool` and `split_rows`: how one layer shares the work
/// of a single sample between threads.
#pragma once

#include <cstddef>

#include <typenet/detail/thread_pool.hpp>

namespace typenet::detail {

/// The threads a layer may split one sample's work over: set by the network while it
/// runs a batch too small to split by samples, null everywhere else (the pool's own
/// workers included, so that work is never split twice).
inline thread_local thread_pool* layer_pool = nullptr;

// Below this many floating-point operations, waking a thread costs more than it saves.
inline constexpr std::size_t min_flops_to_split = std::size_t(1) << 22;

/// Calls work(first, last) over [0, rows), in one piece or, for a layer big enough, in
/// equal parts on the threads of layer_pool.
template <class Work>
void split_rows(long rows, std::size_t flops, Work&& work) {
    thread_pool* pool = layer_pool;
    if (pool == nullptr || pool->size() == 1 || flops < min_flops_to_split) return work(0L, rows);
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

}  // namespace typenet::detail
