// Checks the forward pass of every layer, and of a few whole networks, against PyTorch.
//
// tests/fixtures/layers.bin holds, for each network type below (same name), a batch of
// 2 inputs, the parameters and the output that torch computed in float64 for the
// `nn.Sequential` that mirrors it. tests/fixtures/make_layer_fixtures.py writes it:
//
//     OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/fixtures/make_layer_fixtures.py
//
// Format, all little-endian: "TNFX", u32 version (1), u32 case count; then per case
// u32 name length and the name, then three arrays (input, parameters, output), each a
// u32 count followed by that many float64. Inputs and outputs are channels first (NCHW,
// NCL, NC), sample after sample; parameters are in `network::parameters()` order, which
// is torch.cat([p.flatten() for p in model.parameters()]) (see typenet/layout.hpp).
//
// The file is found in TYPENET_FIXTURE_DIR (set by meson), or given on the command line:
//     pytorch_parity_test -- path/to/layers.bin
#define BOOST_TEST_MODULE pytorch_parity
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace {

// --- layers.bin ------------------------------------------------------------------------

struct fixture {
    std::vector<double> input, parameters, output;
};

// Parses layers.bin, in the format described at the top of this file.
std::map<std::string, fixture> read_fixtures(const std::string& path) {
    typenet::testing::fixture_reader in(path);
    in.expect_header("TNFX", 1);
    std::map<std::string, fixture> cases;
    for (std::uint32_t n = in.u32(); n > 0; --n) {
        std::string name = in.take(in.u32());
        fixture f;
        f.input = in.f64s(in.u32());
        f.parameters = in.f64s(in.u32());
        f.output = in.f64s(in.u32());
        if (!cases.emplace(name, std::move(f)).second) in.fail(fmt::format("holds case {} twice", name));
    }
    in.expect_end("has bytes after its last case");
    return cases;
}

std::string fixture_path() { return typenet::testing::fixture_path(TYPENET_FIXTURE_DIR "/layers.bin"); }

// Read once; a file that cannot be read fails every case with the reason.
const std::map<std::string, fixture>& fixtures() {
    static const std::map<std::string, fixture> cases = read_fixtures(fixture_path());
    return cases;
}

// The names of the networks below, filled as their test cases are registered.
std::set<std::string>& networks() {
    static std::set<std::string> names;
    return names;
}

bool list_network(const char* name) { return networks().insert(name).second; }

// --- The checker -------------------------------------------------------------------------

constexpr std::size_t batch = 2;

// Tolerances. An element passes when |got - want| <= tol * max(|want|, scale), where
// `scale` is the largest |want| in the case's output. Large values are held to a relative
// error; values near 0 to an absolute one, tol * scale, because their low digits are lost
// to cancellation in sums whose terms are as large as the output itself (Boost's
// `tolerance`, purely relative, would fail them for rounding alone).
// - double: typenet and torch both compute in float64 and differ only in the order of
//   the additions, a few ulps of the largest term for these sums of at most a few hundred
//   terms. Measured: at most 6e-16 of the scale. 1e-12 leaves a margin of 1000 and still
//   fails any wrong tap, padding, divisor or parameter offset by many orders of magnitude.
// - float: inputs and parameters are rounded to float (relative 6e-8) and every sum is
//   accumulated in float, through up to six layers. Measured: at most 2e-7 of the scale.
//   1e-5 is the precision asked of float, a margin of 50 over what is seen.
template <class T>
constexpr double tolerance = std::is_same_v<T, double> ? 1e-12 : 1e-5;

template <class T>
constexpr const char* precision = std::is_same_v<T, double> ? "double" : "float";

template <class T>
void compare(const std::string& name, const std::vector<T>& got, const std::vector<double>& want) {
    double scale = 0;
    for (double w : want) scale = std::max(scale, std::abs(w));
    std::size_t failures = 0, worst = 0;
    double worst_ratio = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double allowed = tolerance<T> * std::max(std::abs(want[i]), scale);
        const double error = std::abs(double(got[i]) - want[i]);
        // `!(error <= allowed)` also counts a NaN as a failure.
        if (!(error <= allowed)) ++failures;
        const double ratio = allowed > 0 ? error / allowed : (error > 0 ? std::numeric_limits<double>::infinity() : 0.0);
        if (!(ratio <= worst_ratio)) worst_ratio = ratio, worst = i;
    }
    const std::size_t per_sample = want.size() / batch;
    BOOST_TEST_MESSAGE(fmt::format("{} ({}): worst error {:.3g} of the tolerance", name,
                                   precision<T>, worst_ratio));
    BOOST_TEST(failures == 0u,
               fmt::format("{} ({}): {} of {} outputs differ from PyTorch; worst at sample {}, index {}: got {:.17g}, "
                           "want {:.17g}, allowed error {:.3g} (scale {:.3g})",
                           name, precision<T>, failures, want.size(), worst / per_sample,
                           worst % per_sample, double(got[worst]), want[worst],
                           tolerance<T> * std::max(std::abs(want[worst]), scale), scale));
}

