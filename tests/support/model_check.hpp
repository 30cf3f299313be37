// What the tests of include/typenet/models/ share: torchvision's reference
// (tests/fixtures/models.bin, written by make_model_fixtures.py), the parameters both sides
// compute, and the checks: the output in eval mode, and what one SGD step changes, each
// allocating nothing after construction (so: one test program per translation unit, for
// count_allocations.hpp).
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/backprop.hpp>
#include <typenet/layout.hpp>
#include <typenet/losses/softmax_cross_entropy.hpp>
#include <typenet/optim/sgd.hpp>

#include "count_allocations.hpp"
#include "fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace typenet::testing {

struct fixture {
    std::vector<double> input, output, step;
};

inline const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = [] {
        typenet::testing::fixture_reader in(typenet::testing::fixture_path(TYPENET_FIXTURE_DIR "/models.bin"));
        in.expect_header("TNMD", 2);
        std::map<std::string, fixture> read;
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            std::string name = in.take(in.u32());
            fixture f;
            f.input = in.f64s(in.u32());
            f.output = in.f64s(in.u32());
            f.step = in.f64s(in.u32());
            if (!read.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return cases;
}

// make_model_fixtures.py's parameters: tensor t, element i is a·(2u − 1) with
// u = ((i·2654435761 + t·97531) mod 2³²) / 2³², a = √(6 / fan_in) for a weight, 0.1 for a
// bias, a batch norm's bias or running mean; 0.5 + u for a batch norm's weight or running variance.
template <class Net>
void set_parameters(Net& net) {
    std::uint64_t t = 0;
    typenet::for_each_parameter_tensor(net, [&](const std::string& name, const typenet::tensor_desc& d, auto values) {
        const bool scale = d.rank == 1 && (name.ends_with("running_var") || name.ends_with("weight"));
        const double a = d.rank > 1 ? std::sqrt(6.0 / double(d.size() / d.dims[0])) : 0.1;
        for (std::uint64_t i = 0; i < values.size(); ++i) {
            const std::uint64_t h = (i * 2654435761u + t * 97531u) % (std::uint64_t(1) << 32);
            const double u = double(h) / 4294967296.0;
            values[i] = typename Net::scalar_type(scale ? 0.5 + u : a * (2 * u - 1));
        }
        ++t;
    });
}

inline const fixture& fixture_of(const std::string& name) {
    const auto found = fixtures().find(name);
    BOOST_TEST_REQUIRE((found != fixtures().end()), name + ": no such case; run make_model_fixtures.py");
    return found->second;
}

// Every value of every tensor of the network (parameters and buffers), in order.
template <class Net>
std::vector<double> state_of(Net& net) {
    std::vector<double> state;
    typenet::for_each_parameter_tensor(net, [&](const std::string&, const typenet::tensor_desc&, auto values) {
        state.insert(state.end(), values.begin(), values.end());
    });
    return state;
}

// One SGD step (lr 0.1) on the fixture's inputs, labels 3 and 7, batch norm in train mode
// and dropout off: the loss, and each tensor's change as make_model_fixtures.py records it,
// within 1e-9 of the largest change of the tensor in double. In float, within 1e-4 or
// twice as far as PyTorch's own step in float32 can be (the fixture's last number: the
// worst of the input and four copies with 1e-7 of noise): with a batch of 2, batch norm
// over the last stages' few values per channel makes float32 steps of these deep
// networks differ from float64 by up to 42% (ResNet-50), in PyTorch too, and by how
// much depends on rounding (GoogLeNet: 0.35% on one machine, 2.4% on another, 0.05% to
// 13% with the noise; typenet's own, on an AVX2 machine, 0.6% with batch norm's plain
// training loops and 16% with its vector ones, whose double steps agree to 1e-11).
template <class Net>
void check_sgd_step(const std::string& name) {
    using T = typename Net::scalar_type;
    const fixture& f = fixture_of(name);
    BOOST_TEST_REQUIRE(!f.step.empty());
    const double tolerance = std::is_same_v<T, double> ? 1e-9 : std::max(1e-4, 2 * f.step.back());
    auto net = std::make_unique<Net>();
    set_parameters(*net);
    net->set_mode({.dropout = false, .batch_statistics = true});
    const std::vector<double> before = state_of(*net);

    typenet::backprop<Net> pass(2, 2);
    const std::vector<T> in(f.input.begin(), f.input.end());
    const std::vector<typenet::class_label> labels{3, 7};
    typenet::sgd<T, Net::parameter_count> sgd({.lr = 0.1});
    const long allocated = allocations();
    const auto out = pass.forward(*net, in, 0);
    const double loss = typenet::softmax_cross_entropy<10>::evaluate(out, labels, pass.output_gradients());
    const auto gradients = pass.backward(*net);
    sgd.step(net->parameters(), gradients);
    BOOST_TEST(allocations() - allocated == 0, name << ": the training step allocated");
    const std::vector<double> after = state_of(*net);
    BOOST_TEST(std::abs(loss - f.step[0]) <= tolerance * f.step[0], name << ": loss " << loss << " vs " << f.step[0]);

    // Torchvision's record of each tensor: its size and where its numbers start in f.step.
    std::vector<std::pair<std::size_t, std::size_t>> records;
    std::size_t at = 1;
    double model_scale = 0;
    typenet::for_each_parameter_tensor(*net, [&](const std::string&, const typenet::tensor_desc& d, auto) {
        records.emplace_back(d.size(), at);
        BOOST_TEST_REQUIRE(at < f.step.size());
        model_scale = std::max(model_scale, f.step[at]);
        at += 2 + std::min<std::size_t>(16, d.size());
    });
    BOOST_TEST_REQUIRE(at + 1 == f.step.size());

    // Each tensor within `tolerance` of its largest change; one that torchvision barely
    // changes (a batch norm's bias before another batch norm: its gradient is 0 but for
    // rounding) within `tolerance` of a thousandth of the model's largest.
    std::size_t offset = 0, t = 0, worst_tensor = 0;
    double worst = 0;
    typenet::for_each_parameter_tensor(*net, [&](const std::string& tensor, const typenet::tensor_desc&, auto) {
        const auto [n, first] = records[t];
        const std::size_t samples = std::min<std::size_t>(16, n);
        double largest = 0, total = 0;
        for (std::size_t i = offset; i < offset + n; ++i) {
            largest = std::max(largest, std::abs(after[i] - before[i]));
            total += std::abs(after[i] - before[i]);
        }
        const double scale = std::max(f.step[first], 1e-3 * model_scale);
        double error = std::max(std::abs(largest - f.step[first]), std::abs(total - f.step[first + 1]) / double(n));
        for (std::size_t k = 0; k < samples; ++k) {
            const std::size_t i = offset + k * n / samples;
            error = std::max(error, std::abs((after[i] - before[i]) - f.step[first + 2 + k]));
        }
        if (error / scale > worst) {
            worst = error / scale;
            worst_tensor = t;
        }
        BOOST_TEST(error <= tolerance * scale, name << ": tensor " << tensor << " changed by up to " << largest
                                                    << " where torchvision's changed by up to " << f.step[first]);
        offset += n;
        ++t;
    });
    BOOST_TEST_MESSAGE(fmt::format("{} ({}): loss {:.6g}, worst tensor #{} at {:.3g} of its largest change", name,
                                   sizeof(T) == 8 ? "double" : "float", loss,
                                   worst_tensor, worst));
}

// The model's outputs for the fixture's inputs, within `tolerance` of the largest output.
template <class Net>
void check_model(const std::string& name, double tolerance) {
    const fixture& f = fixture_of(name);
    BOOST_TEST_REQUIRE(f.input.size() == 2 * Net::input_size);
    BOOST_TEST_REQUIRE(f.output.size() == 2 * Net::output_size);
    auto net = std::make_unique<Net>();
    set_parameters(*net);
    using T = typename Net::scalar_type;
    const std::vector<T> in(f.input.begin(), f.input.end());
    std::vector<T> out(f.output.size());
    net->set_threads(2);
    const long allocated = allocations();
    net->forward(in, out);
    BOOST_TEST(allocations() - allocated == 0, name << ": inference allocated");
    double scale = 0, error = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        scale = std::max(scale, std::abs(f.output[i]));
        error = std::max(error, std::abs(double(out[i]) - f.output[i]));
    }
    BOOST_TEST(error <= tolerance * scale, fmt::format("{}: largest error {:.3g}, largest output {:.3g}", name, error, scale));
}

// Each model in eval mode, and one SGD step of it in train mode, in double and in float.
template <template <class, int, int, int> class Model, int Size = 64>
void check_model_and_step(const std::string& name) {
    check_model<Model<double, 10, Size, Size>>(name, 1e-10);
    check_model<Model<float, 10, Size, Size>>(name, 1e-4);
    check_sgd_step<Model<double, 10, Size, Size>>(name);
    check_sgd_step<Model<float, 10, Size, Size>>(name);
}

}  // namespace typenet::testing
