// typenet::onnx::save: each small network of the fixtures exported and read back (see
// export_case.hpp); onnx_models_test does the same for the narrowed torchvision models.
#define BOOST_TEST_MODULE onnx_export
#include <boost/test/unit_test.hpp>



#include "fixture_networks.hpp"
#include "export_case.hpp"

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
}
