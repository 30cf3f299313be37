// Tests typenet/backprop.hpp: every layer's backward pass, and two whole networks,
// against central finite differences in double precision.
#define BOOST_TEST_MODULE backprop
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <random>
#include <vector>

#include <typenet/typenet.hpp>

namespace tn = typenet;
using tn::input, tn::kernel, tn::stride, tn::pad, tn::dilation;

// L = Σ weight_i · output_i over the batch, so dL/doutput = weight: every output matters.
template <class Net>
struct probe {
    std::vector<double> inputs, weights;
    tn::backprop<Net> pass;

    probe(std::size_t batch, unsigned seed, std::size_t threads = 1, tn::gradients wanted = tn::gradients::parameters)
        : inputs(batch * Net::input_size), weights(batch * Net::output_size), pass(batch, threads, wanted) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> normal(0.0, 1.0);
        for (auto& x : inputs) x = normal(rng);
        for (auto& w : weights) w = normal(rng);
    }
    double loss(Net& net) {
        const auto out = pass.forward(net, inputs, /*iteration=*/3);
        double sum = 0;
        for (std::size_t i = 0; i < out.size(); ++i) sum += weights[i] * out[i];
        return sum;
    }
};

// Up to 48 parameters of every tensor, evenly spread: all of a small tensor. Buffers
// (batch norm's running statistics) are not trained: they have no gradient.
template <class Net>
std::vector<std::size_t> probed_parameters(Net& net) {
    std::vector<std::size_t> chosen;
    const auto params = net.parameters();
    tn::for_each_parameter_tensor(net, [&](const std::string&, const tn::tensor_desc&, std::span<double> values) {
        if (values.data() < params.data() || values.data() >= params.data() + params.size()) return;
        const std::size_t first = std::size_t(values.data() - params.data());
        const std::size_t step = std::max<std::size_t>(1, values.size() / 48);
        for (std::size_t i = 0; i < values.size(); i += step) chosen.push_back(first + i);
    });
    return chosen;
}

// ||analytic − numeric|| / (||analytic|| + ||numeric||), over the probed parameters.
template <class Net>
double gradient_error(std::size_t batch = 3, unsigned seed = 1, tn::training_mode mode = {}) {
    auto net = std::make_unique<Net>(seed);
    net->set_mode(mode);
    probe<Net> p(batch, seed + 100);
    p.loss(*net);
    std::copy(p.weights.begin(), p.weights.end(), p.pass.output_gradients().begin());
    const auto g = p.pass.backward(*net);
    const std::vector<double> analytic(g.begin(), g.end());

    const double h = 1e-6;
    double diff = 0, norm_a = 0, norm_n = 0;
    auto params = net->parameters();
    for (const std::size_t i : probed_parameters(*net)) {
        const double saved = params[i];
        params[i] = saved + h;
        const double up = p.loss(*net);
        params[i] = saved - h;
        const double down = p.loss(*net);
        params[i] = saved;
        const double numeric = (up - down) / (2 * h);
        diff += (analytic[i] - numeric) * (analytic[i] - numeric);
        norm_a += analytic[i] * analytic[i];
        norm_n += numeric * numeric;
    }
    BOOST_TEST_REQUIRE(norm_a > 0.0);  // a check of all-zero gradients would prove nothing
    return std::sqrt(diff) / (std::sqrt(norm_a) + std::sqrt(norm_n));
}

// Layers without parameters are checked through the gradient they pass to a layer before them.
template <class... L>
using around = tn::basic_network<double, input<2, 7, 8>, tn::conv2d<3, kernel<2>>, L..., tn::flatten, tn::dense<3>>;

#define TYPENET_INPUT_GRADIENT_CASE(name, ...)         \
    BOOST_AUTO_TEST_CASE(name) {                         \
        using net_type = __VA_ARGS__;                    \
        BOOST_TEST(input_gradient_error<net_type>() < 1e-6); \
    }

