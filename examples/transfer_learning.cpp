// Transfer learning on Fashion-MNIST (Debian's dataset-fashion-mnist). A CNN with batch norm
// learns classes 0-4 (T-shirt, trouser, pullover, dress, coat) from their 30,000 training
// images and is saved. A network with the same features and a new head then learns classes
// 5-9 (sandal, shirt, sneaker, bag, ankle boot) from only 100 images per class, three ways:
//   (a) the pretrained features frozen, the new head trained;
//   (b) the pretrained features fine-tuned with the head, at a smaller learning rate;
//   (c) the same network from scratch.
// Each is trained on 5 draws of the 500 images and tested on the 5,000 test images of
// classes 5-9, after its first epoch and at the end; the program prints each draw and the means,
// the final ones last:
//   (a) frozen features: 0.XXXX   (b) fine-tuned: 0.XXXX   (c) from scratch: 0.XXXX
//
//   transfer_learning [--data DIR] [--threads N] [--pretrain-epochs N] [--epochs N] [--draws N]
//                     [--save FILE] [--pretrain-images N] [--test-images N]
//   (the last two keep only the first N images of the pretraining set and of each test set:
//   a quick check)
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

namespace tn = typenet;

// The features, one block (position 0): what the new network takes from the pretrained one.
using features = tn::sequential<tn::conv2d<32, tn::kernel<3>, tn::same>, tn::batch_norm2d<>, tn::relu,
                                tn::max_pool<2>,                                             // 32×14×14
                                tn::conv2d<64, tn::kernel<3>, tn::same>, tn::batch_norm2d<>, tn::relu,
                                tn::max_pool<2>,                                             // 64×7×7
                                tn::conv2d<64, tn::kernel<3>, tn::same>, tn::batch_norm2d<>, tn::relu,
                                tn::flatten>;  // 3136: a global average pool kept 64 and lost where
                                               // things are (frozen features then scored 0.80)
// Five classes each time: the pretrained head (classes 0-4) and the new one (5-9) have the
// same type, but the new one starts from its own random values.
using classifier = tn::network<tn::input<1, 28, 28>, features, tn::dense<5>>;
using loss = tn::softmax_cross_entropy<5>;

struct options {
    std::string data = "/usr/share/datasets/fashion-mnist", save = "pretrained_classes_0_4.tnet";
    std::size_t threads = 2, pretrain_epochs = 3, epochs = 30, draws = 5;
    std::size_t pretrain_images = 0, test_images = 0;  // 0: all
};

options parse(int argc, char** argv) {
    options o;
    const auto number = [](std::string_view flag, std::string_view text) {
        std::size_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value == 0)
            throw std::invalid_argument(fmt::format("{} needs a whole number above 0, got '{}'", flag, text));
        return value;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", flag));
        const std::string_view value = argv[++i];
        if (flag == "--data") o.data = value;
        else if (flag == "--save") o.save = value;
        else if (flag == "--threads") o.threads = number(flag, value);
        else if (flag == "--pretrain-epochs") o.pretrain_epochs = number(flag, value);
        else if (flag == "--pretrain-images") o.pretrain_images = number(flag, value);
        else if (flag == "--test-images") o.test_images = number(flag, value);
        else if (flag == "--epochs") o.epochs = number(flag, value);
        else if (flag == "--draws") o.draws = number(flag, value);
        else throw std::invalid_argument(fmt::format("unknown flag {}", flag));
    }
    return o;
}

// The images of classes [first, first + 5), relabelled 0-4; at most `per_class` of each,
// drawn at random from `seed` (all of them, in order, when per_class is 0); the first
// `first_only` of them if that is not 0.
tn::data::labeled_set classes_from(const tn::data::labeled_set& all, std::uint8_t first, std::size_t per_class = 0,
                                   std::uint64_t seed = 0, std::size_t first_only = 0) {
    std::vector<std::size_t> chosen;
    for (std::uint8_t c = first; c < first + 5; ++c) {
        std::vector<std::size_t> of_class;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all.labels[i] == c) of_class.push_back(i);
        if (per_class > 0) {
            std::shuffle(of_class.begin(), of_class.end(), std::mt19937_64(seed * 10 + c));
            of_class.resize(std::min(per_class, of_class.size()));
        }
        chosen.insert(chosen.end(), of_class.begin(), of_class.end());
    }
    std::ranges::sort(chosen);
    if (first_only > 0 && first_only < chosen.size()) chosen.resize(first_only);
    tn::data::labeled_set subset{{chosen.size(), all.images.channels, all.images.rows, all.images.cols, {}}, {}};
    for (const std::size_t i : chosen) {
        const auto image = all.images.image(i);
        subset.images.pixels.insert(subset.images.pixels.end(), image.begin(), image.end());
        subset.labels.push_back(std::uint8_t(all.labels[i] - first));
    }
    return subset;
}

// Test accuracies after a few epochs and at the end of a run.
struct accuracies {
    double early = 0, final = 0;
};
constexpr std::size_t early_epochs = 1;

