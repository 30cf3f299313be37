// A program as a user of typenet writes it, built by tests/consumer/check_consumers.sh as a
// meson subproject's consumer and through pkg-config: LeNet-5 on one image; prints the
// kernels it runs, then the class scores.
#include <array>
#include <cmath>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <typenet/typenet.hpp>

int main() {
    using net_type = typenet::models::lenet5<>;
    auto net = std::make_unique<net_type>(7);
    std::array<float, net_type::input_size> image{};
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = float(i % 29) / 29.f;
    const auto scores = (*net)(image);
    for (float s : scores)
        if (!std::isfinite(s)) return 1;
    fmt::print("{}\n{:.6f}\n", typenet::vector_kernels, fmt::join(scores, " "));
}