#define TYPENET_GRADIENT_CASE(name, ...)             \
    BOOST_AUTO_TEST_CASE(name) {                     \
        using net_type = __VA_ARGS__;                \
        BOOST_TEST(gradient_error<net_type>() < 1e-6); \
    }

// ||analytic − numeric|| / (||analytic|| + ||numeric||) of dL/dinput, over every input of
// every sample (a batch of 3, split between 2 threads).
template <class Net>
double input_gradient_error(unsigned seed = 1) {
    auto net = std::make_unique<Net>(seed);
    probe<Net> p(3, seed + 100, 2, tn::gradients::parameters_and_inputs);
    p.loss(*net);
    std::copy(p.weights.begin(), p.weights.end(), p.pass.output_gradients().begin());
    p.pass.backward(*net);
    const std::vector<double> analytic(p.pass.input_gradients().begin(), p.pass.input_gradients().end());
    BOOST_TEST_REQUIRE(analytic.size() == p.inputs.size());

    const double h = 1e-6;
    double diff = 0, norm_a = 0, norm_n = 0;
    for (std::size_t i = 0; i < p.inputs.size(); ++i) {
        const double saved = p.inputs[i];
        p.inputs[i] = saved + h;
        const double up = p.loss(*net);
        p.inputs[i] = saved - h;
        const double down = p.loss(*net);
        p.inputs[i] = saved;
        const double numeric = (up - down) / (2 * h);
        diff += (analytic[i] - numeric) * (analytic[i] - numeric);
        norm_a += analytic[i] * analytic[i];
        norm_n += numeric * numeric;
    }
    BOOST_TEST_REQUIRE(norm_a > 0.0);
    return std::sqrt(diff) / (std::sqrt(norm_a) + std::sqrt(norm_n));
}

BOOST_AUTO_TEST_SUITE(input_gradients)
// Pools alone: no parameter, but a gradient for every input.
TYPENET_INPUT_GRADIENT_CASE(pools_alone, tn::basic_network<double, input<2, 6, 7>, tn::max_pool<2, stride<1>>, tn::avg_pool<2>>)
TYPENET_INPUT_GRADIENT_CASE(convolution_first, tn::basic_network<double, input<2, 6, 7>, tn::conv2d<3, kernel<3>, stride<2>, pad<1>>,
                                                                 tn::relu, tn::flatten, tn::dense<4>>)
// A dense layer first: the batched part of the pass writes the input gradients.
TYPENET_INPUT_GRADIENT_CASE(dense_first, tn::basic_network<double, input<7>, tn::dense<5>, tn::tanh, tn::dropout<20>, tn::dense<3>>)
// Batch norm first: its input gradient needs the sums over both threads' samples.
TYPENET_INPUT_GRADIENT_CASE(batch_norm_first, tn::basic_network<double, input<2, 4, 3>, tn::batch_norm2d<>, tn::relu, tn::flatten,
                                                               tn::dense<3>, tn::batch_norm1d<>, tn::tanh>)
TYPENET_INPUT_GRADIENT_CASE(residual_first, tn::basic_network<double, input<2, 5, 5>,
                                                             tn::residual<tn::sequential<tn::conv2d<2, kernel<3>, pad<1>>, tn::sigmoid>>,
                                                             tn::relu, tn::global_avg_pool, tn::flatten, tn::dense<2>>)
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(input_gradients_must_be_asked_for) {
    using net = tn::basic_network<double, input<3>, tn::dense<2>>;
    tn::backprop<net> pass(1);
    BOOST_CHECK_THROW(pass.input_gradients(), std::logic_error);
}