// Trains `net` on `train` for `epochs` with Adam at `lr` (cosine schedule), scoring it on
// `test` after early_epochs and at the end. Frozen layers stay as they are: the trainer's
// optimizer steps skip them.
accuracies train_and_test(classifier& net, const tn::data::labeled_set& train, const tn::data::labeled_set& test,
                          std::size_t epochs, double lr, std::size_t batch, std::size_t threads, std::uint64_t seed) {
    auto opt = tn::make_optimizer<tn::adam>(net, {.lr = lr});
    tn::trainer<classifier, loss, decltype(opt)> trainer(net, opt, batch, threads);
    const tn::cosine_annealing cosine(epochs);
    accuracies result;
    for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
        opt.set_lr(float(cosine(lr, epoch)));
        trainer.train_epoch(train, epoch, seed);
        if (epoch + 1 == std::min(early_epochs, epochs)) result.early = trainer.evaluate(test).accuracy;
    }
    result.final = trainer.evaluate(test).accuracy;
    return result;
}

int main(int argc, char** argv) try {
    const options o = parse(argc, argv);
    const auto train_all = tn::data::load_mnist_like(o.data, "train");
    const auto test_all = tn::data::load_mnist_like(o.data, "t10k");

    // 1. Pretraining on classes 0-4.
    const auto pretrain_set = classes_from(train_all, 0, 0, 0, o.pretrain_images);
    const auto pretrain_test = classes_from(test_all, 0, 0, 0, o.test_images);
    auto pretrained = std::make_unique<classifier>();
    tn::initialize(*pretrained, tn::initializer::he_uniform, 1);
    fmt::print("{}\n", tn::summary<classifier>());
    const double pretrained_accuracy =
        train_and_test(*pretrained, pretrain_set, pretrain_test, o.pretrain_epochs, 2e-3, 64, o.threads, 1).final;
    tn::save_parameters(*pretrained, o.save);
    fmt::print("pretrained on classes 0-4 ({} images, {} epochs): test accuracy {:.4f}, saved to {}\n",
               pretrain_set.size(), o.pretrain_epochs, pretrained_accuracy, o.save);

    // 2. Classes 5-9 from 100 images per class, three ways, on each draw of the images.
    const auto test_set = classes_from(test_all, 5, 0, 0, o.test_images);
    std::vector<accuracies> frozen, fine_tuned, scratch;
    for (std::uint64_t draw = 1; draw <= o.draws; ++draw) {
        const auto few = classes_from(train_all, 5, 100, draw);
        auto net = std::make_unique<classifier>();
        const auto fresh = [&] {
            tn::initialize(*net, tn::initializer::he_uniform, 100 + draw);
            net->unfreeze_all();
        };

        // (a) The features from the file, frozen (their batch norms keep their statistics):
        // only the new head trains.
        fresh();
        const tn::load_report report = tn::load_parameters(*net, o.save, {.first_layers = 1});
        if (draw == 1) fmt::print("\nthe new network, loaded from {}:\n{}", o.save, report.describe());
        net->freeze("0");
        if (draw == 1) fmt::print("{}\n", tn::summary(*net));
        frozen.push_back(train_and_test(*net, few, test_set, o.epochs, 3e-3, 25, o.threads, draw));

        // (b) The same start, every layer fine-tuned at a third of the rate.
        fresh();
        tn::load_parameters(*net, o.save, {.first_layers = 1});
        fine_tuned.push_back(train_and_test(*net, few, test_set, o.epochs, 1e-3, 25, o.threads, draw));

        // (c) From scratch, at the rate that suits a new network.
        fresh();
        scratch.push_back(train_and_test(*net, few, test_set, o.epochs, 3e-3, 25, o.threads, draw));
        fmt::print("draw {} of 500 images, after epoch {} and {}: (a) {:.4f} {:.4f}  (b) {:.4f} {:.4f}  (c) {:.4f} {:.4f}\n",
                   draw, std::min(early_epochs, o.epochs), o.epochs, frozen.back().early, frozen.back().final, fine_tuned.back().early,
                   fine_tuned.back().final, scratch.back().early, scratch.back().final);
    }
    const auto mean = [](const std::vector<accuracies>& runs, double accuracies::*which) {
        double sum = 0;
        for (const accuracies& r : runs) sum += r.*which;
        return sum / double(runs.size());
    };
    fmt::print("test accuracy on classes 5-9, mean of {} draws of 100 images per class:\n", o.draws);
    for (const auto& [name, which] : {std::pair{fmt::format("after epoch {}", std::min(early_epochs, o.epochs)), &accuracies::early},
                                      std::pair{fmt::format("after epoch {}", o.epochs), &accuracies::final}})
        fmt::print("{}: (a) frozen features: {:.4f}   (b) fine-tuned: {:.4f}   (c) from scratch: {:.4f}\n", name,
                   mean(frozen, which), mean(fine_tuned, which), mean(scratch, which));
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "transfer_learning: {}\n", e.what());
    return 1;
}
