// One case of tests/fixtures/onnx/ (laid out as the ONNX backend test suite is) imported
// into a typenet network and run on its input. Include it after #define BOOST_TEST_MODULE.
//
//     BOOST_TEST(onnx_relative_error<lenet5<>>("lenet5_opset11") < 1e-5);
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <typenet/onnx/import.hpp>

#include "../support/temp_dir.hpp"

namespace typenet::testing {

inline const std::string onnx_fixtures_dir = TYPENET_FIXTURE_DIR "/onnx/";

/// The values of a tensor file of the test data (ONNX's TensorProto).
inline std::vector<double> tensor_values(const std::string& file) {
    const bytes b = read_all(file);
    ::onnx::TensorProto t;
    BOOST_TEST_REQUIRE(t.ParseFromArray(b.data(), int(b.size())), file);
    return onnx::detail::decode_tensor(t, file).values;
}

/// The case's model loaded into a `Net` and run on the case's input: the largest
/// difference from the expected output, relative to the largest expected value.
template <class Net>
double onnx_relative_error(const std::string& name) {
    const std::string dir = onnx_fixtures_dir + name;
    auto net = std::make_unique<Net>(7);
    onnx::load(*net, dir + "/model.onnx");
    const auto input = tensor_values(dir + "/test_data_set_0/input_0.pb");
    const auto expected = tensor_values(dir + "/test_data_set_0/output_0.pb");
    using T = typename Net::scalar_type;
    const std::vector<T> in(input.begin(), input.end());
    std::vector<T> out(expected.size());
    BOOST_TEST_REQUIRE(in.size() % Net::input_size == 0);
    BOOST_TEST_REQUIRE(out.size() == in.size() / Net::input_size * Net::output_size);
    net->forward(in, out);
    double error = 0, scale = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        error = std::max(error, std::abs(double(out[i]) - expected[i]));
        scale = std::max(scale, std::abs(expected[i]));
    }
    BOOST_TEST_MESSAGE(name << ": largest error " << error << ", largest output " << scale);
    return error / scale;
}

}  // namespace typenet::testing
