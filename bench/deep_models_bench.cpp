// typenet's side of the deep workloads of bench/PROTOCOL.md: inference of the models of
// include/typenet/models/ at 3×224×224 (batches 1 and 8), where each one's batch-1 pass
// spends its time by kind of layer, its memory, and ResNet-20 training on Fashion-MNIST.
//
//   deep_models_bench --threads N [--seconds S] [--data DIR]
#include <cstddef>
#include <memory>

#include <fmt/format.h>

#include <typenet/data/idx.hpp>
#include <typenet/losses/softmax_cross_entropy.hpp>
#include <typenet/models/googlenet.hpp>
#include <typenet/models/mobilenet_v2.hpp>
#include <typenet/models/resnet.hpp>
#include <typenet/models/vgg16.hpp>
#include <typenet/optim/sgd.hpp>
#include <typenet/train.hpp>

#include "layer_profile.hpp"
#include "timing.hpp"

namespace tn = typenet;

constexpr double mib = 1024.0 * 1024.0;

// The kind lines of a profile, and how far the sum of its steps is from the whole pass.
void print_profile(const char* workload, const bench::layer_profile& profile, double whole_ms,
                   const bench::settings& s) {
    const double sum = profile.sum_ms();
    for (std::size_t k = 0; k < bench::kind_count; ++k) {
        const bench::kind_total& total = profile.kinds[k];
        if (total.steps == 0) continue;
        const auto kind = bench::layer_kind(k);
        const double rate = (bench::compute_bound(kind) ? total.flops : total.bytes) / (total.ms / 1000) / 1e9;
        fmt::print("kind workload={} peer=typenet threads={} kind={} steps={} ms={:.4f} share={:.3f} {}={:.1f}\n",
                   workload, s.threads, bench::kind_names[k], total.steps, total.ms, total.ms / sum,
                   bench::compute_bound(kind) ? "gflops" : "gbps", rate);
    }
    fmt::print("profile workload={} peer=typenet threads={} whole_ms={:.4f} sum_ms={:.4f} sum_over_whole={:.3f}\n",
               workload, s.threads, whole_ms, sum, sum / whole_ms);
}

template <class Net>
void inference(const char* workload, const bench::settings& s) {
    auto net = std::make_unique<Net>();  // VGG-16's parameters alone are 553 MB
    net->set_threads(s.threads);
    double batch1_ms = 0;
    for (std::size_t batch : {1, 8}) {
        const double ms = bench::inference_ms(*net, batch, s.seconds, bench::few_repetitions);
        if (batch == 1) batch1_ms = ms;
        fmt::print("raw workload={} peer=typenet threads={} batch={} median_ms={:.4f}\n", workload, s.threads, batch,
                   ms);
    }
    // Each step at least 10 times: a few seconds for the largest models.
    fmt::print(stderr, "{}: the steps of a batch-1 pass, each timed alone (step numbers, kind, median)\n", workload);
    const bench::layer_profile profile = bench::profile_layers(*net, s.threads, s.seconds / 50);
    print_profile(workload, profile, batch1_ms, s);
    fmt::print("model workload={} peer=typenet flops={} arena_mib={:.2f} largest_pair_mib={:.2f} "
               "largest_scratch_mib={:.2f} largest_shortcut_mib={:.2f} kept_mib={:.2f} parameter_mib={:.2f}\n",
               workload, Net::flops, Net::arena_bytes / mib, profile.largest_pair_bytes / mib,
               profile.largest_scratch_bytes / mib, profile.largest_shortcut_bytes / mib, Net::kept_bytes / mib,
               Net::parameter_bytes / mib);
}

// ResNet-20 trained with SGD-momentum on batches of 128 real Fashion-MNIST images: a step
// takes long enough to be timed alone, one step an epoch.
void training(const bench::settings& s) {
    using net_type = tn::models::resnet20<float, 10, 1, 28>;
    constexpr std::size_t batch = 128;
    auto net = std::make_unique<net_type>();
    auto optimizer = tn::make_optimizer<tn::sgd>(*net, {.lr = 0.1, .momentum = 0.9});
    tn::trainer<net_type, tn::softmax_cross_entropy<10>, decltype(optimizer)> trainer(*net, optimizer, batch,
                                                                                       s.threads);
    const double ms = bench::median_step_ms(trainer, tn::data::load_mnist_like(s.data, "train"), batch, 1, s.seconds,
                                            bench::few_repetitions);
    fmt::print("raw workload=resnet20train peer=typenet threads={} batch={} median_ms={:.4f} images_per_s={:.1f}\n",
               s.threads, batch, ms, 1000.0 * batch / ms);
}

int main(int argc, char** argv) {
    bench::settings s;
    if (!bench::parse_settings(argc, argv, s, "deep_models_bench --threads N [--seconds S] [--data DIR]")) return 2;
    inference<tn::models::resnet18<>>("resnet18", s);
    inference<tn::models::resnet50<>>("resnet50", s);
    inference<tn::models::mobilenet_v2<>>("mobilenet_v2", s);
    inference<tn::models::googlenet<>>("googlenet", s);
    inference<tn::models::vgg16<>>("vgg16", s);
    training(s);
}
