// Tests network::freeze: a frozen layer's parameters get no gradient and never change, a
// backward pass does no work below the lowest layer that trains (counted by a layer of
// this file's own), and a frozen batch norm keeps its running statistics unless asked.
#define BOOST_TEST_MODULE freeze
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <typenet/typenet.hpp>

namespace tn = typenet;
using tn::input, tn::kernel;

namespace {

// What the backward pass of each counted_scale layer was asked to do.
struct backward_calls {
    int calls = 0, parameter_gradients = 0, input_gradients = 0;
};
std::array<backward_calls, 8> counted{};

// y = a ⊙ x, one trained scale per value, counting its backward passes: a user's layer,
// written to the layer contract of typenet/layer.hpp.
template <int Id>
struct counted_scale {
    template <class In>
    static constexpr auto infer() {
        return In{};
    }
    template <class In>
    struct on {
        using input_shape = In;
        using output_shape = In;
        static constexpr std::size_t parameter_count = In::size;
        static constexpr std::size_t flops = In::size;
        static constexpr tn::layer_role role = tn::layer_role::compute;
        static constexpr std::array parameter_tensors{tn::tensor_desc{"weight", {In::size}, 1}};
        static std::string describe() { return "counted_scale"; }

        template <class T, class Epilogue>
        static void forward(const T* a, const T* in, T* out, T*, Epilogue ep) {
            for (std::size_t i = 0; i < In::size; ++i) out[i] = ep.finish(a[i] * in[i], out + i);
        }
        template <class T>
        static void backward(const T* a, const T* in, const T*, const T*, T* grad_out, T* grad_in, T* grad_a, T*,
                             tn::train_context) {
            ++counted[Id].calls;
            counted[Id].parameter_gradients += grad_a != nullptr;
            counted[Id].input_gradients += grad_in != nullptr;
            for (std::size_t i = 0; i < In::size; ++i) {
                if (grad_a) grad_a[i] += grad_out[i] * in[i];
                if (grad_in) grad_in[i] = grad_out[i] * a[i];
            }
        }
    };
};

// Positions: 0 scale, 1 relu, 2 scale, 3 scale, 4 tanh, 5 block (5.0 scale, 5.1 scale), 6 scale, 7 dense.
using counted_net = tn::basic_network<double, input<6>, counted_scale<0>, tn::relu, counted_scale<1>, counted_scale<2>,
                                      tn::tanh, tn::sequential<counted_scale<3>, counted_scale<4>>, counted_scale<5>,
                                      tn::dense<3>>;

template <class Net>
std::vector<typename Net::scalar_type> random_inputs(std::size_t batch, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<typename Net::scalar_type> x(batch * Net::input_size);
    for (auto& v : x) v = typename Net::scalar_type(normal(rng));
    return x;
}

// One forward and backward pass of 4 samples with dL/dout = 1, the counters reset first.
template <class Net>
tn::backprop<Net>& one_pass(Net& net, tn::backprop<Net>& pass) {
    counted = {};
    const auto x = random_inputs<Net>(4, 7);
    pass.forward(net, x, 0);
    std::ranges::fill(pass.output_gradients(), 1.0);
    pass.backward(net);
    return pass;
}

}  // namespace

BOOST_AUTO_TEST_CASE(nothing_frozen_runs_every_layer_down_to_the_first_that_trains) {
    counted_net net(1);
    tn::backprop<counted_net> pass(4);
    one_pass(net, pass);
    for (int id = 0; id < 6; ++id) {
        BOOST_TEST(counted[std::size_t(id)].calls == 4);
        BOOST_TEST(counted[std::size_t(id)].parameter_gradients == 4);
    }
    BOOST_TEST(counted[0].input_gradients == 0);  // nothing below it wants one
    BOOST_TEST(counted[1].input_gradients == 4);
}

