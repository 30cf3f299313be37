// One network exported by typenet::onnx::save with the weights of a fixture (batch norm's
// running statistics among them), then read back by typenet::onnx::load into a new network
// of its type: every parameter and buffer bit for bit. Given a folder on the command line
// (`onnx_export_test -- DIR`), each model is also written there with an input and
// typenet's output, for check_exports.py to run in onnx.checker and OpenCV's dnn module.
// Include it after #define BOOST_TEST_MODULE.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <typenet/onnx/export.hpp>
#include <typenet/onnx/import.hpp>

#include "model_case.hpp"

namespace typenet::testing {

// The folder given on the command line, if any.
inline std::filesystem::path output_dir() {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    return suite.argc > 1 ? std::filesystem::path(suite.argv[1]) : std::filesystem::path();
}

inline void write_floats(const std::filesystem::path& file, const std::vector<float>& values) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
    write_all(file, std::span<const std::uint8_t>(p, values.size() * sizeof(float)));
}

// `Net` with the weights of fixture `fixture` (its own initial ones when empty), exported
// as `name`, read back.
template <class Net>
void check_export(const std::string& name, const std::string& fixture) {
    auto net = std::make_unique<Net>(11);
    if (!fixture.empty()) typenet::onnx::load(*net, onnx_fixtures_dir + fixture + "/model.onnx");
    const std::string bytes = typenet::onnx::model_bytes(*net);
    auto back = std::make_unique<Net>(12);
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    typenet::onnx::load(*back, std::span<const std::uint8_t>(data, bytes.size()), name + ".onnx");
    BOOST_TEST(std::equal(net->parameters().begin(), net->parameters().end(), back->parameters().begin()), name);
    BOOST_TEST(std::equal(net->buffers().begin(), net->buffers().end(), back->buffers().begin()), name);

    const auto dir = output_dir();
    if (dir.empty()) return;
    std::mt19937 random(5);
    std::normal_distribution<float> normal;
    std::vector<float> in(3 * Net::input_size), out(3 * Net::output_size);
    for (auto& v : in) v = normal(random);
    net->forward(in, out);
    typenet::onnx::save(*net, dir / (name + ".onnx"));
    write_floats(dir / (name + ".input"), in);
    write_floats(dir / (name + ".output"), out);
}

}  // namespace typenet::testing
