// typenet's side of bench/run.sh: the workloads of bench/PROTOCOL.md, one line each.
//
//   typenet_bench --threads N [--seconds S] [--data DIR]
#include <memory>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

#include "timing.hpp"

namespace tn = typenet;

using w1_seed = tn::network<tn::input<3, 64, 64>, tn::conv2d<32, tn::kernel<3>>, tn::relu, tn::max_pool<2>,
                            tn::conv2d<64, tn::kernel<3>>, tn::relu, tn::max_pool<2>, tn::flatten, tn::dense<128>,
                            tn::relu, tn::dense<10>, tn::softmax>;
using w2_lenet5 = tn::models::lenet5<>;
using w3_big_conv = tn::network<tn::input<64, 56, 56>, tn::conv2d<64, tn::kernel<3>, tn::pad<1>>>;

template <class Net>
void inference(const char* workload, std::size_t batch, const bench::settings& s) {
    auto net = std::make_unique<Net>();
    net->set_threads(s.threads);
    const double ms = bench::inference_ms(*net, batch, s.seconds);
    fmt::print("raw workload={} peer=typenet threads={} batch={} median_ms={:.4f}\n", workload, s.threads, batch, ms);
}

// LeNet-5 trained with SGD-momentum on batches of 64 real Fashion-MNIST images, 20 steps
// an epoch.
void training(const bench::settings& s) {
    constexpr std::size_t batch = 64;
    auto net = std::make_unique<w2_lenet5>();
    auto optimizer = tn::make_optimizer<tn::sgd>(*net, {.lr = 0.01, .momentum = 0.9});
    tn::trainer<w2_lenet5, tn::softmax_cross_entropy<10>, decltype(optimizer)> trainer(*net, optimizer, batch,
                                                                                         s.threads);
    const double ms =
        bench::median_step_ms(trainer, tn::data::load_mnist_like(s.data, "train"), batch, 20, 2 * s.seconds);
    fmt::print("raw workload=W2train peer=typenet threads={} batch={} median_ms={:.4f} images_per_s={:.1f}\n",
               s.threads, batch, ms, 1000.0 * batch / ms);
}

int main(int argc, char** argv) {
    bench::settings s;
    if (!bench::parse_settings(argc, argv, s, "typenet_bench --threads N [--seconds S] [--data DIR]")) return 2;
    fmt::print(stderr, "typenet_bench: kernels for {}\n", tn::kernels::simd::native::name);
    for (std::size_t batch : {1, 64}) inference<w1_seed>("W1", batch, s);
    for (std::size_t batch : {1, 64}) inference<w2_lenet5>("W2", batch, s);
    for (std::size_t batch : {1, 8}) inference<w3_big_conv>("W3", batch, s);
    training(s);
}
