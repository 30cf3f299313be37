// Tests conv_transpose2d: its shape rule and rejections (static_asserts), its forward pass
// and gradients against PyTorch (tests/fixtures/conv_transpose2d.bin, written by
// make_conv_transpose2d_fixtures.py), its kernel against the reference loop, its
// gradients against central finite differences, alone and with a fused ReLU, and a small
// autoencoder that learns.
#define BOOST_TEST_MODULE conv_transpose2d
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

#include <typenet/kernels/reference/conv_transpose2d.hpp>

#include "support/errors.hpp"
#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace tn = typenet;
using tn::input, tn::kernel, tn::stride, tn::pad, tn::dilation, tn::output_padding, tn::groups, tn::no_bias,
    tn::conv_transpose2d, tn::shape, tn::rejection, tn::because, tn::expected;
using tn::testing::relative_error, tn::testing::difference_error;

namespace {

template <class Layer, class In>
using output_of = decltype(Layer::template infer<In>());
template <class Layer, class In, class Reason>
inline constexpr bool rejects = std::is_same_v<output_of<Layer, In>, rejection<because<Reason>>>;

// (in − 1)·stride − pads + dilation·(kernel − 1) + output_padding + 1 on each axis.
static_assert(std::is_same_v<output_of<conv_transpose2d<4, kernel<3>>, shape<3, 5, 4>>, shape<4, 7, 6>>);
static_assert(
    std::is_same_v<output_of<conv_transpose2d<3, kernel<3>, stride<2>, pad<1>, output_padding<1>>, shape<2, 4, 5>>,
                   shape<3, 8, 10>>);
static_assert(std::is_same_v<
              output_of<conv_transpose2d<3, kernel<3>, stride<3, 2>, pad<1, 0>, output_padding<2, 1>>, shape<2, 3, 4>>,
              shape<3, 9, 10>>);
static_assert(std::is_same_v<output_of<conv_transpose2d<2, kernel<3, 5>, pad<1, 2>>, shape<2, 4, 3>>, shape<2, 4, 3>>);
static_assert(
    std::is_same_v<output_of<conv_transpose2d<3, kernel<3>, dilation<2>, pad<1>, output_padding<1>>, shape<2, 4, 4>>,
                   shape<3, 7, 7>>);
static_assert(std::is_same_v<output_of<conv_transpose2d<4, kernel<4>>, shape<3, 1, 1>>, shape<4, 4, 4>>);
static_assert(std::is_same_v<output_of<conv_transpose2d<2, kernel<3>, stride<2>, pad<1, 0, 2, 1>, output_padding<1, 0>>,
                                       shape<2, 3, 4>>,
                             shape<2, 7, 6>>);
// Every input rank has an answer; the wrong ones are readable rejections.
static_assert(std::is_same_v<output_of<conv_transpose2d<4, kernel<3>>, shape<3, 5>>,
                             rejection<expected<tn::any_shape_of_rank<3>>>>);
static_assert(
    std::is_same_v<output_of<conv_transpose2d<4, kernel<3>>, shape<>>, rejection<expected<tn::any_shape_of_rank<3>>>>);
static_assert(rejects<conv_transpose2d<0, kernel<3>>, shape<3, 5, 5>, tn::filters_must_be_at_least_1>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, groups<2>>, shape<3, 5, 5>, tn::groups_must_divide_the_channels>);
static_assert(rejects<conv_transpose2d<3, kernel<3>, groups<2>>, shape<4, 5, 5>, tn::groups_must_divide_the_filters>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, stride<0>>, shape<3, 5, 5>, tn::stride_must_be_at_least_1>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, dilation<0>>, shape<3, 5, 5>, tn::dilation_must_be_at_least_1>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, pad<-1>>, shape<3, 5, 5>, tn::padding_must_not_be_negative>);
static_assert(rejects<conv_transpose2d<4, kernel<1, 2, 3>>, shape<3, 5, 5>, tn::kernel_takes_1_or_2_sizes>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, output_padding<1, 1, 1>>, shape<3, 5, 5>,
                      tn::output_padding_takes_1_or_2_values>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, stride<2>, output_padding<-1>>, shape<3, 5, 5>,
                      tn::output_padding_must_not_be_negative>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, stride<2>, output_padding<2>>, shape<3, 5, 5>,
                      tn::output_padding_must_be_smaller_than_stride_or_dilation>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, stride<2, 3>, output_padding<1, 3>>, shape<3, 5, 5>,
                      tn::output_padding_must_be_smaller_than_stride_or_dilation>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, pad<2>>, shape<3, 1, 1>, tn::output_size_must_be_at_least_1>);
static_assert(
    rejects<conv_transpose2d<4, kernel<3>, tn::same>, shape<3, 5, 5>, tn::is_not_an_option_of_this_layer<tn::same>>);
static_assert(rejects<conv_transpose2d<4, kernel<3>, stride<2>, stride<1>>, shape<3, 5, 5>,
                      tn::option_is_given_twice<stride<2>, stride<1>>>);
// A kernel larger than the input is no fault: the output grows.
static_assert(std::is_same_v<output_of<conv_transpose2d<2, kernel<5>>, shape<1, 2, 2>>, shape<2, 6, 6>>);

// A strided encoder and its transposed decoder give back the input's size.
using autoencoder = tn::basic_network<double, input<1, 8, 8>, tn::conv2d<4, kernel<3>, stride<2>, pad<1>>, tn::relu,
                                      conv_transpose2d<1, kernel<3>, stride<2>, pad<1>, output_padding<1>>>;
static_assert(autoencoder::input_size == autoencoder::output_size);

struct fixture {
    std::size_t batch = 0;
    std::vector<double> input, params, cotangent, output, input_grad, param_grad;
};

const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = [] {
        tn::testing::fixture_reader in(tn::testing::fixture_path(TYPENET_FIXTURE_DIR "/conv_transpose2d.bin"));
        in.expect_header("TNCT", 1);
        std::map<std::string, fixture> read;
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            std::string name = in.take(in.u32());
            fixture f;
            f.batch = in.u32();
            for (auto* a : {&f.input, &f.params, &f.cotangent, &f.output, &f.input_grad, &f.param_grad})
                *a = in.f64s(in.u32());
            if (!read.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return cases;
}

// The output and the gradients of sum(output * cotangent), in T.
template <class T, class In, class Layer>
void check_case(const std::string& name) {
    using net_type = tn::basic_network<T, In, Layer>;
    const auto found = fixtures().find(name);
    BOOST_TEST_REQUIRE((found != fixtures().end()), name + ": no such case; run make_conv_transpose2d_fixtures.py");
    const fixture& f = found->second;
    BOOST_TEST_REQUIRE(f.input.size() == f.batch * net_type::input_size);
    BOOST_TEST_REQUIRE(f.params.size() == net_type::parameter_count);

    auto net = std::make_unique<net_type>();
    std::ranges::copy(f.params, net->parameters().begin());
    const std::vector<T> inputs(f.input.begin(), f.input.end());
    tn::backprop<net_type> pass(f.batch, 1, tn::gradients::parameters_and_inputs);
    const auto out = pass.forward(*net, inputs, 0);
    const double tolerance = std::is_same_v<T, double> ? 1e-9 : 1e-4;
    const double out_error = relative_error<T>(out, f.output);
    BOOST_TEST(out_error < tolerance, name << ": output");
    BOOST_TEST_MESSAGE(
        fmt::format("{:34} {:6} output {:.1e}", name, std::is_same_v<T, double> ? "double" : "float", out_error));
    // float's gradients run other loops than double's (gemm.hpp's products).
    std::ranges::copy(f.cotangent, pass.output_gradients().begin());
    const auto grads = pass.backward(*net);
    const double param_error = relative_error<T>(grads, f.param_grad);
    const double input_error = relative_error<T>(pass.input_gradients(), f.input_grad);
    BOOST_TEST(param_error < tolerance, name << ": parameter gradients");
    BOOST_TEST(input_error < tolerance, name << ": input gradients");
    BOOST_TEST_MESSAGE(fmt::format("{:34} {:6} parameter gradients {:.1e}, input gradients {:.1e}", name,
                                   std::is_same_v<T, double> ? "double" : "float", param_error, input_error));
}

template <class In, class Layer>
void check_case_in_both(const std::string& name) {
    check_case<double, In, Layer>(name);
    check_case<float, In, Layer>(name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(against_pytorch)
BOOST_AUTO_TEST_CASE(stride_1) { check_case_in_both<input<3, 5, 4>, conv_transpose2d<4, kernel<3>>>("stride_1"); }
BOOST_AUTO_TEST_CASE(stride_2_pad_1_output_padding_1) {
    check_case_in_both<input<2, 4, 5>, conv_transpose2d<3, kernel<3>, stride<2>, pad<1>, output_padding<1>>>(
        "stride_2_pad_1_output_padding_1");
}
BOOST_AUTO_TEST_CASE(stride_3x2) {
    check_case_in_both<input<2, 3, 4>, conv_transpose2d<3, kernel<3>, stride<3, 2>, pad<1, 0>, output_padding<2, 1>>>(
        "stride_3x2");
}
BOOST_AUTO_TEST_CASE(kernel_3x5) {
    check_case_in_both<input<2, 4, 3>, conv_transpose2d<2, kernel<3, 5>, pad<1, 2>>>("kernel_3x5");
}
BOOST_AUTO_TEST_CASE(dilation_2) {
    check_case_in_both<input<2, 4, 4>, conv_transpose2d<3, kernel<3>, dilation<2>, pad<1>, output_padding<1>>>(
        "dilation_2");
}
BOOST_AUTO_TEST_CASE(groups_2) {
    check_case_in_both<input<4, 4, 4>, conv_transpose2d<6, kernel<3>, stride<2>, pad<1>, groups<2>>>("groups_2");
}
BOOST_AUTO_TEST_CASE(no_bias) {
    check_case_in_both<input<3, 3, 3>, conv_transpose2d<2, kernel<2>, stride<2>, tn::no_bias>>("no_bias");
}
BOOST_AUTO_TEST_CASE(one_by_one_input) {
    check_case_in_both<input<3, 1, 1>, conv_transpose2d<4, kernel<4>>>("one_by_one_input");
}
BOOST_AUTO_TEST_CASE(asymmetric_padding) {
    check_case_in_both<input<2, 3, 4>,
                       conv_transpose2d<2, kernel<3>, stride<2>, pad<1, 0, 2, 1>, output_padding<1, 0>>>(
        "asymmetric_padding");
}
BOOST_AUTO_TEST_SUITE_END()

namespace {

// L = Σ weight_i · output_i over a batch of 3 on 2 threads: the errors of dL/dparams and
// dL/dinput against finite differences.
template <class Net>
std::pair<double, double> gradient_errors(unsigned seed = 1) {
    auto net = std::make_unique<Net>(seed);
    std::mt19937_64 rng(seed + 100);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> inputs(3 * Net::input_size), weights(3 * Net::output_size);
    for (auto& x : inputs) x = normal(rng);
    for (auto& w : weights) w = normal(rng);
    tn::backprop<Net> pass(3, 2, tn::gradients::parameters_and_inputs);
    auto loss = [&] {
        const auto out = pass.forward(*net, inputs, 3);
        double sum = 0;
        for (std::size_t i = 0; i < out.size(); ++i) sum += weights[i] * out[i];
        return sum;
    };
    loss();
    std::ranges::copy(weights, pass.output_gradients().begin());
    const auto g = pass.backward(*net);
    const std::vector<double> param_grads(g.begin(), g.end());
    const std::vector<double> input_grads(pass.input_gradients().begin(), pass.input_gradients().end());
    return {difference_error(net->parameters(), param_grads, loss), difference_error(inputs, input_grads, loss)};
}

// The ReLU runs in the transposed convolution's loop, and its derivative in the backward pass.
using fused = tn::basic_network<double, input<3, 3, 3>, conv_transpose2d<4, kernel<3>, stride<2>, pad<1>>, tn::relu,
                                tn::flatten, tn::dense<3>>;
static_assert(fused::block::train_step_count ==
              tn::basic_network<double, input<3, 3, 3>, conv_transpose2d<4, kernel<3>, stride<2>, pad<1>>, tn::flatten,
                                tn::dense<3>>::block::train_step_count);
// conv_transpose2d ending a residual block's body: the shortcut is added in its loop,
// then the ReLU.
template <class T>
using hourglass = tn::basic_network<
    T, input<2, 4, 4>,
    tn::residual<tn::sequential<tn::conv2d<3, kernel<3>, stride<2>, pad<1>>, tn::tanh,
                                conv_transpose2d<2, kernel<3>, stride<2>, pad<1>, output_padding<1>>>>,
    tn::relu>;

}  // namespace

#define TYPENET_GRADIENT_CASE(name, ...)                                                                  \
    BOOST_AUTO_TEST_CASE(name) {                                                                          \
        const auto [params, inputs] = gradient_errors<__VA_ARGS__>();                                     \
        BOOST_TEST(params < 1e-6);                                                                        \
        BOOST_TEST(inputs < 1e-6);                                                                        \
        BOOST_TEST_MESSAGE(fmt::format("{:40} parameters {:.1e}, inputs {:.1e}", #name, params, inputs)); \
    }

BOOST_AUTO_TEST_SUITE(against_finite_differences)
TYPENET_GRADIENT_CASE(plain, tn::basic_network<double, input<2, 4, 3>, conv_transpose2d<3, kernel<3>>>)
TYPENET_GRADIENT_CASE(stride_pad_output_padding_dilation_groups,
                      tn::basic_network<double, input<4, 3, 4>,
                                        conv_transpose2d<4, kernel<3, 2>, stride<2, 3>, pad<1, 0, 2, 1>,
                                                         output_padding<1, 2>, dilation<2, 1>, groups<2>>>)
TYPENET_GRADIENT_CASE(fused_relu, fused)
// A layer before it: its input gradient reaches the convolution's parameters.
TYPENET_GRADIENT_CASE(after_a_convolution, autoencoder)
TYPENET_GRADIENT_CASE(ending_a_residual_block, hourglass<double>)
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(inference_adds_the_shortcut_as_training_does) {
    // Inference and training run the block's loops apart: both must add the shortcut.
    hourglass<float> net(2);
    std::vector<float> in(hourglass<float>::input_size), out(hourglass<float>::output_size);
    std::mt19937_64 rng(5);
    std::normal_distribution<float> normal(0, 1);
    for (float& x : in) x = normal(rng);
    net.forward(in, out);
    tn::backprop<hourglass<float>> pass(1);
    const auto trained = pass.forward(net, in, 0);
    BOOST_TEST(relative_error<float>(out, std::vector<double>(trained.begin(), trained.end())) < 1e-6);
}

BOOST_AUTO_TEST_CASE(an_autoencoder_learns) {
    // Reconstruct 8 fixed images: the squared error must fall to a fraction of its start.
    auto net = std::make_unique<autoencoder>(7);
    constexpr std::size_t batch = 8;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> images(batch * autoencoder::input_size);
    for (auto& x : images) x = uniform(rng);
    tn::backprop<autoencoder> pass(batch);
    tn::sgd<double, autoencoder::parameter_count> opt({.lr = 0.05, .momentum = 0.9});
    auto step = [&] {
        const auto out = pass.forward(*net, images, 0);
        double loss = 0;
        const auto grad = pass.output_gradients();
        for (std::size_t i = 0; i < out.size(); ++i) {
            loss += (out[i] - images[i]) * (out[i] - images[i]) / double(out.size());
            grad[i] = 2 * (out[i] - images[i]) / double(out.size());
        }
        opt.step(net->parameters(), pass.backward(*net));
        return loss;
    };
    const double first = step();
    double last = first;
    for (int i = 0; i < 300; ++i) last = step();
    BOOST_TEST_MESSAGE(fmt::format("autoencoder loss {:.4f} -> {:.4f}", first, last));
    BOOST_TEST(last < 0.25 * first);
}

BOOST_AUTO_TEST_CASE(parameters_keep_pytorchs_layout) {
    using net_type = tn::basic_network<double, input<4, 3, 3>, conv_transpose2d<6, kernel<3, 2>, groups<2>>>;
    net_type net(5);
    std::vector<std::string> names;
    tn::for_each_parameter_tensor(
        net, [&](const std::string& name, const tn::tensor_desc& d, std::span<double> values) {
            names.push_back(name);
            if (d.name == "weight") {
                // (C_in, Filters / groups, KH, KW), PyTorch's ConvTranspose2d.weight.
                BOOST_TEST(d.rank == 4u);
                BOOST_TEST((std::vector<std::size_t>(d.dims.begin(), d.dims.begin() + 4) ==
                            std::vector<std::size_t>{4, 3, 3, 2}));
                // PyTorch's default: U(±1/√fan_in), fan_in = weight.size(1)·KH·KW.
                const double bound = 1 / std::sqrt(3.0 * 3 * 2);
                const double largest = std::ranges::max(values, {}, [](double v) { return std::abs(v); });
                BOOST_TEST(std::abs(largest) <= bound);
                BOOST_TEST(std::abs(largest) > 0.8 * bound);
            } else {
                BOOST_TEST(d.rank == 1u);
                BOOST_TEST(d.dims[0] == 6u);
            }
        });
    BOOST_TEST(names.size() == 2u);
}

BOOST_AUTO_TEST_CASE(describes_itself) {
    using tn::detail::bind;
    BOOST_TEST((bind<conv_transpose2d<8, kernel<3>, stride<2>>, shape<3, 5, 5>>::describe()) ==
               "conv_transpose2d 8 3x3 stride 2");
    BOOST_TEST((bind<conv_transpose2d<8, kernel<3, 5>, stride<2, 1>, pad<1, 0, 2, 1>, output_padding<1, 0>,
                                      dilation<1, 2>, groups<2>, no_bias>,
                     shape<4, 5, 5>>::describe()) ==
               "conv_transpose2d 8 3x5 stride 2x1 pad 1,0,2,1 output_padding 1x0 dilation 1x2 groups 2 no-bias");
    BOOST_TEST((bind<conv_transpose2d<8, kernel<4>, pad<1>>, shape<3, 5, 5>>::describe()) ==
               "conv_transpose2d 8 4x4 pad 1");
}

namespace {

// max |kernel − reference| / max |reference| of the layer's forward pass, a ReLU fused.
template <class T, class Layer, class In>
double kernel_error() {
    using bound = tn::detail::bind<Layer, In>;
    using out_shape = typename bound::output_shape;
    std::mt19937_64 rng(11);
    std::normal_distribution<T> normal(0, 1);
    std::vector<T> params(bound::parameter_count), in(In::size), scratch(bound::scratch_size);
    std::vector<T> ours(out_shape::size), theirs(out_shape::size);
    for (auto* v : {&params, &in})
        for (T& x : *v) x = normal(rng);
    using relu = tn::epilogue<tn::relu>;
    bound::forward(params.data(), in.data(), ours.data(), scratch.data(), relu{});
    tn::kernels::reference::conv_transpose2d_forward<bound::G, Layer::group_count>(
        in.data(), params.data(), params.data() + bound::weight_count, theirs.data(), relu{});
    return relative_error<T>(ours, std::vector<double>(theirs.begin(), theirs.end()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(kernel_against_the_reference) {
    using wide = conv_transpose2d<24, kernel<4>, stride<2>, pad<1>>;
    using odd = conv_transpose2d<6, kernel<2, 3>, stride<2, 3>, pad<0, 2, 1, 1>, output_padding<1, 2>, dilation<3, 2>,
                                 groups<3>, no_bias>;
    using gaps = conv_transpose2d<5, kernel<1>, stride<3>, output_padding<2>>;  // outputs no input reaches
    using tall = conv_transpose2d<3, kernel<7, 1>, pad<3, 0>, dilation<2, 1>, output_padding<1, 0>>;
    BOOST_TEST((kernel_error<float, wide, shape<32, 9, 7>>() < 1e-5));
    BOOST_TEST((kernel_error<double, wide, shape<32, 9, 7>>() < 1e-13));
    BOOST_TEST((kernel_error<float, odd, shape<9, 5, 6>>() < 1e-5));
    BOOST_TEST((kernel_error<double, odd, shape<9, 5, 6>>() < 1e-13));
    BOOST_TEST((kernel_error<float, gaps, shape<4, 3, 5>>() < 1e-5));
    BOOST_TEST((kernel_error<double, tall, shape<2, 6, 4>>() < 1e-13));
}
