// Tests conv3d, max_pool3d, avg_pool3d and batch_norm3d on volumes against PyTorch
// (tests/fixtures/volume_layers.bin, written by make_volume_fixtures.py): the output, the
// input gradient and the parameter gradients in double, the output in float; then
// central finite differences of the backward passes, one with a fused relu.
#define BOOST_TEST_MODULE volume_layers
// g++ 12 sees save_parameters' first insert into its reserved buffer write past an
// 8-byte allocation (a false positive of -Wstringop-overflow inside std::vector, at -O2).
// It must be silenced before the standard headers: the warning is reported there.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

#include "support/errors.hpp"
#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace tn = typenet;
using tn::input, tn::kernel, tn::stride, tn::pad, tn::dilation, tn::groups, tn::no_bias, tn::ceil_mode,
    tn::exclude_padding, tn::conv3d, tn::max_pool3d, tn::avg_pool3d, tn::shape;

// The shape rules, as PyTorch gives them.
template <class Layer, class In>
using out = decltype(Layer::template infer<In>());
static_assert(std::is_same_v<out<conv3d<3, kernel<3>>, shape<2, 4, 5, 6>>, shape<3, 2, 3, 4>>);
static_assert(std::is_same_v<out<conv3d<4, kernel<3>, stride<2>, pad<1>>, shape<2, 5, 6, 7>>, shape<4, 3, 3, 4>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<2, 3, 4>, stride<1, 2, 1>, pad<1, 0, 2>>, shape<2, 4, 5, 6>>,
                             shape<3, 5, 2, 7>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, dilation<2>, pad<1>>, shape<2, 6, 6, 7>>, shape<3, 4, 4, 5>>);
static_assert(std::is_same_v<out<conv3d<2, kernel<3>, pad<0, 0, 1, 1, 2, 0>>, shape<1, 4, 4, 4>>, shape<2, 2, 4, 4>>);
static_assert(std::is_same_v<out<max_pool3d<2>, shape<3, 6, 7, 8>>, shape<3, 3, 3, 4>>);
static_assert(std::is_same_v<out<max_pool3d<3, stride<1, 2, 3>, pad<1, 0, 1>, ceil_mode>, shape<2, 5, 6, 8>>,
                             shape<2, 5, 3, 3>>);
static_assert(std::is_same_v<out<max_pool3d<2, stride<2>, dilation<2>, ceil_mode>, shape<2, 6, 7, 8>>,
                             shape<2, 3, 3, 4>>);
static_assert(std::is_same_v<out<avg_pool3d<2, stride<2>, pad<1>, ceil_mode, exclude_padding>, shape<2, 5, 6, 7>>,
                             shape<2, 3, 4, 4>>);
static_assert(std::is_same_v<out<tn::batch_norm3d<>, shape<3, 4, 5, 5>>, shape<3, 4, 5, 5>>);
static_assert(std::is_same_v<out<tn::flatten, shape<3, 4, 5, 5>>, shape<300>>);
// A rank mistake is a readable rejection, whatever the rank.
static_assert(std::is_same_v<out<conv3d<3, kernel<3>>, shape<2, 8, 8>>, tn::rejection<tn::expected<tn::any_shape_of_rank<4>>>>);
static_assert(std::is_same_v<out<max_pool3d<2>, shape<8>>, tn::rejection<tn::expected<tn::any_shape_of_rank<4>>>>);
static_assert(std::is_same_v<out<avg_pool3d<2>, shape<1, 2, 3, 4, 5>>, tn::rejection<tn::expected<tn::any_shape_of_rank<4>>>>);
static_assert(std::is_same_v<out<tn::batch_norm3d<>, shape<3, 8, 8>>, tn::rejection<tn::expected<tn::any_shape_of_rank<4>>>>);
// And so are bad options.
template <class Reason>
using because = tn::rejection<tn::because<Reason>>;
static_assert(std::is_same_v<out<conv3d<3, kernel<3, 3>>, shape<2, 8, 8, 8>>, because<tn::kernel_takes_1_or_3_sizes>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, stride<1, 2>>, shape<2, 8, 8, 8>>, because<tn::stride_takes_1_or_3_values>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, pad<1, 1, 1, 1>>, shape<2, 8, 8, 8>>,
                             because<tn::padding_takes_1_3_or_6_values>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, dilation<0>>, shape<2, 8, 8, 8>>, because<tn::dilation_must_be_at_least_1>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, groups<2>>, shape<3, 8, 8, 8>>, because<tn::groups_must_divide_the_channels>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<1, 1, 9>>, shape<2, 8, 8, 8>>, because<tn::kernel_is_larger_than_the_padded_input>>);