// Runs network `Net<T>` with `parameters` on the batch `in`. With `check_network` below,
// the only code compiled per network: the checks are compiled once, which keeps this
// file quick to build (the networks themselves are most of its compile time).
template <template <class> class Net, class T>
void run(const std::vector<T>& parameters, const std::vector<T>& in, std::vector<T>& out) {
    Net<T> net;
    std::copy(parameters.begin(), parameters.end(), net.parameters().begin());
    net.forward(in, out);
}

template <class T>
using runner = void (*)(const std::vector<T>&, const std::vector<T>&, std::vector<T>&);

template <class T>
void check_in(const std::string& name, runner<T> run_network, const fixture& f) {
    const std::vector<T> parameters(f.parameters.begin(), f.parameters.end());
    const std::vector<T> in(f.input.begin(), f.input.end());
    std::vector<T> out(f.output.size());
    run_network(parameters, in, out);
    compare(name, out, f.output);
}

struct network_under_test {
    const char* name;
    std::size_t input_size, parameter_count, output_size;  // per sample, as the type says
    runner<double> run_double;
    runner<float> run_float;
};

void check(const network_under_test& net) {
    const auto found = fixtures().find(net.name);
    BOOST_TEST_REQUIRE((found != fixtures().end()),
                       fmt::format("{}: no case of this name in {}; run make_layer_fixtures.py", net.name,
                                   fixture_path()));
    const fixture& f = found->second;
    bool sizes_match = true;
    auto expect_size = [&](const char* what, std::size_t fixture_size, std::size_t network_size) {
        BOOST_TEST(fixture_size == network_size,
                   fmt::format("{}: the fixture has {} {} values, the network {}", net.name, fixture_size, what,
                               network_size));
        sizes_match = sizes_match && fixture_size == network_size;
    };
    expect_size("input", f.input.size(), batch * net.input_size);
    expect_size("parameter", f.parameters.size(), net.parameter_count);
    expect_size("output", f.output.size(), batch * net.output_size);
    if (!sizes_match) return;
    check_in(net.name, net.run_double, f);
    check_in(net.name, net.run_float, f);
}

/// The generic checker: network `Net<T>` against its fixture, in double and in float.
template <template <class> class Net>
void check_network(const char* name) {
    using net = Net<double>;
    check({name, net::input_size, net::parameter_count, net::output_size, &run<Net, double>, &run<Net, float>});
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_fixture_has_a_network) {
    for (const auto& [name, f] : fixtures())
        BOOST_TEST(networks().count(name) == 1u, fmt::format("fixture {} has no network in this file", name));
    for (const auto& name : networks())
        BOOST_TEST(fixtures().count(name) == 1u, fmt::format("network {} has no fixture", name));
}

// --- The networks, one test case each: forward/<name> ------------------------------------
// Each is the typenet twin of the torch model of the same name in make_layer_fixtures.py.

BOOST_AUTO_TEST_SUITE(forward)

namespace nets {
using typenet::adaptive_avg_pool, typenet::adaptive_max_pool, typenet::add, typenet::avg_pool, typenet::ceil_mode, typenet::concat, typenet::conv1d, typenet::conv2d, typenet::depthwise_conv1d, typenet::depthwise_conv2d, typenet::dense, typenet::dilation, typenet::dropout,
    typenet::exclude_padding, typenet::flatten, typenet::global_avg_pool, typenet::global_max_pool, typenet::groups, typenet::identity, typenet::input, typenet::kernel, typenet::elu, typenet::leaky_relu, typenet::log_softmax, typenet::prelu, typenet::zero_pad,
    typenet::max_pool, typenet::multiplier, typenet::no_bias, typenet::pad, typenet::relu, typenet::relu6, typenet::residual, typenet::same, typenet::sequential,
    typenet::sigmoid, typenet::softmax, typenet::stride, typenet::tanh, typenet::valid, typenet::width;
}  // namespace nets

