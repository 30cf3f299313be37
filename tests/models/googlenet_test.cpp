// GoogLeNet against torchvision 0.14's.
// tests/support/model_check.hpp says how; the parameter counts at 3×224×224 and 1000
// classes are static_asserts in the model headers.
#define BOOST_TEST_MODULE googlenet
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <typenet/models/googlenet.hpp>

#include "../support/model_check.hpp"

using namespace typenet::testing;

BOOST_AUTO_TEST_CASE(googlenet_matches_torchvision) { check_model_and_step<typenet::models::googlenet>("googlenet_10_classes_64x64"); }