static_assert(std::is_same_v<out<conv3d<3, kernel<3>, tn::same>, shape<2, 8, 8, 8>>,
                             because<tn::is_not_an_option_of_this_layer<tn::same>>>);
// Padding beyond PyTorch's half the window, as ONNX allows, while every window reads the input.
static_assert(std::is_same_v<out<max_pool3d<3, stride<1>, pad<0, 0, 2>>, shape<2, 8, 8, 8>>, shape<2, 6, 6, 10>>);
static_assert(std::is_same_v<out<max_pool3d<3, stride<1>, pad<0, 0, 3>>, shape<2, 8, 8, 8>>,
                             because<tn::padding_leaves_a_window_without_input>>);
static_assert(std::is_same_v<out<max_pool3d<9>, shape<2, 8, 8, 8>>, because<tn::window_is_larger_than_the_padded_input>>);
static_assert(std::is_same_v<out<avg_pool3d<2, dilation<2>>, shape<2, 8, 8, 8>>,
                             because<tn::is_not_an_option_of_this_layer<dilation<2>>>>);
static_assert(std::is_same_v<out<max_pool3d<2, exclude_padding>, shape<2, 8, 8, 8>>,
                             because<tn::is_not_an_option_of_this_layer<exclude_padding>>>);

namespace {

struct fixture {
    std::size_t batch = 0;
    std::vector<double> inputs, params, cotangent, output, input_grad, param_grad;
};

const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = [] {
        tn::testing::fixture_reader in(tn::testing::fixture_path(TYPENET_FIXTURE_DIR "/volume_layers.bin"));
        in.expect_header("TNVL", 1);
        std::map<std::string, fixture> read;
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            std::string name = in.take(in.u32());
            fixture f;
            f.batch = in.u32();
            for (auto* a : {&f.inputs, &f.params, &f.cotangent, &f.output, &f.input_grad, &f.param_grad})
                *a = in.f64s(in.u32());
            if (!read.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return cases;
}

// relative_error, but 0 for two empty arrays: a pool has no parameters.
template <class T>
double relative_error(std::span<const T> ours, const std::vector<double>& theirs) {
    BOOST_TEST_REQUIRE(ours.size() == theirs.size());
    return theirs.empty() ? 0.0 : tn::testing::relative_error(ours, theirs);
}

// The largest error of each kind over every case, printed at the end.
std::map<std::string, double>& worst() {
    static std::map<std::string, double> w;
    return w;
}
double noted(const std::string& kind, double error) {
    double& w = worst()[kind];
    w = std::max(w, error);
    return error;
}

template <class Net>
const fixture& case_named(const std::string& name) {
    const auto found = fixtures().find(name);
    BOOST_TEST_REQUIRE((found != fixtures().end()), name + ": no such case; run make_volume_fixtures.py");
    const fixture& f = found->second;
    BOOST_TEST_REQUIRE(f.inputs.size() == f.batch * Net::input_size);
    BOOST_TEST_REQUIRE(f.output.size() == f.batch * Net::output_size);
    BOOST_TEST_REQUIRE(f.params.size() == Net::parameter_count);
    return f;
}

// Double: the training pass's output and both gradients, and inference's output, within 1e-9.
template <class Net>
void check_double(const std::string& name) {
    const fixture& f = case_named<Net>(name);
    auto net = std::make_unique<Net>();
    std::ranges::copy(f.params, net->parameters().begin());
    tn::backprop<Net> pass(f.batch, 1, tn::gradients::parameters_and_inputs);
    const auto y = pass.forward(*net, f.inputs, 0);
    BOOST_TEST(noted("double output", relative_error<double>(y, f.output)) < 1e-9, name << ": training output");
    std::ranges::copy(f.cotangent, pass.output_gradients().begin());
    const auto grads = pass.backward(*net);
    BOOST_TEST(noted("double parameter gradients", relative_error<double>(grads, f.param_grad)) < 1e-9,
               name << ": parameter gradients");
    BOOST_TEST(noted("double input gradients", relative_error<double>(pass.input_gradients(), f.input_grad)) < 1e-9,
               name << ": input gradients");
}

// Float: inference's output within 1e-4 of the scale (batch norm normalizes with running
// statistics there, so a network with one is checked through its training pass).
template <class Net>
void check_float(const std::string& name, bool training) {
    const fixture& f = case_named<Net>(name);
    auto net = std::make_unique<Net>();
    std::ranges::copy(f.params, net->parameters().begin());
    const std::vector<float> x(f.inputs.begin(), f.inputs.end());
    std::vector<float> y(f.output.size());
    if (training) {
        tn::backprop<Net> pass(f.batch, 1, tn::gradients::parameters);
        const auto o = pass.forward(*net, x, 0);
        std::ranges::copy(o, y.begin());
    } else {
        net->forward(x, y);
    }
    BOOST_TEST(noted("float output", relative_error<float>(y, f.output)) < 1e-4, name << ": float output");
}

template <template <class> class Net>
void check_case(const std::string& name, bool training_only = false) {
    check_double<Net<double>>(name);
    check_float<Net<float>>(name, training_only);
    if (!training_only) {
        // Inference in double too: the plan fuses differently from training.
        const fixture& f = case_named<Net<double>>(name);
        auto net = std::make_unique<Net<double>>();
        std::ranges::copy(f.params, net->parameters().begin());
        std::vector<double> y(f.output.size());
        net->forward(f.inputs, y);
        BOOST_TEST(noted("double output", relative_error<double>(y, f.output)) < 1e-9, name << ": inference output");
    }
}

template <class T, class... Layers>
using volume_net = tn::basic_network<T, Layers...>;

template <class T> using conv3d_plain = volume_net<T, input<2, 4, 5, 6>, conv3d<3, kernel<3>>>;
template <class T> using conv3d_stride2_pad1 = volume_net<T, input<2, 5, 6, 7>, conv3d<4, kernel<3>, stride<2>, pad<1>>>;
template <class T>
using conv3d_kernel_2_3_4 = volume_net<T, input<2, 4, 5, 6>, conv3d<3, kernel<2, 3, 4>, stride<1, 2, 1>, pad<1, 0, 2>>>;
template <class T> using conv3d_dilation2 = volume_net<T, input<2, 6, 6, 7>, conv3d<3, kernel<3>, dilation<2>, pad<1>>>;
template <class T>
using conv3d_anisotropic_dilation =
    volume_net<T, input<2, 5, 7, 6>, conv3d<2, kernel<2, 3, 2>, stride<2, 1, 2>, dilation<1, 2, 3>, pad<0, 1, 2>>>;
template <class T> using conv3d_groups2 = volume_net<T, input<4, 4, 5, 5>, conv3d<6, kernel<3>, groups<2>, pad<1>>>;
template <class T>
using conv3d_no_bias = volume_net<T, input<3, 4, 4, 5>, conv3d<2, kernel<3, 1, 3>, stride<2, 1, 1>, no_bias>>;
template <class T>
using conv3d_relu_max_pool3d_flatten_linear = volume_net<T, input<2, 6, 6, 6>, conv3d<4, kernel<3>, pad<1>>, tn::relu,
                                                         max_pool3d<2>, tn::flatten, tn::dense<3>>;
template <class T>
using conv3d_batch_norm3d_relu =
    volume_net<T, input<2, 4, 5, 5>, conv3d<3, kernel<3>, pad<1>, no_bias>, tn::batch_norm3d<>, tn::relu>;
template <class T> using max_pool3d_stride2_pad1 = volume_net<T, input<2, 5, 6, 7>, max_pool3d<3, stride<2>, pad<1>>>;
template <class T>
using max_pool3d_anisotropic_ceil =
    volume_net<T, input<2, 5, 6, 8>, max_pool3d<3, stride<1, 2, 3>, pad<1, 0, 1>, ceil_mode>>;
template <class T>
using max_pool3d_dilation2_ceil = volume_net<T, input<2, 6, 7, 8>, max_pool3d<2, stride<2>, dilation<2>, ceil_mode>>;
template <class T>
using max_pool3d_dilation_pad = volume_net<T, input<2, 6, 7, 5>, max_pool3d<3, stride<2, 1, 2>, pad<1>, dilation<1, 2, 2>>>;
template <class T> using avg_pool3d_stride2_pad1 = volume_net<T, input<2, 5, 6, 7>, avg_pool3d<3, stride<2>, pad<1>>>;
template <class T>
using avg_pool3d_exclude_padding_ceil =
    volume_net<T, input<2, 5, 6, 7>, avg_pool3d<2, stride<2>, pad<1>, ceil_mode, exclude_padding>>;
template <class T> using avg_pool3d_ceil = volume_net<T, input<2, 6, 7, 8>, avg_pool3d<3, stride<2>, pad<1>, ceil_mode>>;
template <class T>
using avg_pool3d_anisotropic_exclude_padding =
    volume_net<T, input<2, 5, 6, 7>, avg_pool3d<3, stride<1, 2, 3>, pad<0, 1, 1>, exclude_padding>>;
template <class T>
using max_pool3d_pad_over_half = volume_net<T, input<2, 4, 5, 6>, max_pool3d<2, tn::width<3, 3>, stride<1, 1, 2>, pad<1, 0, 2>>>;
template <class T>
using avg_pool3d_pad_over_half = volume_net<T, input<2, 4, 5, 6>, avg_pool3d<2, tn::width<3, 3>, stride<1, 1, 2>, pad<1, 0, 2>>>;

#define TYPENET_VOLUME_CASE(name, ...) \
    BOOST_AUTO_TEST_CASE(name) { check_case<::name>(#name __VA_OPT__(, ) __VA_ARGS__); }

}  // namespace

BOOST_AUTO_TEST_SUITE(against_pytorch)
TYPENET_VOLUME_CASE(conv3d_plain)
TYPENET_VOLUME_CASE(conv3d_stride2_pad1)
TYPENET_VOLUME_CASE(conv3d_kernel_2_3_4)
TYPENET_VOLUME_CASE(conv3d_dilation2)
TYPENET_VOLUME_CASE(conv3d_anisotropic_dilation)
TYPENET_VOLUME_CASE(conv3d_groups2)
TYPENET_VOLUME_CASE(conv3d_no_bias)
TYPENET_VOLUME_CASE(conv3d_relu_max_pool3d_flatten_linear)
TYPENET_VOLUME_CASE(conv3d_batch_norm3d_relu, true)
TYPENET_VOLUME_CASE(max_pool3d_stride2_pad1)
TYPENET_VOLUME_CASE(max_pool3d_anisotropic_ceil)
TYPENET_VOLUME_CASE(max_pool3d_pad_over_half)
TYPENET_VOLUME_CASE(avg_pool3d_pad_over_half)
TYPENET_VOLUME_CASE(max_pool3d_dilation2_ceil)
TYPENET_VOLUME_CASE(max_pool3d_dilation_pad)
TYPENET_VOLUME_CASE(avg_pool3d_stride2_pad1)
TYPENET_VOLUME_CASE(avg_pool3d_exclude_padding_ceil)
TYPENET_VOLUME_CASE(avg_pool3d_ceil)
TYPENET_VOLUME_CASE(avg_pool3d_anisotropic_exclude_padding)
BOOST_AUTO_TEST_SUITE_END()

namespace {

// L = Σ weight_i · output_i over a batch of 3, so dL/doutput = weight: every output matters.
template <class Net>
struct probe {
    std::vector<double> inputs, weights;
    tn::backprop<Net> pass;

    explicit probe(unsigned seed) : inputs(3 * Net::input_size), weights(3 * Net::output_size),
                                    pass(3, 1, tn::gradients::parameters_and_inputs) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> normal(0.0, 1.0);
        for (auto& x : inputs) x = normal(rng);
        for (auto& w : weights) w = normal(rng);
    }
    double loss(Net& net) {
        const auto y = pass.forward(net, inputs, 3);
        double sum = 0;
        for (std::size_t i = 0; i < y.size(); ++i) sum += weights[i] * y[i];
        return sum;
    }
};

template <class Net>
void check_by_differences(const char* name) {
    auto net = std::make_unique<Net>(7u);
    probe<Net> p(11);
    p.loss(*net);
    std::ranges::copy(p.weights, p.pass.output_gradients().begin());
    const auto g = p.pass.backward(*net);
    const std::vector<double> params_grad(g.begin(), g.end());
    const std::vector<double> input_grad(p.pass.input_gradients().begin(), p.pass.input_gradients().end());
    const auto loss = [&] { return p.loss(*net); };
    // The gradients of the parameters and of the inputs: difference_error's ratio.
    if (Net::parameter_count > 0)
        BOOST_TEST(noted("finite differences", tn::testing::difference_error(net->parameters(), params_grad, loss)) < 1e-6,
                   name << ": parameter gradients");
    BOOST_TEST(noted("finite differences", tn::testing::difference_error(std::span<double>(p.inputs), input_grad, loss)) < 1e-6,
               name << ": input gradients");
}

using fd_conv3d_groups_dilation =
    volume_net<double, input<4, 5, 6, 5>, conv3d<4, kernel<2, 3, 2>, stride<1, 2, 1>, dilation<2, 1, 2>, pad<1, 1, 0>, groups<2>>>;
// The relu is fused into the convolution's loop, and its derivative into the backward pass.
using fd_conv3d_fused_relu = volume_net<double, input<2, 4, 4, 5>, conv3d<3, kernel<3>, pad<1>>, tn::relu>;
using fd_conv3d_max_pool3d =
    volume_net<double, input<2, 5, 6, 6>, conv3d<3, kernel<2>, no_bias>, max_pool3d<3, stride<2>, pad<1>, dilation<1, 1, 2>, ceil_mode>,
                tn::flatten, tn::dense<2>>;
using fd_conv3d_avg_pool3d =
    volume_net<double, input<2, 5, 6, 6>, conv3d<3, kernel<2>, pad<0, 1, 1, 0, 1, 1>>, avg_pool3d<2, pad<1>, ceil_mode, exclude_padding>,
                tn::flatten, tn::dense<2>>;
using fd_conv3d_avg_pool3d_counting_padding =
    volume_net<double, input<2, 5, 6, 6>, conv3d<3, kernel<2>>, avg_pool3d<3, stride<2>, pad<1>, ceil_mode>, tn::flatten, tn::dense<2>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(finite_differences)
BOOST_AUTO_TEST_CASE(conv3d_groups_dilation) { check_by_differences<fd_conv3d_groups_dilation>("conv3d groups dilation"); }
BOOST_AUTO_TEST_CASE(conv3d_fused_relu) { check_by_differences<fd_conv3d_fused_relu>("conv3d + fused relu"); }
BOOST_AUTO_TEST_CASE(conv3d_max_pool3d) { check_by_differences<fd_conv3d_max_pool3d>("conv3d, max_pool3d"); }
BOOST_AUTO_TEST_CASE(conv3d_avg_pool3d) { check_by_differences<fd_conv3d_avg_pool3d>("conv3d, avg_pool3d"); }
BOOST_AUTO_TEST_CASE(conv3d_avg_pool3d_counting_padding) {
    check_by_differences<fd_conv3d_avg_pool3d_counting_padding>("conv3d, avg_pool3d counting padding");
}
BOOST_AUTO_TEST_SUITE_END()

// At inference, batch_norm3d is folded into the conv3d before it: the same as the
// convolution alone followed by the normalization with the running statistics, written out.
BOOST_AUTO_TEST_CASE(batch_norm3d_folded_at_inference) {
    using conv = conv3d<3, kernel<3>, stride<1, 2, 1>, pad<1>, no_bias>;
    using folded = volume_net<double, input<2, 4, 5, 5>, conv, tn::batch_norm3d<tn::eps<1, 1000>>, tn::relu>;
    using alone = volume_net<double, input<2, 4, 5, 5>, conv>;
    auto net = std::make_unique<folded>(3u);
    auto reference = std::make_unique<alone>();
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> uniform(0.5, 1.5);
    for (auto& v : net->parameters()) v = uniform(rng) - 0.7;
    for (auto& v : net->buffers()) v = uniform(rng);  // running means and variances
    std::copy_n(net->parameters().begin(), alone::parameter_count, reference->parameters().begin());
    std::vector<double> x(2 * folded::input_size), y(2 * folded::output_size), z(y.size());
    for (auto& v : x) v = uniform(rng) - 1;
    net->forward(x, y);
    reference->forward(x, z);
    constexpr std::size_t channels = 3, per_channel = folded::output_size / channels;
    const auto gamma = net->parameters().subspan(alone::parameter_count, channels);
    const auto beta = net->parameters().subspan(alone::parameter_count + channels, channels);
    const auto mean = net->buffers().subspan(0, channels), variance = net->buffers().subspan(channels, channels);
    double error = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
        const std::size_t c = i % folded::output_size / per_channel;
        const double expected = std::max(0.0, (z[i] - mean[c]) / std::sqrt(variance[c] + 1e-3) * gamma[c] + beta[c]);
        error = std::max(error, std::abs(y[i] - expected));
    }
    BOOST_TEST(error < 1e-12);
    BOOST_TEST(tn::summary<folded>().find("batch_norm3d eps 1/1000 (fused)") != std::string::npos, tn::summary<folded>());
}

BOOST_AUTO_TEST_CASE(summary_and_parameter_tensors) {
    using net = tn::network<input<2, 4, 5, 6>, conv3d<4, kernel<1, 3, 3>, stride<1, 2, 2>, pad<0, 1, 1>, groups<2>>,
                            tn::batch_norm3d<>, tn::relu, max_pool3d<2, ceil_mode>, avg_pool3d<1>, tn::flatten>;
    const std::string table = tn::summary<net>();
    BOOST_TEST(table.find("conv3d 4 1x3x3 stride 1x2x2 pad 0,0,1,1,1,1 groups 2") != std::string::npos, table);
    BOOST_TEST(table.find("batch_norm3d") != std::string::npos, table);
    BOOST_TEST(table.find("max_pool3d 2x2x2 ceil-mode") != std::string::npos, table);
    auto n = std::make_unique<net>();
    std::vector<std::string> seen;
    tn::for_each_parameter_tensor(*n, [&](const std::string& name, const tn::tensor_desc& d, auto values) {
        std::string dims;
        for (std::size_t i = 0; i < d.rank; ++i) dims += fmt::format("{}{}", i ? "," : "", d.dims[i]);
        seen.push_back(fmt::format("{} ({}) {}", name, dims, values.size()));
    });
    const std::vector<std::string> expected{"0.weight (4,1,1,3,3) 36", "0.bias (4) 4",         "1.weight (4) 4",
                                            "1.bias (4) 4",            "1.running_mean (4) 4", "1.running_var (4) 4"};
    BOOST_TEST(seen == expected, fmt::format("{}", fmt::join(seen, "; ")));

    // The five dimensions of the weight survive a file, and a float network loads into a double one.
    const auto file = std::filesystem::temp_directory_path() / fmt::format("volume_layers_test_{}.tnet", ::getpid());
    tn::save_parameters(*n, file);
    auto loaded = std::make_unique<tn::basic_network<double, input<2, 4, 5, 6>,
                                                     conv3d<4, kernel<1, 3, 3>, stride<1, 2, 2>, pad<0, 1, 1>, groups<2>>,
                                                     tn::batch_norm3d<>, tn::relu, max_pool3d<2, ceil_mode>, avg_pool3d<1>,
                                                     tn::flatten>>(99u);
    tn::load_parameters(*loaded, file);
    std::filesystem::remove(file);
    BOOST_TEST(std::ranges::equal(n->parameters(), loaded->parameters(), [](float a, double b) { return double(a) == b; }));
}

// Printed last (--log_level=message): the measured errors.
BOOST_AUTO_TEST_CASE(largest_errors) {
    for (const auto& [kind, error] : worst()) BOOST_TEST_MESSAGE(fmt::format("largest {}: {:.3g}", kind, error));
}
