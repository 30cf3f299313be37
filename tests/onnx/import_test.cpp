// typenet::onnx::load against models exported by torch.onnx.export
// (tests/fixtures/make_onnx_fixtures.py): each one imported into its typenet type gives
// PyTorch's output, and each way of getting a file wrong is an error that names the node
// and the layer and leaves the network unchanged.
#define BOOST_TEST_MODULE onnx_import
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <typenet/onnx/declaration.hpp>
#include <typenet/onnx/import.hpp>
#include <typenet/typenet.hpp>

#include "../support/temp_dir.hpp"
#include "fixture_networks.hpp"
#include "model_case.hpp"
// The types examples/onnx_to_type prints for the same files (meson writes them).
#include "generated_bn_chain_folded.hpp"
#include "generated_bn_chain_separate.hpp"
#include "generated_branches_folded.hpp"
#include "generated_branches_separate.hpp"
#include "generated_lenet5_opset11.hpp"
#include "generated_lenet5_opset17.hpp"
#include "generated_matmul_head.hpp"
#include "generated_operators_opset11.hpp"
#include "generated_operators_opset13.hpp"
#include "generated_seed_net.hpp"
#include "generated_signal_1d.hpp"

namespace tn = typenet;
using typenet::testing::bytes;
using namespace typenet::testing::onnx_fixtures;
using typenet::testing::onnx_relative_error;

