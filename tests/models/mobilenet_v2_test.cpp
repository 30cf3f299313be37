// MobileNetV2 against torchvision 0.14's.
// tests/support/model_check.hpp says how; the parameter counts at 3×224×224 and 1000
// classes are static_asserts in the model headers.
#define BOOST_TEST_MODULE mobilenet_v2
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <typenet/models/mobilenet_v2.hpp>

#include "../support/model_check.hpp"

using namespace typenet::testing;

BOOST_AUTO_TEST_CASE(mobilenet_v2_matches_torchvision) {
    check_model_and_step<typenet::models::mobilenet_v2>("mobilenet_v2_10_classes_64x64");
}

