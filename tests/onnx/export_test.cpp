// typenet::onnx::save: each small network of the fixtures exported and read back (see
// export_case.hpp); onnx_models_test does the same for the narrowed torchvision models.
#define BOOST_TEST_MODULE onnx_export
#include <boost/test/unit_test.hpp>

#include <algorithm>
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
    // The operators of ONNX's CNN set that PyTorch fixtures cover layer by layer.
    using image_operators =
        tn::network<tn::input<3, 9, 9>, tn::zero_pad<1, 0, 2, 1>, tn::conv2d<4, tn::kernel<3>>, tn::prelu<4>,
                    tn::max_pool<2, tn::stride<1>>, tn::avg_pool<3, tn::stride<2>, tn::pad<1>, tn::exclude_padding>,
                    tn::conv2d<5, tn::kernel<1>>, tn::prelu<>, tn::log_softmax>;
    check_export<image_operators>("image_operators", "");
    // What OpenCV does not run: pools ONNX allows and PyTorch does not (a dilated window,
    // padding over half the window, counted in the mean), a dilated transposed convolution
    // with asymmetric padding.
    using beyond_opencv =
        tn::network<tn::input<2, 9, 10>, tn::max_pool<3, tn::stride<2>, tn::pad<1>, tn::dilation<2>>,
                    tn::avg_pool<3, tn::stride<1>, tn::pad<2>>,
                    tn::conv_transpose2d<4, tn::kernel<3, 2>, tn::stride<2, 1>, tn::pad<1, 0, 0, 1>, tn::dilation<1, 2>,
                                         tn::groups<2>>>;
    check_export<beyond_opencv>("beyond_opencv", "");
    using upsampling =
        tn::network<tn::input<3, 6, 7>, tn::conv2d<4, tn::kernel<3>, tn::stride<2>, tn::pad<1>>, tn::relu,
                    tn::conv_transpose2d<4, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::output_padding<1>>, tn::relu,
                    tn::conv_transpose2d<6, tn::kernel<3, 2>, tn::stride<2, 1>, tn::pad<1, 0>, tn::groups<2>, tn::no_bias>,
                    tn::sigmoid>;
    check_export<upsampling>("upsampling", "");
    using volume = tn::network<tn::input<2, 6, 7, 8>, tn::conv3d<4, tn::kernel<3>, tn::pad<1>>, tn::batch_norm3d<>, tn::relu,
                               tn::max_pool3d<2>, tn::conv3d<3, tn::kernel<1, 3, 3>, tn::stride<1, 2, 2>, tn::pad<0, 1, 1>>,
                               tn::avg_pool3d<2, tn::width<1, 1>, tn::stride<1>>, tn::flatten, tn::dense<5>>;
    check_export<volume>("volume", "");
    using channel_softmax = tn::network<tn::input<2, 6, 7>, tn::conv2d<4, tn::kernel<3>, tn::pad<1>>, tn::softmax>;
    check_export<channel_softmax>("channel_softmax", "");
    using vector_operators = tn::network<tn::input<6>, tn::dense<8>, tn::prelu<8>, tn::dense<4>, tn::prelu<>, tn::log_softmax>;
    check_export<vector_operators>("vector_operators", "");
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

// A model of network A loaded into network B, which differs in one layer's options: the
// error names the node and the layer and what differs, and B keeps its parameters.
template <class A, class B>
void check_refused(const std::vector<std::string>& parts) {
    const auto a = std::make_unique<A>(1);
    const std::string bytes = tn::onnx::model_bytes(*a);
    auto b = std::make_unique<B>(2);
    const std::vector<float> before(b->parameters().begin(), b->parameters().end());
    try {
        tn::onnx::load(*b, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                       "other.onnx");
        BOOST_ERROR("a model of another network was loaded");
    } catch (const tn::onnx::import_error& e) {
        const std::string message = e.what();
        for (const auto& part : parts) BOOST_TEST(message.find(part) != std::string::npos, part << " in: " << message);
    }
    BOOST_TEST(std::equal(before.begin(), before.end(), b->parameters().begin()));
}

BOOST_AUTO_TEST_CASE(the_new_operators_are_checked_node_by_node) {
    using image = tn::input<4, 6, 6>;
    check_refused<tn::network<image, tn::prelu<4>>, tn::network<image, tn::prelu<>>>(
        {"node #0 \"/0/PRelu\" (PRelu)", "layer 0 \"prelu\"", "dimensions (4, 1, 1); the layer has one slope"});
    check_refused<tn::network<image, tn::log_softmax>, tn::network<image, tn::softmax>>(
        {"node #0 \"/0/Transpose\"", "layer 0 \"softmax\"", "a Transpose is read only where it puts the channels last for a Softmax"});
    check_refused<tn::network<image, tn::zero_pad<1, 0, 2, 1>>, tn::network<image, tn::zero_pad<1>>>(
        {"(Pad: pads=[0,0,1,2,0,0,0,1])", "layer 0 \"zero_pad 1,1,1,1\"", "its spatial pads are [1,2,0,1], the layer's [1,1,1,1]"});
    check_refused<tn::network<image, tn::max_pool<2, tn::stride<1>, tn::dilation<2>>>,
                  tn::network<image, tn::max_pool<3, tn::stride<1>>>>(
        {"(MaxPool:", "layer 0 \"max_pool 3x3 stride 1x1\"", "its kernel_shape are [2,2], the layer's [3,3]"});
    check_refused<tn::network<image, tn::conv_transpose2d<3, tn::kernel<3>, tn::stride<2>, tn::output_padding<1>>>,
                  tn::network<image, tn::conv_transpose2d<3, tn::kernel<3>, tn::stride<2>>>>(
        {"(ConvTranspose:", "layer 0 \"conv_transpose2d 3 3x3 stride 2\"", "its output_padding is [1,1], the layer's [0,0]"});
}
