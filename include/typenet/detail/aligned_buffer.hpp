/// Defines `typenet::detail::aligned_buffer`, a fixed-size array on the heap aligned for
/// the widest vector loads, allocated once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

namespace typenet::detail {

inline constexpr std::size_t buffer_alignment = 64;  // one cache line, one AVX-512 register

/// n values rounded up to whole cache lines of floats, so that buffers placed one after
/// another in an aligned one all start on a line: a vector that straddles two lines costs
/// two loads or stores.
constexpr std::size_t whole_lines(std::size_t n) { return (n + 15) / 16 * 16; }

template <class T>
class aligned_buffer {
public:
    explicit aligned_buffer(std::size_t n) : size_(n), data_(allocate(n)) {}
    aligned_buffer(const aligned_buffer& other) : aligned_buffer(other.size_) {
        std::copy(other.data(), other.data() + size_, data());
    }
    aligned_buffer(aligned_buffer&&) noexcept = default;
    aligned_buffer& operator=(const aligned_buffer& other) {
        if (this != &other) *this = aligned_buffer(other);
        return *this;
    }
    aligned_buffer& operator=(aligned_buffer&&) noexcept = default;

    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    std::size_t size() const { return size_; }

private:
    struct release {
        void operator()(T* p) const { ::operator delete[](p, std::align_val_t{buffer_alignment}); }
    };
    static T* allocate(std::size_t n) {
        if (n == 0) return nullptr;
        T* p = static_cast<T*>(::operator new[](n * sizeof(T), std::align_val_t{buffer_alignment}));
        std::fill(p, p + n, T(0));
        return p;
    }
    std::size_t size_;
    std::unique_ptr<T, release> data_;
};

}  // namespace typenet::detail
