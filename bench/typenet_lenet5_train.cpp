// typenet's side of the compile-time comparison in bench/run.sh: the program that
// bench/dlib_lenet5_train.cpp is for dlib. Trains LeNet-5 (workload W2 of
// bench/PROTOCOL.md) on Fashion-MNIST with SGD (lr 0.01, momentum 0.9), batch 64,
// softmax cross-entropy, and prints the test accuracy.
//
//   typenet_lenet5_train [epochs=1] [data_dir=/usr/share/datasets/fashion-mnist]
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include <typenet/data/idx.hpp>
#include <typenet/losses/softmax_cross_entropy.hpp>
#include <typenet/models/lenet5.hpp>
#include <typenet/optim/sgd.hpp>
#include <typenet/train.hpp>

int main(int argc, char** argv) try {
    namespace tn = typenet;
    const std::size_t epochs = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
    const std::string dir = argc > 2 ? argv[2] : "/usr/share/datasets/fashion-mnist";
    const auto train_set = tn::data::load_mnist_like(dir, "train");
    const auto test_set = tn::data::load_mnist_like(dir, "t10k");

    using net_type = tn::models::lenet5<>;
    net_type net;
    auto optimizer = tn::make_optimizer<tn::sgd>(net, {.lr = 0.01, .momentum = 0.9});
    tn::trainer<net_type, tn::softmax_cross_entropy<10>, decltype(optimizer)> trainer(net, optimizer, 64);
    trainer.fit(train_set, test_set, {.epochs = epochs});
    fmt::print("test accuracy: {:.4f}\n", trainer.evaluate(test_set).accuracy);
} catch (const std::exception& e) {
    fmt::print(stderr, "typenet_lenet5_train: {}\n", e.what());
    return 1;
}
