// LeNet-5 (LeCun et al. 1998, with ReLU and max pooling as usually trained today) as a
// C++ type: prints its summary and classifies a synthetic 28×28 image.
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

namespace tn = typenet;

using lenet5 = tn::network<tn::input<1, 28, 28>,
                           tn::conv2d<6, tn::kernel<5>, tn::pad<2>>, tn::relu,  // 6×28×28
                           tn::max_pool<2>,                                     // 6×14×14
                           tn::conv2d<16, tn::kernel<5>>, tn::relu,             // 16×10×10
                           tn::max_pool<2>,                                     // 16×5×5
                           tn::flatten,
                           tn::dense<120>, tn::relu,
                           tn::dense<84>, tn::relu,
                           tn::dense<10>, tn::softmax>;
static_assert(lenet5::parameter_count == 61'706);
static_assert(std::is_same_v<lenet5::layer_at<5>::output_shape, tn::shape<16, 5, 5>>);

int main() {
    fmt::print("{}\n", tn::summary<lenet5>());
    // A ring, roughly a handwritten zero.
    std::array<float, lenet5::input_size> image{};
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const double r = std::hypot((y - 13.5) / 9.0, (x - 13.5) / 6.0);
            image[y * 28 + x] = std::abs(r - 1.0) < 0.2 ? 1.0f : 0.0f;
        }
    auto net = std::make_unique<lenet5>(/*seed=*/7);
    const auto p = (*net)(image);
    fmt::print("class probabilities: {:.4f}\n", fmt::join(p, " "));
    fmt::print("most likely class: {} (untrained weights)\n", std::max_element(p.begin(), p.end()) - p.begin());
}
