// Replaces every global operator new and delete with versions that count allocations, for
// tests that prove code allocates nothing (or exactly what it should).
//
// Include it in exactly ONE translation unit per test executable: it defines the
// replaceable global allocation functions, which may be defined once per program and may
// not be inline. Then read the count:
//
//     const long before = typenet::testing::allocations();
//     run();
//     BOOST_TEST(typenet::testing::allocations() - before == 0);
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace typenet::testing {

namespace detail {
inline std::atomic<long> allocation_count{0};

inline void* counted_allocation(std::size_t n, std::size_t align) {
    ++allocation_count;
    const std::size_t rounded = (n + align - 1) / align * align;
    if (void* p = std::aligned_alloc(align, rounded == 0 ? align : rounded)) return p;
    throw std::bad_alloc();
}
}  // namespace detail

/// How many times operator new has been called in this program so far.
inline long allocations() { return detail::allocation_count.load(); }

}  // namespace typenet::testing

void* operator new(std::size_t n) {
    return typenet::testing::detail::counted_allocation(n, alignof(std::max_align_t));
}
void* operator new[](std::size_t n) {
    return typenet::testing::detail::counted_allocation(n, alignof(std::max_align_t));
}
void* operator new(std::size_t n, std::align_val_t a) {
    return typenet::testing::detail::counted_allocation(n, std::size_t(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return typenet::testing::detail::counted_allocation(n, std::size_t(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
