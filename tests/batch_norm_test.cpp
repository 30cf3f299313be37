// Tests batch_norm1d/2d against PyTorch (tests/fixtures/batch_norm.bin, written by
// make_batch_norm_fixtures.py): in training, the output, the input gradient, the
// parameter gradients and the running statistics after three batches; in evaluation,
// the output. Each in double and in float, the batch shared by 1, 2 and 3 threads.
#define BOOST_TEST_MODULE batch_norm
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

#include "support/errors.hpp"
#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace tn = typenet;
using tn::input, tn::kernel, tn::stride, tn::pad, tn::no_bias, tn::batch_norm1d, tn::batch_norm2d, tn::conv2d,
    tn::sequential, tn::residual;

namespace {

struct fixture {
    std::size_t batch = 0;
    std::vector<double> inputs, params, buffers, cotangent, output, input_grad, param_grad, buffers_after, eval_output;
};

const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = [] {
        tn::testing::fixture_reader in(tn::testing::fixture_path(TYPENET_FIXTURE_DIR "/batch_norm.bin"));
        in.expect_header("TNBN", 1);
        std::map<std::string, fixture> read;
        for (std::uint32_t n = in.u32(); n > 0; --n) {
            std::string name = in.take(in.u32());
            fixture f;
            f.batch = in.u32();
            for (auto* a : {&f.inputs, &f.params, &f.buffers, &f.cotangent, &f.output, &f.input_grad, &f.param_grad,
                            &f.buffers_after, &f.eval_output})
                *a = in.f64s(in.u32());
            if (!read.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
        }
        in.expect_end("has bytes after its last case");
        return read;
    }();
    return cases;
}

using typenet::testing::relative_error;

template <class T>
std::vector<T> converted(std::span<const double> values) {
    return std::vector<T>(values.begin(), values.end());
}

template <class Net>
void check_case(const std::string& name, std::size_t threads) {
    using T = typename Net::scalar_type;
    const double tolerance = std::is_same_v<T, double> ? 1e-10 : 1e-4;
    const auto found = fixtures().find(name);
    BOOST_TEST_REQUIRE((found != fixtures().end()), name + ": no such case; run make_batch_norm_fixtures.py");
    const fixture& f = found->second;
    const std::size_t batch_in = f.batch * Net::input_size;
    BOOST_TEST_REQUIRE(f.inputs.size() == 3 * batch_in);
    BOOST_TEST_REQUIRE(f.params.size() == Net::parameter_count);
    BOOST_TEST_REQUIRE(f.buffers.size() == Net::buffer_count);

    auto net = std::make_unique<Net>();
    std::ranges::copy(converted<T>(f.params), net->parameters().begin());
    std::ranges::copy(converted<T>(f.buffers), net->buffers().begin());
    const std::vector<T> inputs = converted<T>(f.inputs);
    const std::span<const T> first(inputs.data(), batch_in);

    tn::backprop<Net> pass(f.batch, threads, tn::gradients::parameters_and_inputs);
    const auto out = pass.forward(*net, first, 0);
    const std::string where = fmt::format("{} ({} thread(s))", name, threads);
    BOOST_TEST(relative_error<T>(out, f.output) < tolerance, where << ": training output");
    std::ranges::copy(converted<T>(f.cotangent), pass.output_gradients().begin());
    const auto grads = pass.backward(*net);
    BOOST_TEST(relative_error<T>(grads, f.param_grad) < tolerance, where << ": parameter gradients");
    BOOST_TEST(relative_error<T>(pass.input_gradients(), f.input_grad) < tolerance, where << ": input gradients");
    for (std::size_t b = 1; b < 3; ++b) pass.forward(*net, std::span<const T>(inputs.data() + b * batch_in, batch_in), b);
    BOOST_TEST(relative_error<T>(net->buffers(), f.buffers_after) < tolerance, where << ": running statistics");

    std::vector<T> eval(f.eval_output.size());
    net->forward(first, eval);
    BOOST_TEST(relative_error<T>(std::span<const T>(eval), f.eval_output) < tolerance, where << ": evaluation output");
}

template <template <class> class Net>
void check_case_everywhere(const std::string& name) {
    for (std::size_t threads : {1, 2, 3}) {
        check_case<Net<double>>(name, threads);
        check_case<Net<float>>(name, threads);
    }
}

template <class T>
using bn2d_eps_momentum = tn::basic_network<T, input<3, 5, 7>, batch_norm2d<tn::eps<1, 1000>, tn::momentum<3, 10>>>;
template <class T>
using bn1d_signal = tn::basic_network<T, input<3, 9>, batch_norm1d<>>;
template <class T>
using bn1d_vector = tn::basic_network<T, input<6>, batch_norm1d<>>;
template <class T>
using conv_stride2_bn_relu =
    tn::basic_network<T, input<2, 6, 5>, conv2d<3, kernel<3>, stride<2>, pad<1>, no_bias>, batch_norm2d<>, tn::relu>;
template <class T>
using grouped_conv_bn_relu6 =
    tn::basic_network<T, input<6, 5, 5>, conv2d<6, kernel<3>, pad<1>, tn::groups<3>, no_bias>, batch_norm2d<>, tn::relu6>;
template <class T>
using resnet_basic_projection = tn::basic_network<
    T, input<4, 7, 7>,
    residual<sequential<conv2d<5, kernel<3>, stride<2>, pad<1>, no_bias>, batch_norm2d<>, tn::relu,
                        conv2d<5, kernel<3>, pad<1>, no_bias>, batch_norm2d<>>,
             sequential<conv2d<5, kernel<1>, stride<2>, no_bias>, batch_norm2d<>>>,
    tn::relu,
    residual<sequential<conv2d<5, kernel<3>, pad<1>, no_bias>, batch_norm2d<>, tn::relu, conv2d<5, kernel<3>, pad<1>, no_bias>,
                        batch_norm2d<>>>,
    tn::relu, tn::global_avg_pool, tn::flatten, tn::dense<3>>;
template <class T>
using dense_bn_relu_dense = tn::basic_network<T, input<7>, tn::dense<5, no_bias>, batch_norm1d<>, tn::relu, tn::dense<2>>;

}  // namespace

