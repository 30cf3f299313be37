// Fuzzes typenet/data/idx.hpp: the input is a whole file (raw or gzip), read as images and
// as labels. A reader may refuse it with data_error and nothing else; what it accepts must
// be what its header says.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <typenet/data/idx.hpp>

#include "memory_file.hpp"

using typenet::fuzzing::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static typenet::fuzzing::memory_file file;
    const auto& path = file.hold(data, size);
    try {
        const auto set = typenet::data::read_idx_images(path);
        require(set.count > 0 && set.channels == 1 && set.pixels.size() == set.count * set.rows * set.cols);
        require(std::all_of(set.pixels.begin(), set.pixels.end(), [](float p) { return p >= 0 && p <= 1; }));
    } catch (const typenet::data::data_error&) {
    }
    try {
        const auto labels = typenet::data::read_idx_labels(path, 10);
        require(!labels.empty());
        require(std::all_of(labels.begin(), labels.end(), [](std::uint8_t l) { return l < 10; }));
    } catch (const typenet::data::data_error&) {
    }
    return 0;
}
