// typenet::onnx::save: each small network of the fixtures exported and read back (see
// export_case.hpp); onnx_models_test does the same for the narrowed torchvision models.
#define BOOST_TEST_MODULE onnx_export
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "export_case.hpp"
#include "fixture_networks.hpp"

namespace tn = typenet;
using namespace typenet::testing::onnx_fixtures;

using typenet::testing::check_export;

BOOST_AUTO_TEST_CASE(exported_networks_load_back_bit_for_bit) {
    check_export<tn::models::lenet5<>>("lenet5", "lenet5_opset11");
    check_export<seed_net>("seed_net", "seed_net");
    check_export<bn_chain<float>>("bn_chain", "bn_chain_separate");
    check_export<matmul_head>("matmul_head", "matmul_head");
    check_export<signal_net>("signal_1d", "signal_1d");
    check_export<branches_net>("branches", "branches_separate");
    // The activations no fixture has, with the network's own initial weights.
    using activations = tn::network<tn::input<3, 8, 8>, tn::conv2d<4, tn::kernel<3>>, tn::elu<1, 2>, tn::max_pool<2>,
                                    tn::flatten, tn::dense<5>, tn::elu<>, tn::dense<3>, tn::softmax>;
    check_export<activations>("activations", "");
}

// A dense layer's bias before a BatchNormalization node, loaded into a dense layer without
// bias: the bias goes into the batch norm's mean, and the outputs stay.
BOOST_AUTO_TEST_CASE(a_bias_before_a_batch_norm_node_moves_into_its_mean) {
    using with_bias = tn::basic_network<double, tn::input<5>, tn::dense<4>, tn::batch_norm1d<>, tn::tanh>;
    using without = tn::basic_network<double, tn::input<5>, tn::dense<4, tn::no_bias>, tn::batch_norm1d<>, tn::tanh>;
    auto a = std::make_unique<with_bias>(3);
    for (std::size_t i = 0; i < a->buffers().size(); ++i) a->buffers()[i] = 0.5 + 0.1 * double(i);  // mean, variance
    for (std::size_t i = 20; i < 24; ++i) a->parameters()[i] = 0.3 * double(i) - 6.5;  // a bias far from 0
    const std::string bytes = tn::onnx::model_bytes(*a);
    auto b = std::make_unique<without>(4);
    tn::onnx::load(*b, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                   "dense_bias.onnx");
    const std::vector<double> in{0.3, -1.2, 0.7, 2.0, -0.4};
    const auto ya = (*a)(std::span<const double, 5>(in.data(), 5));
    const auto yb = (*b)(std::span<const double, 5>(in.data(), 5));
    for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(yb[i] == ya[i], boost::test_tools::tolerance(1e-6));
}
