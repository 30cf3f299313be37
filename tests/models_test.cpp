// Tests include/typenet/models/: each model against torchvision 0.14's at a reduced size,
// with the same parameters (computed on both sides, see make_model_fixtures.py), in eval
// mode: tests/fixtures/models.bin holds torchvision's outputs. The parameter counts at
// 3×224×224 and 1000 classes are static_asserts in the model headers.
#define BOOST_TEST_MODULE models
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/layout.hpp>
#include <typenet/models/vgg16.hpp>

#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace {

struct fixture {
    std::vector<double> input, output;
};

const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = [] {
        typenet::testing::fixture_reader in(typenet::testing::fixture_path(TYPENET_FIXTURE_DIR "/models.bin"));
        in.expect_header("TNMD", 1);
        std::map<std::string, fixture> read;
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            std::string name = in.take(in.u32());
            fixture f;
            f.input = in.f64s(in.u32());
            f.output = in.f64s(in.u32());
            if (!read.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return cases;
}

// make_model_fixtures.py's parameters: tensor t, element i is a·(2u − 1) with
// u = ((i·2654435761 + t·97531) mod 2³²) / 2³², a = √(6 / fan_in) for a weight, 0.1 for a bias.
template <class Net>
void set_parameters(Net& net) {
    std::uint64_t t = 0;
    typenet::for_each_parameter_tensor(net, [&](const std::string&, const typenet::tensor_desc& d, auto values) {
        const double a = d.rank > 1 ? std::sqrt(6.0 / double(d.size() / d.dims[0])) : 0.1;
        for (std::uint64_t i = 0; i < values.size(); ++i) {
            const std::uint64_t h = (i * 2654435761u + t * 97531u) % (std::uint64_t(1) << 32);
            values[i] = typename Net::scalar_type(a * (2 * (double(h) / 4294967296.0) - 1));
        }
        ++t;
    });
}

// The model's outputs for the fixture's inputs, within `tolerance` of the largest output.
template <class Net>
void check_model(const std::string& name, double tolerance) {
    const auto found = fixtures().find(name);
    BOOST_TEST_REQUIRE((found != fixtures().end()), name + ": no such case; run make_model_fixtures.py");
    const fixture& f = found->second;
    BOOST_TEST_REQUIRE(f.input.size() == 2 * Net::input_size);
    BOOST_TEST_REQUIRE(f.output.size() == 2 * Net::output_size);
    auto net = std::make_unique<Net>();
    set_parameters(*net);
    using T = typename Net::scalar_type;
    const std::vector<T> in(f.input.begin(), f.input.end());
    std::vector<T> out(f.output.size());
    net->forward(in, out);
    double scale = 0, error = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        scale = std::max(scale, std::abs(f.output[i]));
        error = std::max(error, std::abs(double(out[i]) - f.output[i]));
    }
    BOOST_TEST(error <= tolerance * scale, fmt::format("{}: largest error {:.3g}, largest output {:.3g}", name, error, scale));
}

}  // namespace

BOOST_AUTO_TEST_CASE(vgg16_matches_torchvision) {
    check_model<typenet::models::vgg16<double, 10, 32>>("vgg16_10_classes_32x32", 1e-10);
    check_model<typenet::models::vgg16<float, 10, 32>>("vgg16_10_classes_32x32", 1e-4);
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