BOOST_AUTO_TEST_CASE(image_with_eps_and_momentum) { check_case_everywhere<bn2d_eps_momentum>("bn2d_eps_momentum"); }
BOOST_AUTO_TEST_CASE(signal) { check_case_everywhere<bn1d_signal>("bn1d_signal"); }
BOOST_AUTO_TEST_CASE(vector) { check_case_everywhere<bn1d_vector>("bn1d_vector"); }
BOOST_AUTO_TEST_CASE(after_a_strided_convolution_with_relu) {
    check_case_everywhere<conv_stride2_bn_relu>("conv_stride2_bn_relu");
}
BOOST_AUTO_TEST_CASE(after_a_grouped_convolution_with_relu6) {
    check_case_everywhere<grouped_conv_bn_relu6>("grouped_conv_bn_relu6");
}
BOOST_AUTO_TEST_CASE(resnet_blocks_with_projection_shortcut) {
    check_case_everywhere<resnet_basic_projection>("resnet_basic_projection");
}
BOOST_AUTO_TEST_CASE(after_a_dense_layer) { check_case_everywhere<dense_bn_relu_dense>("dense_bn_relu_dense"); }

// A vector's statistics over a batch of one sample are undefined: PyTorch refuses it too.
BOOST_AUTO_TEST_CASE(a_batch_of_one_vector_is_refused) {
    using net_type = bn1d_vector<float>;
    net_type net;
    tn::backprop<net_type> pass(2);
    const std::vector<float> one(net_type::input_size, 1.f);
    BOOST_CHECK_EXCEPTION(pass.forward(net, one, 0), std::invalid_argument, [](const std::invalid_argument& e) {
        return std::string(e.what()).find("layer 0 (batch_norm1d)") != std::string::npos;
    });
    const std::vector<float> two(2 * net_type::input_size, 1.f);
    BOOST_CHECK_NO_THROW(pass.forward(net, two, 0));
}

BOOST_AUTO_TEST_CASE(starts_as_pytorch_does) {
    bn1d_signal<double> net(7);
    for (std::size_t c = 0; c < 3; ++c) {
        BOOST_TEST(net.parameters()[c] == 1.0);      // weight
        BOOST_TEST(net.parameters()[3 + c] == 0.0);  // bias
        BOOST_TEST(net.buffers()[c] == 0.0);         // running_mean
        BOOST_TEST(net.buffers()[3 + c] == 1.0);     // running_var
    }
}

