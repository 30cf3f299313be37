// Compile-fail case: a wrong network that the code goes on to use, as a program does
// (construct it, size arrays by net::input_size, run it). The error about the network must
// stay the only one, with g++ and with clang++ (which forgets the members declared after a
// failed static_assert: typenet's checks therefore stand last in basic_network).
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<3>, typenet::dense<10>, typenet::got<typenet::shape<6, 14, 14> ?>, typenet::expected<typenet::any_shape_of_rank<1> ?> ?>
#include <array>
#include <span>

#include <typenet/typenet.hpp>

using namespace typenet;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: no flatten before dense.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>, dense<10>, softmax>;
#else
// The control: flatten before dense.
using net = network<input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>, flatten, dense<10>,
                    softmax>;
#endif

float first_score() {
    net model(42);
    std::array<float, net::input_size> image{};
    auto scores = model(std::span<const float, net::input_size>(image));
    std::array<float, 2 * net::input_size> batch{};
    std::array<float, 2 * net::output_size> out{};
    model.forward(batch, out);
    return scores[0] + out[0];
}