namespace {

const std::string& fixtures = typenet::testing::onnx_fixtures_dir;

// Loading `file` into a LeNet-5 fails with a message holding every one of `parts`, and
// the network keeps every parameter it had.
void check_refused(const std::string& file, const std::vector<std::string>& parts) {
    auto net = std::make_unique<tn::models::lenet5<>>(3);
    const std::vector<float> before(net->parameters().begin(), net->parameters().end());
    try {
        tn::onnx::load(*net, file);
        BOOST_ERROR(file << " was loaded");
    } catch (const tn::io_error& e) {  // import_error, or a file that cannot be read
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        for (const auto& part : parts) BOOST_TEST(message.find(part) != std::string::npos, part << " in: " << message);
    }
    BOOST_TEST(std::equal(before.begin(), before.end(), net->parameters().begin()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(chains_give_pytorch_s_outputs) {
    BOOST_TEST(onnx_relative_error<seed_net>("seed_net") < 1e-5);
    BOOST_TEST(onnx_relative_error<tn::models::lenet5<>>("lenet5_opset11") < 1e-5);
    BOOST_TEST(onnx_relative_error<tn::models::lenet5<double>>("lenet5_opset17") < 1e-6);
    BOOST_TEST(onnx_relative_error<matmul_head>("matmul_head") < 1e-5);
}

// PReLU, a Pad node computed from constants, a dilated max pool, ConvTranspose, LogSoftmax
// over the channels (between two Transposes in opset 11).
BOOST_AUTO_TEST_CASE(operators_beyond_the_torchvision_models) {
    BOOST_TEST(onnx_relative_error<operators_net>("operators_opset11") < 1e-5);
    BOOST_TEST(onnx_relative_error<operators_net>("operators_opset13") < 1e-5);
}

// Batch norm as its own node, and folded by the exporter into the convolution before it;
// grouped and depthwise convolutions, ReLU6 as Clip, ceil_mode, padding excluded from a mean.
BOOST_AUTO_TEST_CASE(batch_norm_separate_or_folded) {
    BOOST_TEST(onnx_relative_error<bn_chain<float>>("bn_chain_separate") < 1e-5);
    BOOST_TEST(onnx_relative_error<bn_chain<float>>("bn_chain_folded") < 1e-5);
    BOOST_TEST(onnx_relative_error<bn_chain<double>>("bn_chain_folded") < 1e-6);
    BOOST_TEST(onnx_relative_error<signal_net>("signal_1d") < 1e-5);
}

// Residual blocks (an Add of the body and the shortcut) and a concat (a Concat of its branches).
BOOST_AUTO_TEST_CASE(residual_and_concatenated_branches) {
    BOOST_TEST(onnx_relative_error<branches_net>("branches_separate") < 1e-5);
    BOOST_TEST(onnx_relative_error<branches_net>("branches_folded") < 1e-5);
}

// The types onnx_to_type prints compile (this file includes them) and load their files.
BOOST_AUTO_TEST_CASE(generated_types_load_their_files) {
    BOOST_TEST(onnx_relative_error<generated_seed_net>("seed_net") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_lenet5_opset11>("lenet5_opset11") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_lenet5_opset17>("lenet5_opset17") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_bn_chain_folded>("bn_chain_folded") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_bn_chain_separate>("bn_chain_separate") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_matmul_head>("matmul_head") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_signal_1d>("signal_1d") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_branches_folded>("branches_folded") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_branches_separate>("branches_separate") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_operators_opset11>("operators_opset11") < 1e-5);
    BOOST_TEST(onnx_relative_error<generated_operators_opset13>("operators_opset13") < 1e-5);
    static_assert(std::is_same_v<generated_operators_opset13, operators_net>);
}

BOOST_AUTO_TEST_CASE(a_model_without_a_typenet_type_is_an_error_naming_the_node) {
    const auto refused = [](const std::string& file, const std::string& part) {
        try {
            tn::onnx::type_declaration(file, "model");
            BOOST_ERROR(file << " has a type");
        } catch (const tn::onnx::import_error& e) {
            BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, part << " in: " << e.what());
        }
    };
    refused(fixtures + "errors/unsupported_op.onnx",
            "unsupported_op.onnx: node #1 \"/1/Relu\" (Selu): typenet has no layer for the ONNX operator Selu");
    refused(fixtures + "lenet5_opset11/test_data_set_0/input_0.pb", "input_0.pb: not an ONNX model");
    // A model whose stride differs from LeNet-5's has a type of its own.
    BOOST_TEST(tn::onnx::type_declaration(fixtures + "errors/stride_2.onnx", "m").find(
                   "tn::conv2d<6, tn::kernel<5>, tn::stride<2>, tn::pad<2>>,") != std::string::npos);
}

// Found by the fuzz target: a pool's padding of 2^30 kept the type generator checking a
// billion windows. Sizes no network has are refused at once.
BOOST_AUTO_TEST_CASE(sizes_beyond_any_network_are_refused_at_once) {
    const std::string file = fixtures + "operators_opset13/model.onnx";
    const auto bytes = typenet::testing::read_all(file);
    auto model = tn::onnx::read_model(bytes, file);
    for (auto& node : *model.mutable_graph()->mutable_node())
        if (node.op_type() == "MaxPool")
            for (auto& a : *node.mutable_attribute())
                if (a.name() == "pads")
                    for (int i = 0; i < a.ints_size(); ++i) a.set_ints(i, std::int64_t{1} << 30);
    std::string changed;
    model.SerializeToString(&changed);
    try {
        tn::onnx::type_declaration(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(changed.data()),
                                                                 changed.size()),
                                   "huge_pads.onnx", "model");
        BOOST_ERROR("a pool padded by 2^30 has a type");
    } catch (const tn::onnx::import_error& e) {
        BOOST_TEST(std::string(e.what()).find("(MaxPool:") != std::string::npos, e.what());
        BOOST_TEST(std::string(e.what()).find("its pads are beyond any network's (2^24)") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_model_that_differs_from_the_type_is_refused_by_node_and_layer) {
    const std::string errors = fixtures + "errors/";
    check_refused(errors + "stride_2.onnx",
                  {"stride_2.onnx: node #0", "(Conv:", "strides=[2,2]", "layer 0 \"conv2d 6 5x5", "its strides are [2,2], the layer's [1,1]"});
    check_refused(errors + "missing_node.onnx", {"(MaxPool", "layer 4 \"relu\"", "the layer is an ONNX Relu, not MaxPool"});
    check_refused(errors + "wrong_channels.onnx",
                  {"(Conv:", "layer 3 \"conv2d 16 5x5\"", "dimensions (17, 6, 5, 5)", "3.weight has (16, 6, 5, 5)"});
    check_refused(errors + "unsupported_op.onnx", {"(Selu)", "layer 1 \"relu\"", "the layer is an ONNX Relu, not Selu"});
    check_refused(errors + "extra_node.onnx", {"\"/extra/Relu\" (Relu)", "is not part of the network", "layer 11"});
    // A model of another network: its input is not LeNet-5's.
    check_refused(fixtures + "signal_1d/model.onnx", {"the graph's input \"input\" has shape (2, 4, 30)", "(N, 1, 28, 28)"});
}

BOOST_AUTO_TEST_CASE(a_damaged_file_is_refused) {
    typenet::testing::temp_dir dir;
    const bytes model = typenet::testing::read_all(fixtures + "lenet5_opset11/model.onnx");
    const auto write = [&](const std::string& name, const bytes& b) { return dir.write(name, b).string(); };
    check_refused(write("truncated.onnx", bytes(model.begin(), model.begin() + long(model.size() / 2))),
                  {"truncated.onnx: not an ONNX model: protobuf cannot parse its"});
    check_refused(write("text.onnx", bytes{'h', 'e', 'l', 'l', 'o', '\n'}), {"text.onnx: not an ONNX model"});
    check_refused(write("empty.onnx", bytes{}), {"empty.onnx: not an ONNX model: it has no graph"});
    check_refused((dir / "absent.onnx").string(), {"absent.onnx: cannot open"});
}
