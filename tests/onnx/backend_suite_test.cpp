// The ONNX backend test suite that Debian ships (libonnx-testdata, node/ and
// pytorch-converted/): each CNN test with a typenet network (backend_suite_types.hpp,
// written by make_backend_suite_types.py) imported into it and run on the suite's input,
// against the suite's expected output within 1e-4 of its largest value. The suite gives
// weights as inputs (input_1.pb, ...): they become initializers first.
#define BOOST_TEST_MODULE onnx_backend_suite
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/onnx/import.hpp>

#include "backend_suite_types.hpp"
#include "model_case.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path suite = "/usr/share/libonnx-testdata/data";

// The tests that fail, and why (the README lists them too).
const std::map<std::string, std::string> known_failures = {
    {"node/test_batchnorm_epsilon_training_mode", "batch norm in training mode: the batch's statistics, 3 outputs"},
    {"node/test_batchnorm_example_training_mode", "batch norm in training mode: the batch's statistics, 3 outputs"},
    {"node/test_dropout_default_mask", "a second output (the mask)"},
    {"node/test_dropout_default_mask_ratio", "a second output (the mask)"},
    {"node/test_maxpool_with_argmax_2d_precomputed_pads", "a second output (the indices)"},
    {"node/test_maxpool_with_argmax_2d_precomputed_strides", "a second output (the indices)"},
    {"node/test_maxpool_2d_uint8", "integer data"},
};

// The model of `folder` with its weights, given as test inputs, made initializers.
std::string with_weights_inside(const fs::path& folder) {
    const auto bytes = typenet::onnx::read_model_bytes(folder / "model.onnx");
    auto model = typenet::onnx::read_model(bytes, folder / "model.onnx");
    auto* graph = model.mutable_graph();
    for (int k = 1; k < graph->input_size(); ++k) {
        const auto path = folder / "test_data_set_0" / fmt::format("input_{}.pb", k);
        if (!fs::exists(path)) continue;
        const auto data = typenet::testing::read_all(path);
        auto* t = graph->add_initializer();
        BOOST_TEST_REQUIRE(t->ParseFromArray(data.data(), int(data.size())), path);
        t->set_name(graph->input(k).name());
    }
    std::string out;
    model.SerializeToString(&out);
    return out;
}

// "" when the test passes, else what went wrong.
template <class Net>
std::string run(const fs::path& folder) {
    try {
        const std::string model = with_weights_inside(folder);
        auto net = std::make_unique<Net>(1);
        typenet::onnx::load(*net, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(model.data()), model.size()),
                            folder / "model.onnx");
        const double error = typenet::testing::relative_error(
            *net, typenet::testing::tensor_values(folder / "test_data_set_0" / "input_0.pb"),
            typenet::testing::tensor_values(folder / "test_data_set_0" / "output_0.pb"));
        if (!(error <= 1e-4)) return fmt::format("largest error {:.3g} of the largest output", error);
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_cnn_test_with_a_typenet_network_passes) {
    int passed = 0, failed = 0;
#define TYPENET_RUN_CASE(folder, net)                                                                              \
    {                                                                                                              \
        const std::string problem = run<typenet::testing::backend_suite::net>(suite / folder);                    \
        const bool known = known_failures.count(folder) != 0;                                                      \
        if (problem.empty()) {                                                                                     \
            ++passed;                                                                                              \
            BOOST_TEST(!known, folder << " passes: take it off the known failures");                               \
        } else {                                                                                                   \
            ++failed;                                                                                              \
            BOOST_TEST(known, folder << ": " << problem);                                                          \
        }                                                                                                          \
    }
    TYPENET_BACKEND_SUITE_CASES(TYPENET_RUN_CASE)
#undef TYPENET_RUN_CASE
    BOOST_TEST_MESSAGE(passed << " passed, " << failed << " known failures");
}
