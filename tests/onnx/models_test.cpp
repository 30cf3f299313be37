// torchvision's ResNet-18, ResNet-50, GoogLeNet and MobileNetV2, narrowed (fewer channels,
// the same structure: tests/fixtures/make_onnx_fixtures.py), exported by torch.onnx in
// eval mode (batch norm folded into the convolutions), imported into typenet types built
// from the blocks of include/typenet/models/: PyTorch's outputs. Then exported by typenet
// and read back (export_case.hpp).
#define BOOST_TEST_MODULE onnx_models
#include <boost/test/unit_test.hpp>

#include <typenet/models/googlenet.hpp>
#include <typenet/models/mobilenet_v2.hpp>
#include <typenet/models/resnet.hpp>

#include "export_case.hpp"
#include "model_case.hpp"
// The types examples/onnx_to_type prints for the same files (meson writes them).
#include "generated_googlenet_narrow.hpp"
#include "generated_mobilenet_v2_narrow.hpp"
#include "generated_resnet18_narrow.hpp"
#include "generated_resnet50_narrow.hpp"

namespace tn = typenet;
using namespace typenet::models;

namespace {

// torchvision's ResNet with 8 channels where it has 64.
template <class... Stages>
using narrow_resnet = tn::network<tn::input<3, 64, 64>, conv_bn<8, 7, 2, 3>, tn::relu, tn::max_pool<3, tn::stride<2>, tn::pad<1>>,
                                  Stages..., tn::global_avg_pool, tn::flatten, tn::dense<10>>;
using resnet18_narrow = narrow_resnet<basic_stage<2, 8, 1>, basic_stage<2, 16, 2>, basic_stage<2, 32, 2>, basic_stage<2, 64, 2>>;
using resnet50_narrow =
    narrow_resnet<bottleneck_stage<3, 8, 1>, bottleneck_stage<4, 16, 2>, bottleneck_stage<6, 32, 2>, bottleneck_stage<3, 64, 2>>;

// torchvision's GoogLeNet with every width divided by 8.
using googlenet_narrow = tn::network<
    tn::input<3, 64, 64>, conv_bn_relu<8, 7, tn::stride<2>, tn::pad<3>>, tn::max_pool<3, tn::stride<2>, tn::ceil_mode>,
    conv_bn_relu<8, 1>, conv_bn_relu<24, 3, tn::pad<1>>, tn::max_pool<3, tn::stride<2>, tn::ceil_mode>,
    inception<8, 12, 16, 2, 4, 4>, inception<16, 16, 24, 4, 12, 8>, tn::max_pool<3, tn::stride<2>, tn::ceil_mode>,
    inception<24, 12, 26, 2, 6, 8>, inception<20, 14, 28, 3, 8, 8>, inception<16, 16, 32, 3, 8, 8>,
    inception<14, 18, 36, 4, 8, 8>, inception<32, 20, 40, 4, 16, 16>, tn::max_pool<2, tn::stride<2>, tn::ceil_mode>,
    inception<32, 20, 40, 4, 16, 16>, inception<48, 24, 48, 6, 16, 16>, tn::global_avg_pool, tn::flatten,
    tn::dropout<20>, tn::dense<10>>;

// torchvision's MobileNetV2(width_mult=0.25): its channels rounded to multiples of 8.
using mobilenet_v2_narrow = tn::network<
    tn::input<3, 64, 64>, tn::conv2d<8, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::no_bias>, tn::batch_norm2d<>, tn::relu6,
    inverted_residual<8, 8, 1, 1>,
    inverted_residual<8, 8, 2, 6>, inverted_residual<8, 8, 1, 6>,
    inverted_residual<8, 8, 2, 6>, inverted_residual<8, 8, 1, 6>, inverted_residual<8, 8, 1, 6>,
    inverted_residual<8, 16, 2, 6>, inverted_residual<16, 16, 1, 6>, inverted_residual<16, 16, 1, 6>,
    inverted_residual<16, 16, 1, 6>,
    inverted_residual<16, 24, 1, 6>, inverted_residual<24, 24, 1, 6>, inverted_residual<24, 24, 1, 6>,
    inverted_residual<24, 40, 2, 6>, inverted_residual<40, 40, 1, 6>, inverted_residual<40, 40, 1, 6>,
    inverted_residual<40, 80, 1, 6>,
    tn::conv2d<1280, tn::kernel<1>, tn::no_bias>, tn::batch_norm2d<>, tn::relu6, tn::global_avg_pool, tn::flatten,
    tn::dropout<20>, tn::dense<10>>;

}  // namespace

using typenet::testing::onnx_relative_error;

// Each model into the type written with typenet's model blocks, and into the type
// onnx_to_type prints for the file.
template <class Written, class Generated>
void check_both(const std::string& name) {
    BOOST_TEST(onnx_relative_error<Written>(name) < 1e-5);
    BOOST_TEST(onnx_relative_error<Generated>(name) < 1e-5);
}

BOOST_AUTO_TEST_CASE(narrow_resnet18) { check_both<resnet18_narrow, generated_resnet18_narrow>("resnet18_narrow"); }
BOOST_AUTO_TEST_CASE(narrow_resnet50) { check_both<resnet50_narrow, generated_resnet50_narrow>("resnet50_narrow"); }
BOOST_AUTO_TEST_CASE(narrow_googlenet) { check_both<googlenet_narrow, generated_googlenet_narrow>("googlenet_narrow"); }
BOOST_AUTO_TEST_CASE(narrow_mobilenet_v2) {
    check_both<mobilenet_v2_narrow, generated_mobilenet_v2_narrow>("mobilenet_v2_narrow");
}

// Exported, read back bit for bit, and (check_exports.py) run in OpenCV.
BOOST_AUTO_TEST_CASE(exported_models_load_back_bit_for_bit) {
    using typenet::testing::check_export;
    check_export<resnet18_narrow>("resnet18_narrow", "resnet18_narrow");
    check_export<resnet50_narrow>("resnet50_narrow", "resnet50_narrow");
    check_export<googlenet_narrow>("googlenet_narrow", "googlenet_narrow");
    check_export<mobilenet_v2_narrow>("mobilenet_v2_narrow", "mobilenet_v2_narrow");
}
