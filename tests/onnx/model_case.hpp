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

/// `net` run on `input` (whole samples): the largest difference from `expected`, relative
/// to its largest value; infinity when the sizes do not fit the network.
template <class Net>
double relative_error(Net& net, const std::vector<double>& input, const std::vector<double>& expected) {
    using T = typename Net::scalar_type;
    if (input.size() % Net::input_size != 0 || expected.size() != input.size() / Net::input_size * Net::output_size)
        return INFINITY;
    const std::vector<T> in(input.begin(), input.end());
    std::vector<T> out(expected.size());
    net.forward(in, out);
    double error = 0, scale = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        error = std::max(error, std::abs(double(out[i]) - expected[i]));
        scale = std::max(scale, std::abs(expected[i]));
    }
    return error / std::max(scale, 1e-30);  // an output of zeros, met exactly, is no error
}

/// The case's model loaded into a `Net` and run on the case's input (relative_error).
template <class Net>
double onnx_relative_error(const std::string& name) {
    const std::string dir = onnx_fixtures_dir + name;
    auto net = std::make_unique<Net>(7);
    onnx::load(*net, dir + "/model.onnx");
    const double error = relative_error(*net, tensor_values(dir + "/test_data_set_0/input_0.pb"),
                                        tensor_values(dir + "/test_data_set_0/output_0.pb"));
    BOOST_TEST_MESSAGE(name << ": largest error relative to the largest output " << error);
    return error;
}

}  // namespace typenet::testing
