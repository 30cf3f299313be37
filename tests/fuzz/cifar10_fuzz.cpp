// Fuzzes typenet/data/cifar10.hpp: the input is a whole batch file (raw or gzip). The
// reader may refuse it with data_error and nothing else; what it accepts is whole records.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <typenet/data/cifar10.hpp>

#include "memory_file.hpp"

using typenet::fuzzing::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static typenet::fuzzing::memory_file file;
    try {
        // A few records at most: gzip can make a small input inflate to many.
        const auto set = typenet::data::read_cifar10_batch(file.hold(data, size), 16);
        require(set.size() > 0 && set.size() <= 16 && set.labels.size() == set.size());
        require(set.images.pixels.size() == set.size() * 3 * 32 * 32);
        require(std::all_of(set.labels.begin(), set.labels.end(), [](std::uint8_t l) { return l < 10; }));
    } catch (const typenet::data::data_error&) {
    }
    return 0;
}
