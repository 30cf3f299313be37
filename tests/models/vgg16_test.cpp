// VGG-16 and VGG-16 with batch norm against torchvision 0.14's, in eval mode and one SGD step.
// tests/support/model_check.hpp says how; the parameter counts at 3×224×224 and 1000
// classes are static_asserts in the model headers.
#define BOOST_TEST_MODULE vgg16
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <typenet/layout.hpp>
#include <typenet/models/vgg16.hpp>

#include "../support/model_check.hpp"

using namespace typenet::testing;

BOOST_AUTO_TEST_CASE(vgg16_matches_torchvision) {
    check_model_and_step<typenet::models::vgg16, 32>("vgg16_10_classes_32x32");
}
// The step is checked in double only: in float it is ill-conditioned at this size. Stage 5
// sees 2×2 maps, where batch norm over a batch of 2 leaves ReLU inputs as small as 6e-6,
// while float32 forward errors there reach 1.4e-4, so ReLUs flip. PyTorch's own float32
// step moves from 2e-4 to 3.6e-2 of the double one when the input gets 1e-7 of noise.
BOOST_AUTO_TEST_CASE(vgg16_bn_matches_torchvision) {
    check_model<typenet::models::vgg16_bn<double, 10, 32, 32>>("vgg16_bn_10_classes_32x32", 1e-10);
    check_model<typenet::models::vgg16_bn<float, 10, 32, 32>>("vgg16_bn_10_classes_32x32", 1e-4);
    check_sgd_step<typenet::models::vgg16_bn<double, 10, 32, 32>>("vgg16_bn_10_classes_32x32");
}

BOOST_AUTO_TEST_CASE(vgg16_parameters_are_named_as_torchvision_s) {
    auto net = std::make_unique<typenet::models::vgg16<float, 10, 32>>();
    std::vector<std::string> names;
    typenet::for_each_parameter_tensor(*net, [&](const std::string& name, const typenet::tensor_desc&, auto) {
        names.push_back(name);
    });
    // features.0, features.2, …, features.28; classifier.0, .3, .6 (after avgpool and flatten).
    BOOST_TEST_REQUIRE(names.size() == 32u);
    BOOST_TEST(names.front() == "0.0.weight");
    BOOST_TEST(names[25] == "0.28.bias");
    BOOST_TEST(names[26] == "3.0.weight");
    BOOST_TEST(names.back() == "3.6.bias");
}