BOOST_AUTO_TEST_CASE(a_backward_pass_does_no_work_below_the_lowest_layer_that_trains) {
    counted_net net(1);
    tn::backprop<counted_net> pass(4);
    net.freeze_first<3>();  // scale 0, relu, scale 1
    one_pass(net, pass);
    BOOST_TEST(counted[0].calls == 0);
    BOOST_TEST(counted[1].calls == 0);
    BOOST_TEST(counted[2].calls == 4);
    BOOST_TEST(counted[2].parameter_gradients == 4);
    BOOST_TEST(counted[2].input_gradients == 0);  // the layers below it are frozen
    BOOST_TEST(counted[3].calls == 4);

    // Frozen below the block: the pass stops inside nothing, at the block's first layer.
    net.unfreeze_all();
    net.freeze_first<5>();
    one_pass(net, pass);
    for (int id = 0; id < 3; ++id) BOOST_TEST(counted[std::size_t(id)].calls == 0);
    BOOST_TEST(counted[3].input_gradients == 0);
    BOOST_TEST(counted[3].parameter_gradients == 4);

    // Frozen but for the block's second layer: the pass stops inside the block.
    net.freeze("5");
    net.unfreeze("5.1");
    one_pass(net, pass);
    BOOST_TEST(counted[3].calls == 0);
    BOOST_TEST(counted[4].calls == 4);
    BOOST_TEST(counted[4].parameter_gradients == 4);
    BOOST_TEST(counted[4].input_gradients == 0);
    BOOST_TEST(counted[5].calls == 4);
}

BOOST_AUTO_TEST_CASE(a_frozen_layer_above_one_that_trains_passes_the_gradient_on_without_its_own) {
    counted_net net(1);
    tn::backprop<counted_net> pass(4);
    net.freeze("6");
    net.freeze("5.0");
    one_pass(net, pass);
    BOOST_TEST(counted[5].calls == 4);
    BOOST_TEST(counted[5].parameter_gradients == 0);
    BOOST_TEST(counted[5].input_gradients == 4);
    BOOST_TEST(counted[3].parameter_gradients == 0);
    BOOST_TEST(counted[3].input_gradients == 4);
    BOOST_TEST(counted[4].parameter_gradients == 4);
    BOOST_TEST(counted[0].parameter_gradients == 4);
}

BOOST_AUTO_TEST_CASE(input_gradients_go_through_frozen_layers) {
    counted_net net(1), reference(1);
    tn::backprop<counted_net> pass(4, 1, tn::gradients::parameters_and_inputs);
    tn::backprop<counted_net> reference_pass(4, 1, tn::gradients::parameters_and_inputs);
    one_pass(reference, reference_pass);
    net.freeze_first<5>();
    one_pass(net, pass);
    BOOST_TEST(counted[0].calls == 4);
    BOOST_TEST(counted[0].parameter_gradients == 0);
    BOOST_TEST(counted[0].input_gradients == 4);
    const auto a = pass.input_gradients(), b = reference_pass.input_gradients();
    BOOST_TEST(std::equal(a.begin(), a.end(), b.begin()));
}

BOOST_AUTO_TEST_CASE(the_trained_layers_gradients_are_those_of_the_unfrozen_network_and_the_frozen_ones_zero) {
    using net_type = tn::basic_network<double, input<2, 9, 9>, tn::conv2d<4, kernel<3>>, tn::relu, tn::max_pool<2>,
                                       tn::conv2d<5, kernel<2>>, tn::relu, tn::flatten, tn::dense<3>>;
    net_type frozen(3), free(3);
    frozen.freeze_first<3>();
    tn::backprop<net_type> a(4), b(4);
    one_pass(frozen, a);
    one_pass(free, b);
    const std::size_t first_trained = net_type::layer_at<0>::parameter_count;
    for (std::size_t i = 0; i < net_type::parameter_count; ++i) {
        if (i < first_trained)
            BOOST_TEST(a.gradients()[i] == 0.0);
        else
            BOOST_TEST(a.gradients()[i] == b.gradients()[i]);  // bitwise: the same arithmetic
    }
}