// Declares `nets::name<T>`, the network `basic_network<T, …>`, and its test case.
#define PARITY_CASE(name, ...)                                                  \
    namespace nets {                                                            \
    template <class T>                                                          \
    using name = typenet::basic_network<T, __VA_ARGS__>;                        \
    }                                                                           \
    [[maybe_unused]] static const bool name##_listed = list_network(#name);     \
    BOOST_AUTO_TEST_CASE(name) { check_network<nets::name>(#name); }

// conv2d
PARITY_CASE(conv2d_k3, input<2, 7, 9>, conv2d<3, kernel<3>>)
PARITY_CASE(conv2d_k3_s2_p1, input<3, 9, 11>, conv2d<4, kernel<3>, stride<2>, pad<1>>)
PARITY_CASE(conv2d_k3x5_p1x2, input<2, 7, 9>, conv2d<3, kernel<3, 5>, pad<1, 2>>)
PARITY_CASE(conv2d_k2x3_s2x1, input<2, 7, 9>, conv2d<3, kernel<2, 3>, stride<2, 1>>)
PARITY_CASE(conv2d_k3_p1021, input<2, 7, 9>, conv2d<3, kernel<3>, pad<1, 0, 2, 1>>)
PARITY_CASE(conv2d_k4_same, input<2, 7, 9>, conv2d<3, kernel<4>, same>)
PARITY_CASE(conv2d_k3_s2_same, input<2, 8, 9>, conv2d<3, kernel<3>, stride<2>, same>)
PARITY_CASE(conv2d_k3x2_s2x1_same, input<2, 8, 9>, conv2d<3, kernel<3, 2>, stride<2, 1>, same>)
PARITY_CASE(conv2d_k3_d2x1_p1, input<2, 8, 9>, conv2d<3, kernel<3>, dilation<2, 1>, pad<1>>)
PARITY_CASE(conv2d_k3_d2_same, input<2, 7, 9>, conv2d<3, kernel<3>, dilation<2>, same>)
PARITY_CASE(conv2d_k3_s2_same_nobias, input<2, 6, 7>, conv2d<3, kernel<3>, stride<2>, same, no_bias>)
PARITY_CASE(conv2d_k1, input<3, 5, 6>, conv2d<5, kernel<1>>)
PARITY_CASE(conv2d_k7_p3, input<2, 8, 9>, conv2d<2, kernel<7>, pad<3>>)
PARITY_CASE(conv2d_k5_s3_valid, input<2, 9, 11>, conv2d<3, kernel<5>, stride<3>, valid>)

// conv1d
PARITY_CASE(conv1d_k5_s2_p1, input<3, 16>, conv1d<4, kernel<5>, stride<2>, pad<1>>)
PARITY_CASE(conv1d_k4_p2x1, input<3, 16>, conv1d<4, kernel<4>, pad<2, 1>>)
PARITY_CASE(conv1d_k4_same, input<3, 16>, conv1d<4, kernel<4>, same>)
PARITY_CASE(conv1d_k3_s2_same, input<3, 16>, conv1d<4, kernel<3>, stride<2>, same>)
PARITY_CASE(conv1d_k3_d3_same, input<3, 16>, conv1d<4, kernel<3>, dilation<3>, same>)
PARITY_CASE(conv1d_k3_nobias, input<3, 16>, conv1d<4, kernel<3>, no_bias>)

// grouped and depthwise convolutions
PARITY_CASE(depthwise_k3_s2_p1_m2, input<3, 9, 8>, depthwise_conv2d<kernel<3>, stride<2>, pad<1>, multiplier<2>>)
PARITY_CASE(depthwise_k3x5_nobias_relu6, input<4, 7, 9>, depthwise_conv2d<kernel<3, 5>, pad<1, 2>, no_bias>, relu6)
PARITY_CASE(depthwise_k3_d2, input<2, 9, 9>, conv2d<2, kernel<3>, dilation<2>, pad<1>, groups<2>>)
PARITY_CASE(grouped_k3_g3, input<6, 7, 8>, conv2d<9, kernel<3>, pad<1>, groups<3>>)
PARITY_CASE(grouped_k1_g2_nobias_relu, input<4, 5, 6>, conv2d<6, kernel<1>, groups<2>, no_bias>, relu)
PARITY_CASE(depthwise1d_k3_m2, input<3, 12>, depthwise_conv1d<kernel<3>, pad<1>, multiplier<2>>)
PARITY_CASE(grouped1d_k3_s2_g2, input<4, 13>, conv1d<6, kernel<3>, stride<2>, groups<2>>, tanh)
PARITY_CASE(inverted_residual, input<4, 6, 7>,
            residual<sequential<conv2d<8, kernel<1>>, relu6, depthwise_conv2d<kernel<3>, pad<1>>, relu6, conv2d<4, kernel<1>>>>)

// max_pool on images
PARITY_CASE(max_pool2, input<2, 8, 9>, max_pool<2>)
PARITY_CASE(max_pool3_s2_p1x0, input<2, 9, 11>, max_pool<3, stride<2>, pad<1, 0>>)
PARITY_CASE(max_pool3_s2_p1001, input<2, 9, 11>, max_pool<3, stride<2>, pad<1, 0, 0, 1>>)
PARITY_CASE(max_pool2_same, input<2, 7, 9>, max_pool<2, same>)
PARITY_CASE(max_pool3_s2_same, input<2, 8, 9>, max_pool<3, stride<2>, same>)
PARITY_CASE(max_pool4_s3_p2, input<2, 9, 11>, max_pool<4, stride<3>, pad<2>>)

// avg_pool on images
PARITY_CASE(avg_pool2, input<2, 8, 9>, avg_pool<2>)
PARITY_CASE(avg_pool3_s1_p1, input<2, 7, 9>, avg_pool<3, stride<1>, pad<1>>)
PARITY_CASE(avg_pool3_s2_p1_excl, input<2, 9, 11>, avg_pool<3, stride<2>, pad<1>, exclude_padding>)
PARITY_CASE(avg_pool3_s2_p1x0, input<2, 9, 11>, avg_pool<3, stride<2>, pad<1, 0>>)
PARITY_CASE(avg_pool4_s3_p2_excl, input<2, 9, 11>, avg_pool<4, stride<3>, pad<2>, exclude_padding>)
PARITY_CASE(avg_pool2_s1_same, input<2, 7, 9>, avg_pool<2, stride<1>, same>)
PARITY_CASE(avg_pool2_s1_same_excl, input<2, 7, 9>, avg_pool<2, stride<1>, same, exclude_padding>)
PARITY_CASE(avg_pool3_same_excl, input<2, 8, 9>, avg_pool<3, same, exclude_padding>)

// ceil_mode
PARITY_CASE(max_pool3_s2_ceil, input<2, 8, 9>, max_pool<3, stride<2>, ceil_mode>)
PARITY_CASE(max_pool2_p1_ceil, input<2, 5, 5>, max_pool<2, pad<1>, ceil_mode>)
PARITY_CASE(avg_pool3_s2_p1_ceil, input<2, 8, 8>, avg_pool<3, stride<2>, pad<1>, ceil_mode>)
PARITY_CASE(avg_pool2_ceil_excl, input<2, 7, 9>, avg_pool<2, ceil_mode, exclude_padding>)
PARITY_CASE(max_pool3x2, input<2, 9, 8>, max_pool<3, width<2>>)
PARITY_CASE(max_pool3x2_s2x1_p1x0, input<3, 8, 7>, max_pool<3, width<2>, stride<2, 1>, pad<1, 0>>)
PARITY_CASE(avg_pool2x3_p1_ceil, input<2, 7, 8>, avg_pool<2, width<3>, pad<1>, ceil_mode>)
PARITY_CASE(conv_relu_max_pool1x3, input<2, 6, 9>, conv2d<4, kernel<3>>, relu, max_pool<1, width<3>>)
PARITY_CASE(avg_pool3_s2_ceil, input<2, 8, 9>, avg_pool<3, stride<2>, ceil_mode>)
PARITY_CASE(max_pool1d_2_ceil, input<3, 11>, max_pool<2, ceil_mode>)

// max_pool and avg_pool on signals
PARITY_CASE(max_pool1d_2, input<3, 17>, max_pool<2>)
PARITY_CASE(max_pool1d_3_s2_p1, input<3, 16>, max_pool<3, stride<2>, pad<1>>)
PARITY_CASE(max_pool1d_3_s2_p1x0, input<3, 16>, max_pool<3, stride<2>, pad<1, 0>>)
PARITY_CASE(max_pool1d_3_same, input<3, 17>, max_pool<3, same>)
PARITY_CASE(avg_pool1d_3_s1_p1, input<3, 16>, avg_pool<3, stride<1>, pad<1>>)
PARITY_CASE(avg_pool1d_3_s2_p1_excl, input<3, 16>, avg_pool<3, stride<2>, pad<1>, exclude_padding>)
PARITY_CASE(avg_pool1d_4_same_excl, input<3, 17>, avg_pool<4, same, exclude_padding>)

// adaptive and global pools
PARITY_CASE(adaptive_avg_pool_3x2, input<2, 7, 9>, adaptive_avg_pool<3, 2>)
PARITY_CASE(adaptive_avg_pool_larger, input<2, 3, 4>, adaptive_avg_pool<4, 5>)
PARITY_CASE(adaptive_max_pool_2x3, input<2, 7, 9>, adaptive_max_pool<2, 3>)
PARITY_CASE(adaptive_avg_pool1d_3, input<3, 10>, adaptive_avg_pool<3>)
PARITY_CASE(adaptive_max_pool1d_4, input<3, 10>, adaptive_max_pool<4>)
PARITY_CASE(global_avg_pool_head, input<3, 6, 7>, conv2d<5, kernel<3>, pad<1>>, relu, global_avg_pool, flatten, dense<3>)
PARITY_CASE(global_max_pool_signal, input<3, 9>, conv1d<4, kernel<3>>, tanh, global_max_pool)

// flatten, dense, dropout
PARITY_CASE(flatten_image, input<2, 3, 4>, flatten)
PARITY_CASE(dense_u4, input<10>, dense<4>)
PARITY_CASE(dense_nobias, input<12>, dense<6, no_bias>)
PARITY_CASE(flatten_dense, input<2, 3, 4>, flatten, dense<5>)
PARITY_CASE(dropout_50, input<2, 4, 5>, dropout<50>)

// activations, alone and fused into the layer before them
PARITY_CASE(relu_image, input<2, 4, 5>, relu)
PARITY_CASE(relu6_image, input<2, 4, 5>, relu6)  // inputs ×5: 8 of 80 above 6
PARITY_CASE(conv2d_relu6, input<2, 6, 7>, conv2d<3, kernel<3>, pad<1>>, relu6)
PARITY_CASE(leaky_relu_default, input<2, 4, 5>, leaky_relu<>)
PARITY_CASE(leaky_relu_1_5, input<2, 4, 5>, leaky_relu<1, 5>)
PARITY_CASE(elu_default, input<2, 4, 5>, elu<>)
PARITY_CASE(elu_1_2, input<2, 4, 5>, elu<1, 2>)
PARITY_CASE(conv2d_elu, input<2, 6, 7>, conv2d<3, kernel<3>, pad<1>>, elu<>)
PARITY_CASE(prelu_one_slope, input<3, 4, 5>, prelu<>)
PARITY_CASE(prelu_channels, input<3, 4, 5>, prelu<3>)
PARITY_CASE(prelu_vector, input<6>, prelu<6>)
PARITY_CASE(conv1d_prelu_tanh, input<2, 9>, conv1d<3, kernel<3>>, prelu<3>, tanh)
PARITY_CASE(softmax_channels_image, input<3, 4, 5>, softmax)
PARITY_CASE(softmax_channels_signal, input<4, 6>, softmax)
PARITY_CASE(log_softmax_vector, input<7>, log_softmax)
PARITY_CASE(conv2d_log_softmax_channels, input<2, 5, 6>, conv2d<4, kernel<3>, pad<1>>, log_softmax)
PARITY_CASE(zero_pad_image, input<2, 4, 5>, zero_pad<0, 3, 1, 2>)  // torch's ZeroPad2d((1, 2, 0, 3))
PARITY_CASE(zero_pad_signal, input<3, 6>, zero_pad<2, 1>)
PARITY_CASE(zero_pad_sigmoid, input<2, 3, 4>, zero_pad<1>, sigmoid)
PARITY_CASE(max_pool_dilation, input<2, 9, 10>, max_pool<3, stride<2>, dilation<2>>)
PARITY_CASE(max_pool_dilation_pad_signal, input<2, 12>, max_pool<3, stride<1>, pad<1>, dilation<2>>)
PARITY_CASE(max_pool_dilation_ceil, input<2, 8, 9>, max_pool<2, width<3>, stride<2>, dilation<2, 1>, ceil_mode>)
PARITY_CASE(max_pool_pad_over_half, input<2, 7, 7>, max_pool<3, stride<2>, pad<2>>)
PARITY_CASE(avg_pool_pad_over_half, input<2, 6, 7>, avg_pool<3, stride<1>, pad<2>>)
PARITY_CASE(avg_pool_pad_over_half_exclude, input<2, 6, 7>, avg_pool<3, stride<2>, pad<2>, exclude_padding>)
PARITY_CASE(sigmoid_signal, input<3, 7>, sigmoid)
PARITY_CASE(tanh_signal, input<3, 7>, tanh)
PARITY_CASE(softmax_vector, input<10>, softmax)
PARITY_CASE(conv1d_leaky_relu_tanh, input<3, 16>, conv1d<4, kernel<3>>, leaky_relu<1, 5>, tanh)
PARITY_CASE(max_pool2_relu, input<2, 8, 9>, max_pool<2>, relu)
PARITY_CASE(flatten_relu, input<2, 3, 4>, flatten, relu)
PARITY_CASE(dense_softmax, input<10>, dense<6>, softmax)

// sequential blocks
PARITY_CASE(sequential_block, input<2, 8, 8>, conv2d<3, kernel<3>, pad<1>>,
            sequential<conv2d<4, kernel<3>>, relu, max_pool<2>>, flatten, dense<5>)
PARITY_CASE(sequential_nested, input<2, 6, 7>,
            sequential<conv2d<3, kernel<3>, pad<1>>, tanh, sequential<conv2d<2, kernel<1>, no_bias>, sigmoid>>, relu,
            sequential<flatten, dense<4>>)

// blocks of branches: residual and concat
PARITY_CASE(residual_identity, input<2, 6, 7>,
            residual<sequential<conv2d<2, kernel<3>, pad<1>>, relu, conv2d<2, kernel<3>, pad<1>>>>, relu)
PARITY_CASE(residual_projection, input<3, 9, 8>,
            residual<sequential<conv2d<5, kernel<3>, stride<2>, pad<1>>, tanh, conv2d<5, kernel<3>, pad<1>>>,
                     conv2d<5, kernel<1>, stride<2>, no_bias>>,
            relu)
PARITY_CASE(concat_inception, input<3, 7, 9>,
            concat<conv2d<2, kernel<1>>, sequential<conv2d<2, kernel<1>>, relu, conv2d<3, kernel<3>, pad<1>>>,
                   sequential<conv2d<1, kernel<1>>, relu, conv2d<2, kernel<5>, pad<2>>>,
                   sequential<max_pool<3, stride<1>, pad<1>>, conv2d<2, kernel<1>>>>,
            relu)
PARITY_CASE(add_three_branches, input<3, 7, 8>,
            add<conv2d<4, kernel<3>, pad<1>>, sequential<conv2d<4, kernel<1>>, sigmoid>, conv2d<4, kernel<5>, pad<2>, no_bias>>,
            tanh)
PARITY_CASE(concat_signal_identity, input<3, 10>, concat<conv1d<2, kernel<3>, pad<1>>, identity>, tanh)
PARITY_CASE(residual_of_concat, input<2, 8, 8>, conv2d<4, kernel<3>, pad<1>>,
            residual<concat<conv2d<1, kernel<1>>, sequential<conv2d<3, kernel<3>, pad<1>>, sigmoid>>,
                     residual<conv2d<4, kernel<1>>>>,
            relu, max_pool<2>, flatten, dense<3>)

// whole networks
PARITY_CASE(net_cnn, input<1, 12, 12>, conv2d<4, kernel<3>>, relu, max_pool<2>, flatten, dense<6>, softmax)
PARITY_CASE(net_cnn_deep, input<3, 12, 12>, conv2d<4, kernel<3>, pad<1>>, relu,
            conv2d<4, kernel<3>, stride<2>, pad<1>>, leaky_relu<>, avg_pool<3, stride<2>, same>, flatten,
            dropout<25>, dense<8>, tanh, dense<3>, softmax)
PARITY_CASE(net_signal, input<2, 20>, conv1d<4, kernel<5>, pad<2>>, relu, max_pool<2>,
            conv1d<3, kernel<3>, stride<2>>, tanh, flatten, dense<3>, softmax)
PARITY_CASE(net_mixed, input<2, 9, 10>, conv2d<4, kernel<3, 5>, pad<1, 2>>, leaky_relu<1, 5>,
            avg_pool<3, stride<2>, pad<1>, exclude_padding>, conv2d<3, kernel<3>, no_bias>, sigmoid, flatten,
            dropout<50>, dense<5>, relu, dense<4, no_bias>)

BOOST_AUTO_TEST_SUITE_END()
