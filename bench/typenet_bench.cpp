// typenet's side of bench/run.sh: the workloads of bench/PROTOCOL.md, one line each.
//
//   typenet_bench --threads N [--seconds S] [--data DIR]
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

namespace tn = typenet;

using w1_seed = tn::network<tn::input<3, 64, 64>, tn::conv2d<32, tn::kernel<3>>, tn::relu, tn::max_pool<2>,
                            tn::conv2d<64, tn::kernel<3>>, tn::relu, tn::max_pool<2>, tn::flatten, tn::dense<128>,
                            tn::relu, tn::dense<10>, tn::softmax>;
using w2_lenet5 = tn::models::lenet5<>;
using w3_big_conv = tn::network<tn::input<64, 56, 56>, tn::conv2d<64, tn::kernel<3>, tn::pad<1>>>;

struct settings {
    std::size_t threads = 1;
    double seconds = 0.5;
    std::string data = "/usr/share/datasets/fashion-mnist";
};

// Median milliseconds of `call`, after a warm-up, over at least 10 calls and `seconds`.
template <class Call>
double median_ms(Call&& call, double seconds) {
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i) call();
    std::vector<double> times;
    const auto start = clock::now();
    while (times.size() < 10 || std::chrono::duration<double>(clock::now() - start).count() < seconds) {
        const auto t0 = clock::now();
        call();
        times.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    }
    std::nth_element(times.begin(), times.begin() + long(times.size() / 2), times.end());
    return times[times.size() / 2];
}

template <class Net>
void inference(const char* workload, std::size_t batch, const settings& s) {
    auto net = std::make_unique<Net>();
    net->set_threads(s.threads);
    std::vector<float> in(batch * Net::input_size), out(batch * Net::output_size);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> pixel(0, 1);
    for (auto& x : in) x = pixel(rng);
    const double ms = median_ms([&] { net->forward(in, out); }, s.seconds);
    fmt::print("raw workload={} peer=typenet threads={} batch={} median_ms={:.4f}\n", workload, s.threads, batch, ms);
}

// LeNet-5 trained with SGD-momentum on batches of 64 real Fashion-MNIST images: each timed
// call is an epoch of `steps` batches; a step is its time over `steps`.
void training(const settings& s) {
    constexpr std::size_t batch = 64, steps = 20;
    auto data = tn::data::load_mnist_like(s.data, "train");
    data.images.count = batch * steps;
    data.images.pixels.resize(data.images.count * data.images.image_size());
    data.labels.resize(data.images.count);
    auto net = std::make_unique<w2_lenet5>();
    auto optimizer = tn::make_optimizer<tn::sgd>(*net, {.lr = 0.01, .momentum = 0.9});
    tn::trainer<w2_lenet5, tn::softmax_cross_entropy<10>, decltype(optimizer)> trainer(*net, optimizer, batch,
                                                                                         s.threads);
    std::size_t epoch = 0;
    const double ms = median_ms([&] { trainer.train_epoch(data, epoch++, 1); }, 2 * s.seconds) / steps;
    fmt::print("raw workload=W2train peer=typenet threads={} batch={} median_ms={:.4f} images_per_s={:.1f}\n",
               s.threads, batch, ms, 1000.0 * batch / ms);
}

int main(int argc, char** argv) {
    settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--threads") s.threads = std::strtoul(argv[i + 1], nullptr, 10);
        else if (flag == "--seconds") s.seconds = std::strtod(argv[i + 1], nullptr);
        else if (flag == "--data") s.data = argv[i + 1];
        else {
            fmt::print(stderr, "usage: typenet_bench --threads N [--seconds S] [--data DIR]\n");
            return 2;
        }
    }
    fmt::print(stderr, "typenet_bench: kernels for {}\n", tn::kernels::simd::native::name);
    for (std::size_t batch : {1, 64}) inference<w1_seed>("W1", batch, s);
    for (std::size_t batch : {1, 64}) inference<w2_lenet5>("W2", batch, s);
    for (std::size_t batch : {1, 8}) inference<w3_big_conv>("W3", batch, s);
    training(s);
}
