// Fuzzes typenet::load_parameters (typenet/serialize.hpp): the input is a whole file,
// loaded into a float and a double network with a block inside. Loading may fail with
// io_error and nothing else, and a failed load leaves the network as it was.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <typenet/serialize.hpp>

#include "fuzzed_network.hpp"
#include "memory_file.hpp"

using typenet::fuzzing::require;

namespace {

template <class Net>
void load(Net& net, const std::filesystem::path& path, bool allow_non_finite) {
    const auto p = net.parameters();
    const std::vector<typename Net::scalar_type> before(p.begin(), p.end());
    try {
        typenet::load_parameters(net, path, {.allow_non_finite = allow_non_finite});
        if (!allow_non_finite) require(std::all_of(p.begin(), p.end(), [](auto v) { return std::isfinite(v); }));
    } catch (const typenet::io_error&) {
        require(std::memcmp(before.data(), p.data(), p.size_bytes()) == 0);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static typenet::fuzzing::memory_file file;
    static typenet::fuzzing::fuzzed_network<float> float_net(1);
    static typenet::fuzzing::fuzzed_network<double> double_net(1);
    const auto& path = file.hold(data, size);
    // Both ways for each scalar type, on inputs of either parity.
    load(float_net, path, size % 2 == 0);
    load(double_net, path, size % 2 == 1);
    return 0;
}
