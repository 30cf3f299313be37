// ResNet-18, 34 and 50 against torchvision 0.14's, and ResNet-20 against the paper's network.
// tests/support/model_check.hpp says how; the parameter counts at 3×224×224 and 1000
// classes are static_asserts in the model headers.
#define BOOST_TEST_MODULE resnet
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <typenet/models/resnet.hpp>

#include "../support/model_check.hpp"

using namespace typenet::testing;

BOOST_AUTO_TEST_CASE(resnet18_matches_torchvision) { check_model_and_step<typenet::models::resnet18>("resnet18_10_classes_64x64"); }
BOOST_AUTO_TEST_CASE(resnet34_matches_torchvision) { check_model_and_step<typenet::models::resnet34>("resnet34_10_classes_64x64"); }
BOOST_AUTO_TEST_CASE(resnet50_matches_torchvision) { check_model_and_step<typenet::models::resnet50>("resnet50_10_classes_64x64"); }
template <class T, int Classes, int Height, int Width>
using resnet20_gray = typenet::models::resnet20<T, Classes, 1, Height, Width>;
BOOST_AUTO_TEST_CASE(resnet20_matches_the_paper_s_network) { check_model_and_step<resnet20_gray, 28>("resnet20_10_classes_1x28x28"); }