// In eval mode a training pass is inference (running statistics, no dropout), leaves the
// running statistics as they are, and its gradients are those of that function.
BOOST_AUTO_TEST_CASE(eval_mode_in_a_training_pass) {
    using net_type = resnet_basic_projection<double>;
    const fixture& f = fixtures().at("resnet_basic_projection");
    auto net = std::make_unique<net_type>();
    std::ranges::copy(f.params, net->parameters().begin());
    std::ranges::copy(f.buffers_after, net->buffers().begin());
    net->eval();
    const std::span<const double> first(f.inputs.data(), f.batch * net_type::input_size);
    tn::backprop<net_type> pass(f.batch, 2);
    const auto out = pass.forward(*net, first, 0);
    BOOST_TEST(relative_error<double>(out, f.eval_output) < 1e-12);
    BOOST_TEST(std::ranges::equal(net->buffers(), f.buffers_after));

    // A mode the network keeps: train() again normalizes with the batch's statistics.
    net->train();
    std::ranges::copy(f.buffers, net->buffers().begin());
    BOOST_TEST(relative_error<double>(pass.forward(*net, first, 0), f.output) < 1e-10);
}

// Dropout in a network in eval mode passes everything, forward and backward.
BOOST_AUTO_TEST_CASE(dropout_follows_the_mode) {
    using net_type = tn::basic_network<double, input<6>, tn::dense<5>, tn::dropout<50>, tn::dense<2>>;
    net_type net(3);
    const std::vector<double> x{0.5, -1, 2, 0.25, -0.75, 1.5, 1, 2, 3, 4, 5, 6};
    std::vector<double> inference(4);
    net.forward(x, inference);
    tn::backprop<net_type> pass(2);
    net.set_mode({.dropout = false, .batch_statistics = true});
    const auto out = pass.forward(net, x, 7);
    BOOST_TEST(std::ranges::equal(out, inference));
    net.train();
    const auto dropped = pass.forward(net, x, 7);
    BOOST_TEST(!std::ranges::equal(dropped, inference));
}

// At inference a batch norm right after a convolution or dense layer is folded into its
// weights and bias (the summary shows it fused), and folded again whenever the weights or
// the running statistics change: the same outputs as a network that never ran before, for
// a batch (a dense layer folds once for the batch) and for one sample.
template <class Net>
void check_folding(const std::string& name, const std::string& fused) {
    BOOST_TEST(tn::summary<Net>().find(fused) != std::string::npos, name << ": " << fused);
    const fixture& f = fixtures().at(name);
    const std::vector<float> in = converted<float>(std::span<const double>(f.inputs).first(f.batch * Net::input_size));
    auto outputs_of = [&](Net& net, std::size_t samples) {
        std::vector<float> out(samples * Net::output_size);
        net.forward(std::span<const float>(in).first(samples * Net::input_size), out);
        return out;
    };
    for (std::size_t samples : {f.batch, std::size_t(1)}) {
        Net used(1);
        outputs_of(used, samples);
        for (std::size_t i = 0; i < Net::buffer_count; ++i) used.buffers()[i] += 0.125f * float(i + 1);
        used.parameters()[3] = -0.5f;
        Net fresh(2);
        std::ranges::copy(used.parameters(), fresh.parameters().begin());
        std::ranges::copy(used.buffers(), fresh.buffers().begin());
        BOOST_TEST(outputs_of(used, samples) == outputs_of(fresh, samples), name << ": " << samples << " sample(s)");
    }
    // The eval output of the fixture, through the folded layer.
    Net net(1);
    std::ranges::copy(converted<float>(f.params), net.parameters().begin());
    std::ranges::copy(converted<float>(f.buffers_after), net.buffers().begin());
    BOOST_TEST(relative_error<float>(std::span<const float>(outputs_of(net, f.batch)), f.eval_output) < 1e-5, name);
}

BOOST_AUTO_TEST_CASE(folded_into_the_layer_before_at_inference) {
    check_folding<conv_stride2_bn_relu<float>>("conv_stride2_bn_relu", "batch_norm2d (fused)");
    check_folding<dense_bn_relu_dense<float>>("dense_bn_relu_dense", "batch_norm1d (fused)");
}