TYPENET_GRADIENT_CASE(conv2d_plain, around<tn::conv2d<4, kernel<3>>>)
TYPENET_GRADIENT_CASE(conv2d_stride_pad_dilation, around<tn::conv2d<4, kernel<3, 2>, stride<2, 1>, pad<1, 2, 0, 1>, dilation<1, 2>>>)
TYPENET_GRADIENT_CASE(conv2d_same_no_bias, around<tn::conv2d<2, kernel<3>, stride<2>, tn::same, tn::no_bias>>)
TYPENET_GRADIENT_CASE(conv2d_fused_relu, around<tn::conv2d<4, kernel<3>, pad<1>>, tn::relu>)
TYPENET_GRADIENT_CASE(conv2d_fused_sigmoid, around<tn::conv2d<4, kernel<1>>, tn::sigmoid>)
TYPENET_GRADIENT_CASE(depthwise_stride_pad_multiplier, around<tn::depthwise_conv2d<kernel<3>, stride<2>, pad<1>, tn::multiplier<2>>>)
TYPENET_GRADIENT_CASE(depthwise_dilation_fused_relu6, around<tn::depthwise_conv2d<kernel<2, 3>, dilation<1, 2>, pad<1>, tn::no_bias>, tn::relu6>)
TYPENET_GRADIENT_CASE(grouped_conv2d, around<tn::conv2d<6, kernel<3>, pad<1>, tn::groups<3>>, tn::tanh>)
TYPENET_GRADIENT_CASE(grouped_conv1d_no_bias, tn::basic_network<double, input<4, 11>, tn::conv1d<6, kernel<3>, stride<2>, tn::groups<2>, tn::no_bias>,
                                                                tn::depthwise_conv1d<kernel<3>, pad<1>>, tn::flatten, tn::dense<2>>)
TYPENET_GRADIENT_CASE(max_pool, around<tn::max_pool<2>>)
TYPENET_GRADIENT_CASE(max_pool_stride_pad, around<tn::max_pool<3, stride<1>, pad<1>>>)
TYPENET_GRADIENT_CASE(max_pool_ceil_mode, around<tn::max_pool<2, tn::ceil_mode>>)
TYPENET_GRADIENT_CASE(avg_pool_ceil_mode_padding, around<tn::avg_pool<3, stride<2>, pad<1>, tn::ceil_mode>>)
TYPENET_GRADIENT_CASE(avg_pool, around<tn::avg_pool<2, stride<1>>>)
TYPENET_GRADIENT_CASE(max_pool_rectangular, around<tn::max_pool<3, tn::width<2>, stride<1>>>)
TYPENET_GRADIENT_CASE(avg_pool_rectangular_padded, around<tn::avg_pool<2, tn::width<3>, pad<1>, tn::ceil_mode>>)
TYPENET_GRADIENT_CASE(avg_pool_padding_counted, around<tn::avg_pool<3, stride<2>, pad<1>>>)
TYPENET_GRADIENT_CASE(avg_pool_padding_excluded, around<tn::avg_pool<3, stride<2>, pad<1>, tn::exclude_padding>>)
TYPENET_GRADIENT_CASE(adaptive_avg_pool, around<tn::adaptive_avg_pool<4, 3>>)  // 6x7 -> 4x3: windows overlap
TYPENET_GRADIENT_CASE(adaptive_max_pool, around<tn::adaptive_max_pool<2, 3>>)
TYPENET_GRADIENT_CASE(global_avg_pool, around<tn::global_avg_pool, tn::relu>)
TYPENET_GRADIENT_CASE(global_max_pool_signal, tn::basic_network<double, input<2, 9>, tn::conv1d<3, kernel<2>>, tn::global_max_pool,
                                                                tn::flatten, tn::dense<2>>)
