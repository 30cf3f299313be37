// Proves that inference allocates nothing: every global operator new is replaced and
// counted while forward passes run.
#define BOOST_TEST_MODULE allocation
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <typenet/models/resnet.hpp>
#include <typenet/models/vgg16.hpp>
#include <typenet/typenet.hpp>

#include "support/count_allocations.hpp"

using namespace typenet;
using typenet::testing::allocations;
using seed_net = network<input<3, 64, 64>, conv2d<32, kernel<3>>, relu, max_pool<2>, conv2d<64, kernel<3>>, relu,
                         max_pool<2>, flatten, dense<128>, relu, dense<10>, softmax>;
using signal_net = network<input<2, 50>, sequential<conv1d<8, kernel<5>, same>, typenet::tanh, avg_pool<2>>, dropout<20>,
                           flatten, dense<3>, sigmoid>;
// Blocks of branches and grouped convolutions: a residual stage (identity and projection
// shortcuts) and an Inception module, with Winograd-sized convolutions whose scratch is
// kept between passes.
using basic_block = residual<sequential<conv2d<16, kernel<3>, pad<1>>, relu, conv2d<16, kernel<3>, pad<1>>>>;
using down_block = residual<sequential<conv2d<32, kernel<3>, stride<2>, pad<1>>, relu, conv2d<32, kernel<3>, pad<1>>>,
                            conv2d<32, kernel<1>, stride<2>>>;
using inception = concat<conv2d<8, kernel<1>>, sequential<conv2d<8, kernel<1>>, relu, conv2d<16, kernel<3>, pad<1>>>,
                         identity, sequential<max_pool<3, stride<1>, pad<1>>, conv2d<8, kernel<1>>>>;
// MobileNetV2's inverted residual (depthwise in the middle) and a grouped convolution.
using inverted_residual =
    residual<sequential<conv2d<64, kernel<1>>, relu6, depthwise_conv2d<kernel<3>, pad<1>>, relu6, conv2d<32, kernel<1>>>>;
using branching_net = network<input<3, 32, 32>, conv2d<16, kernel<3>, pad<1>>, relu, basic_block, relu, down_block, relu,
                              inverted_residual, conv2d<32, kernel<3>, pad<1>, groups<4>>, relu, inception, relu,
                              max_pool<2>, flatten, dense<10>>;

template <class Net>
long allocations_during_forward(std::size_t batch) {
    auto net = std::make_unique<Net>();
    std::vector<float> in(batch * Net::input_size, 0.25f), out(batch * Net::output_size);
    const long before = allocations();
    net->forward(in, out);
    if (batch == 1) {
        auto y = (*net)(std::span<const float, Net::input_size>(in.data(), Net::input_size));
        out[0] = y[0];
    }
    return allocations() - before;
}

// Allocations during `steps` training steps (forward, output gradients, backward) on a
// batch of `batch` samples shared by `threads` threads, after construction.
template <class Net>
long allocations_during_training(std::size_t batch, std::size_t threads, int steps) {
    auto net = std::make_unique<Net>();
    backprop<Net> pass(batch, threads);
    std::vector<float> in(batch * Net::input_size);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = float(i % 7) * 0.125f;
    const long before = allocations();
    for (int step = 0; step < steps; ++step) {
        pass.forward(*net, in, std::uint64_t(step));
        for (float& g : pass.output_gradients()) g = 0.1f;
        pass.backward(*net);
    }
    return allocations() - before;
}

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
    const long before = allocations();
    auto* p = new std::vector<int>(1000);
    BOOST_TEST(allocations() - before >= 2);
    delete p;
}

BOOST_AUTO_TEST_CASE(seed_network_batch_1_allocates_nothing) { BOOST_TEST(allocations_during_forward<seed_net>(1) == 0); }

BOOST_AUTO_TEST_CASE(seed_network_batch_8_allocates_nothing) { BOOST_TEST(allocations_during_forward<seed_net>(8) == 0); }

BOOST_AUTO_TEST_CASE(nested_signal_network_allocates_nothing) {
    BOOST_TEST(allocations_during_forward<signal_net>(1) == 0);
}

BOOST_AUTO_TEST_CASE(branching_network_allocates_nothing) {
    BOOST_TEST(allocations_during_forward<branching_net>(1) == 0);
    BOOST_TEST(allocations_during_forward<branching_net>(5) == 0);
}

BOOST_AUTO_TEST_CASE(branching_network_training_allocates_nothing) {
    BOOST_TEST(allocations_during_training<branching_net>(4, 1, 2) == 0);
}

// A model of include/typenet/models/, inference and a training step: VGG-16 at 3×32×32.
BOOST_AUTO_TEST_CASE(vgg16_allocates_nothing) {
    using vgg = models::vgg16<float, 10, 32>;
    BOOST_TEST(allocations_during_forward<vgg>(2) == 0);
    BOOST_TEST(allocations_during_training<vgg>(1, 1, 1) == 0);
}

// Batch norm: ResNet-20, inference (the batch norms folded into the convolutions) and
// training steps on 2 threads (their sums added through the barrier).
BOOST_AUTO_TEST_CASE(resnet20_allocates_nothing) {
    using resnet = models::resnet20<float, 10, 1, 28>;
    BOOST_TEST(allocations_during_forward<resnet>(3) == 0);
    BOOST_TEST(allocations_during_training<resnet>(3, 2, 2) == 0);
}

BOOST_AUTO_TEST_CASE(constructing_allocates_exactly_the_two_blocks) {
    const long before = allocations();
    seed_net net;
    BOOST_TEST(allocations() - before == 2);  // parameters, arena
}
