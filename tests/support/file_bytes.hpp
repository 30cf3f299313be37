// Bytes of hand-made data files, for the tests and the fuzz seeds: concatenation, and the
// header of an IDX file.
//
//     const bytes labels = idx_header(0x08, {3}) + bytes{7, 0, 9};
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace typenet::testing {

using bytes = std::vector<std::uint8_t>;

inline bytes operator+(bytes a, const bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

/// An IDX header: 0x00 0x00 <type> <rank>, then each dimension big-endian.
inline bytes idx_header(std::uint8_t type, std::initializer_list<std::uint32_t> dims) {
    bytes b{0, 0, type, static_cast<std::uint8_t>(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift : {24, 16, 8, 0}) b.push_back(static_cast<std::uint8_t>(d >> shift));
    return b;
}

}  // namespace typenet::testing