TYPENET_GRADIENT_CASE(relu_standalone, around<tn::max_pool<2>, tn::relu>)
TYPENET_GRADIENT_CASE(leaky_relu, around<tn::leaky_relu<1, 5>>)
TYPENET_GRADIENT_CASE(elu, around<tn::elu<1, 2>>)
TYPENET_GRADIENT_CASE(prelu_one_slope, around<tn::prelu<>>)
TYPENET_GRADIENT_CASE(prelu_per_channel_fused_tanh, around<tn::prelu<3>, tn::tanh>)
TYPENET_GRADIENT_CASE(softmax_over_channels, around<tn::softmax>)
TYPENET_GRADIENT_CASE(log_softmax_over_channels, around<tn::log_softmax>)
TYPENET_GRADIENT_CASE(zero_pad_fused_sigmoid, around<tn::zero_pad<1, 0, 2, 1>, tn::sigmoid>)
TYPENET_GRADIENT_CASE(max_pool_dilation_padding, around<tn::max_pool<2, stride<1>, pad<1>, dilation<2>>>)
TYPENET_GRADIENT_CASE(avg_pool_padding_over_half_window, around<tn::avg_pool<3, stride<2>, pad<2>, tn::exclude_padding>>)
TYPENET_GRADIENT_CASE(relu6, around<tn::relu6>)
TYPENET_GRADIENT_CASE(tanh_fused, around<tn::tanh>)
TYPENET_GRADIENT_CASE(sigmoid_after_pool, around<tn::avg_pool<2>, tn::sigmoid>)
TYPENET_GRADIENT_CASE(dropout, around<tn::dropout<30>>)
TYPENET_GRADIENT_CASE(nested_block, around<tn::sequential<tn::conv2d<2, kernel<2>>, tn::relu, tn::sequential<tn::tanh>>>)

// Blocks of branches: each branch's gradient reaches the input, and a fused relu after the merge.
using tn::residual, tn::concat, tn::sequential, tn::conv2d;
TYPENET_GRADIENT_CASE(residual_identity, around<residual<sequential<conv2d<3, kernel<3>, pad<1>>, tn::tanh, conv2d<3, kernel<1>>>>, tn::relu>)
TYPENET_GRADIENT_CASE(residual_projection,
                      around<residual<sequential<conv2d<4, kernel<3>, stride<2>, pad<1>>, tn::relu, conv2d<4, kernel<3>, pad<1>>>,
                                      conv2d<4, kernel<1>, stride<2>, tn::no_bias>>>)
TYPENET_GRADIENT_CASE(residual_nested,
                      around<residual<residual<conv2d<3, kernel<3>, pad<1>>, tn::sigmoid>, sequential<tn::dropout<25>, tn::identity>>>)
TYPENET_GRADIENT_CASE(concat_branches,
                      around<concat<conv2d<2, kernel<1>>, sequential<conv2d<3, kernel<3>, pad<1>>, tn::relu>, tn::identity,
                                    sequential<tn::max_pool<3, stride<1>, pad<1>>, conv2d<2, kernel<1>>>>,
                             tn::tanh>)
TYPENET_GRADIENT_CASE(add_of_three_branches, around<tn::add<conv2d<3, kernel<3>, pad<1>>, tn::identity, sequential<conv2d<3, kernel<1>, tn::no_bias>, tn::tanh>>, tn::relu>)
TYPENET_GRADIENT_CASE(concat_of_vectors, tn::basic_network<double, input<6>, concat<tn::dense<3>, tn::identity, tn::dense<2>>,
                                                           tn::sigmoid, tn::dense<2>>)
// A block of branches first: nothing asks for the gradient of its input.
TYPENET_GRADIENT_CASE(residual_first, tn::basic_network<double, input<2, 5, 5>, residual<conv2d<2, kernel<3>, pad<1>>>,
                                                        tn::relu, tn::flatten, tn::dense<3>>)

// Batch norm in training: every output depends on every sample of the batch.
TYPENET_GRADIENT_CASE(batch_norm2d_fused_relu, around<tn::batch_norm2d<tn::eps<1, 1000>>, tn::relu>)
TYPENET_GRADIENT_CASE(batch_norm_in_residual,
                      around<residual<sequential<conv2d<3, kernel<3>, pad<1>, tn::no_bias>, tn::batch_norm2d<>, tn::relu,
                                                 conv2d<3, kernel<3>, pad<1>, tn::no_bias>, tn::batch_norm2d<>>,
                                      sequential<conv2d<3, kernel<1>, tn::no_bias>, tn::batch_norm2d<>>>,
                             tn::relu>)