namespace {

// A CNN with batch norm whose block at position 4 is the features to freeze.
using bn_net = tn::network<input<2, 10, 10>, tn::conv2d<4, kernel<3>>, tn::batch_norm2d<>, tn::relu, tn::max_pool<2>,
                           tn::sequential<tn::conv2d<6, kernel<3>>, tn::batch_norm2d<>, tn::relu>, tn::flatten,
                           tn::dense<5>>;

template <class Net>
std::vector<float> values_of(const Net& net) {
    std::vector<float> all(net.parameters().begin(), net.parameters().end());
    all.insert(all.end(), net.buffers().begin(), net.buffers().end());
    return all;
}

// Trains `steps` AdamW steps (weight decay: a frozen parameter would shrink if stepped).
void train(bn_net& net, int steps) {
    auto opt = tn::make_optimizer<tn::adamw>(net, {.lr = 0.01, .weight_decay = 0.1});
    tn::backprop<bn_net> pass(8);
    for (int s = 0; s < steps; ++s) {
        const auto x = random_inputs<bn_net>(8, unsigned(s));
        pass.forward(net, x, std::uint64_t(s));
        std::ranges::fill(pass.output_gradients(), 0.5f);
        opt.step(net.parameters(), pass.backward(net), net.frozen());
    }
}

// Whether values [first, last) of two snapshots are the same bits.
bool bitwise_same(const std::vector<float>& a, const std::vector<float>& b, std::size_t first, std::size_t last) {
    return std::memcmp(a.data() + first, b.data() + first, (last - first) * sizeof(float)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_frozen_block_is_bitwise_unchanged_after_training_while_the_rest_changes) {
    bn_net net(5);
    net.freeze("4");
    const auto before = values_of(net);
    train(net, 5);
    const auto after = values_of(net);
    const std::size_t block_params = bn_net::layer_at<4>::parameter_count;
    const std::size_t block_first = bn_net::layer_at<0>::parameter_count + bn_net::layer_at<1>::parameter_count;
    const std::size_t block_last = block_first + block_params;
    BOOST_TEST(bitwise_same(before, after, block_first, block_last));
    BOOST_TEST(!bitwise_same(before, after, 0, block_first));                           // the first conv and norm
    BOOST_TEST(!bitwise_same(before, after, block_last, bn_net::parameter_count));      // the dense head
    // Buffers: the first norm's 2·4 running statistics, then the block's 2·6, kept.
    const std::size_t buffers = bn_net::parameter_count;
    BOOST_TEST(!bitwise_same(before, after, buffers, buffers + 8));
    BOOST_TEST(bitwise_same(before, after, buffers + 8, buffers + 20));
}

BOOST_AUTO_TEST_CASE(a_frozen_batch_norm_updates_its_statistics_when_asked) {
    bn_net net(5);
    net.freeze("4", tn::frozen_statistics::updated);
    const auto before = values_of(net);
    train(net, 3);
    const auto after = values_of(net);
    const std::size_t block_first = bn_net::layer_at<0>::parameter_count + bn_net::layer_at<1>::parameter_count;
    BOOST_TEST(bitwise_same(before, after, block_first, block_first + bn_net::layer_at<4>::parameter_count));
    const std::size_t buffers = bn_net::parameter_count;
    BOOST_TEST(!bitwise_same(before, after, buffers + 8, buffers + 20));
}

BOOST_AUTO_TEST_CASE(a_frozen_batch_norm_normalizes_with_its_running_statistics) {
    // Its training pass is then that of a network whose batch norms are set to eval().
    using one_norm = tn::network<input<2, 6, 6>, tn::conv2d<3, kernel<3>>, tn::batch_norm2d<>, tn::relu, tn::flatten,
                                 tn::dense<2>>;
    one_norm frozen(4), evaluated(4);
    frozen.freeze_first<2>();
    evaluated.set_mode({.dropout = true, .batch_statistics = false});
    tn::backprop<one_norm> a(4), b(4);
    const auto x = random_inputs<one_norm>(4, 9);
    const auto out = a.forward(frozen, x, 0);
    const std::vector<float> kept(out.begin(), out.end());
    const auto reference = b.forward(evaluated, x, 0);
    BOOST_TEST(std::equal(kept.begin(), kept.end(), reference.begin()));
    const auto before = values_of(frozen);
    a.backward(frozen);
    BOOST_TEST(values_of(frozen) == before);
}

BOOST_AUTO_TEST_CASE(an_optimizer_step_leaves_frozen_parameters_and_their_state_alone) {
    constexpr std::size_t n = 40;
    tn::frozen_parameters frozen;
    frozen.freeze({5, 12}, {}, tn::frozen_statistics::kept);
    frozen.freeze({30, 40}, {}, tn::frozen_statistics::kept);
    std::vector<double> p(n), masked, grad(n);
    for (std::size_t i = 0; i < n; ++i) {
        p[i] = 0.1 * double(i) - 1;
        grad[i] = std::sin(double(i));
    }
    masked = p;
    tn::sgd<double, n> free_opt({.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01});
    tn::sgd<double, n> masked_opt({.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01});
    for (int s = 0; s < 3; ++s) {
        free_opt.step(std::span<double, n>(p), std::span<const double, n>(grad));
        masked_opt.step(std::span<double, n>(masked), std::span<const double, n>(grad), frozen);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const bool is_frozen = (i >= 5 && i < 12) || i >= 30;
        if (is_frozen)
            BOOST_TEST(masked[i] == 0.1 * double(i) - 1);
        else
            BOOST_TEST(masked[i] == p[i]);
    }
}

BOOST_AUTO_TEST_CASE(freezing_ranges_join_and_split) {
    tn::frozen_parameters f;
    f.freeze({0, 10}, {}, tn::frozen_statistics::kept);
    f.freeze({10, 20}, {}, tn::frozen_statistics::kept);
    BOOST_TEST(f.frozen_ranges().size() == 1u);
    BOOST_TEST(!f.any_trained(0, 20));
    f.unfreeze({5, 7}, {});
    BOOST_TEST(f.frozen_ranges().size() == 2u);
    BOOST_TEST(f.any_trained(4, 2));
    BOOST_TEST(!f.any_trained(7, 13));
    BOOST_TEST(f.frozen_count() == 18u);
    std::vector<std::pair<std::size_t, std::size_t>> trained;
    f.for_each_trained(25, [&](std::size_t a, std::size_t b) { trained.emplace_back(a, b); });
    BOOST_TEST((trained == std::vector<std::pair<std::size_t, std::size_t>>{{5, 7}, {20, 25}}));
}

BOOST_AUTO_TEST_CASE(a_path_that_names_no_layer_is_an_error) {
    counted_net net;
    try {
        net.freeze("5.7");
        BOOST_FAIL("no error");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("freeze(\"5.7\"): no layer has this path") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("0 to 7") != std::string::npos);
    }
    BOOST_TEST(net.frozen().empty());
}

BOOST_AUTO_TEST_CASE(the_summary_marks_frozen_layers_and_counts_their_parameters) {
    bn_net net;
    net.freeze("4");
    const std::string table = tn::summary(net);
    BOOST_TEST(table.find("  conv2d 6 3x3 (frozen)") != std::string::npos);
    BOOST_TEST(table.find("conv2d 4 3x3 (frozen)") == std::string::npos);
    const std::size_t frozen = bn_net::layer_at<4>::parameter_count;
    BOOST_TEST(table.find(fmt::format("Trained params: {}, frozen: {}\n",
                                      tn::detail::with_commas(bn_net::parameter_count - frozen), frozen)) !=
               std::string::npos);
    BOOST_TEST(tn::summary<bn_net>().find("frozen") == std::string::npos);
}
