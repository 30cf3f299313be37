// Fuzzes typenet::onnx::load (typenet/onnx/import.hpp): the input is a whole model file,
// loaded into the networks of the small fixtures it is seeded with (tests/fixtures/onnx),
// and typenet::onnx::type_declaration. Each may fail with io_error and nothing else, and
// a failed load leaves the network as it was.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <typenet/onnx/declaration.hpp>
#include <typenet/onnx/import.hpp>

#include "../onnx/fixture_networks.hpp"
#include "memory_file.hpp"

using typenet::fuzzing::require;
namespace fixtures = typenet::testing::onnx_fixtures;

namespace {

template <class Net>
void load(Net& net, std::span<const std::uint8_t> model) {
    const auto p = net.parameters();
    const auto b = net.buffers();
    const std::vector<typename Net::scalar_type> before(p.begin(), p.end()), buffers_before(b.begin(), b.end());
    try {
        typenet::onnx::load(net, model, "fuzzed.onnx");
    } catch (const typenet::io_error&) {
        // Bitwise, as NaN != NaN.
        const auto same = [](auto x, auto y) { return std::memcmp(&x, &y, sizeof x) == 0; };
        require(std::equal(before.begin(), before.end(), p.begin(), same));
        require(std::equal(buffers_before.begin(), buffers_before.end(), b.begin(), same));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fixtures::bn_chain<float> chain(1);
    static fixtures::matmul_head head(1);
    static fixtures::signal_net signal(1);
    static fixtures::branches_net branches(1);
    static fixtures::operators_net operators(1);
    const std::span<const std::uint8_t> model(data, size);
    load(chain, model);
    load(head, model);
    load(signal, model);
    load(branches, model);
    load(operators, model);
    try {
        typenet::onnx::type_declaration(model, "fuzzed.onnx", "model");
    } catch (const typenet::io_error&) {
    }
    return 0;
}