TYPENET_GRADIENT_CASE(batch_norm1d_signal_and_vector,
                      tn::basic_network<double, input<2, 9>, tn::conv1d<3, kernel<2>>, tn::batch_norm1d<>, tn::tanh, tn::flatten,
                                        tn::dense<4, tn::no_bias>, tn::batch_norm1d<tn::momentum<1, 2>>, tn::sigmoid, tn::dense<2>>)

// Batch norm with its running statistics (frozen, as when fine-tuning): they are constants.
BOOST_AUTO_TEST_CASE(batch_norm_frozen) {
    using net_type = around<tn::batch_norm2d<>, tn::tanh, tn::dropout<25>>;
    BOOST_TEST(gradient_error<net_type>(3, 1, {.dropout = true, .batch_statistics = false}) < 1e-6);
    BOOST_TEST(gradient_error<net_type>(3, 1, {.dropout = false, .batch_statistics = false}) < 1e-6);
}

using signal_net = tn::basic_network<double, input<2, 19>, tn::conv1d<3, kernel<3>, stride<2>, pad<1, 2>>, tn::tanh,
                                     tn::max_pool<2, stride<1>>, tn::conv1d<2, kernel<2>, dilation<2>, tn::same>,
                                     tn::avg_pool<2>, tn::flatten, tn::dense<4>, tn::leaky_relu<>>;
TYPENET_GRADIENT_CASE(conv1d_and_signal_pooling, signal_net)

using vector_net = tn::basic_network<double, input<9>, tn::dense<7>, tn::sigmoid, tn::dropout<1, 4>, tn::dense<5, tn::no_bias>,
                                     tn::softmax>;
TYPENET_GRADIENT_CASE(dense_dropout_softmax, vector_net)

// Two whole networks: LeNet-5 and a small version of the Keras example.
using lenet5 = tn::models::lenet5<double>;
BOOST_AUTO_TEST_CASE(whole_lenet5) { BOOST_TEST(gradient_error<lenet5>(2) < 1e-6); }

using small_seed = tn::basic_network<double, input<3, 16, 16>, tn::conv2d<8, kernel<3>>, tn::relu, tn::max_pool<2>,
                                     tn::conv2d<8, kernel<3>>, tn::relu, tn::max_pool<2>, tn::flatten, tn::dense<16>,
                                     tn::relu, tn::dropout<20>, tn::dense<10>, tn::softmax>;
BOOST_AUTO_TEST_CASE(whole_small_seed_network) { BOOST_TEST(gradient_error<small_seed>(2) < 1e-6); }

BOOST_AUTO_TEST_CASE(dropout_masks_depend_on_iteration_and_sample) {
    using net = tn::basic_network<double, input<1000>, tn::dropout<50>>;
    net n;
    tn::backprop<net> pass(2);
    std::vector<double> ones(2000, 1.0);
    const auto a = std::vector<double>(pass.forward(n, ones, 1).begin(), pass.forward(n, ones, 1).end());
    const auto b = std::vector<double>(pass.forward(n, ones, 2).begin(), pass.forward(n, ones, 2).end());
    std::size_t kept = 0, same_as_other_sample = 0, same_as_other_iteration = 0;
    for (std::size_t i = 0; i < 1000; ++i) {
        kept += a[i] != 0;
        BOOST_TEST((a[i] == 0 || a[i] == 2.0));  // kept values are scaled by 1 / (1 - p)
        same_as_other_sample += (a[i] != 0) == (a[1000 + i] != 0);
        same_as_other_iteration += (a[i] != 0) == (b[i] != 0);
    }
    BOOST_TEST(kept > 430u);
    BOOST_TEST(kept < 570u);
    BOOST_TEST(same_as_other_sample < 570u);
    BOOST_TEST(same_as_other_iteration < 570u);
}

// Training fuses only activations whose derivative follows from their output.
static_assert(lenet5::block::train_step_count == 8);
static_assert(decltype(boost::hana::length(vector_net::block::train_steps))::value == 4);  // dense+sigmoid, dropout, dense, softmax
