// What a program that uses a whole model costs to build: it declares `MODEL` (a type of
// include/typenet/models/, passed with -DMODEL=... and its header with -DMODEL_HEADER=...), trains it one SGD step on a batch of
// two and runs it, all in this one translation unit. bench/model_build_cost.sh builds it
// for each model and reports the seconds and the compiler's peak memory.
#include <cstdio>
#include <memory>
#include <vector>

#include <typenet/typenet.hpp>

// The model's own header only, as a program using it would (each declares its ImageNet
// variants for their static_asserts).
#include MODEL_HEADER

using net_type = MODEL;

int main() {
    auto net = std::make_unique<net_type>();
    typenet::backprop<net_type> pass(2);
    std::vector<float> images(2 * net_type::input_size, 0.5f);
    const auto out = pass.forward(*net, images, 0);
    const std::vector<typenet::class_label> labels{1, 2};
    typenet::softmax_cross_entropy<net_type::output_size>::evaluate(out, labels, pass.output_gradients());
    auto opt = typenet::make_optimizer<typenet::sgd>(*net, {.lr = 0.1});
    opt.step(net->parameters(), pass.backward(*net));
    std::vector<float> scores(2 * net_type::output_size);
    net->forward(images, scores);
    std::printf("%g\n", double(scores[0]));
}
