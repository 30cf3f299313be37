// The Keras example network as a C++ type: prints its summary, runs it on an image and
// times one forward pass. Usage: seed_keras [image.ppm]   (a 64×64 binary PPM, P6;
// without one, a synthetic image is used).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/typenet.hpp>

namespace tn = typenet;

// model = Sequential([Conv2D(32, (3,3), activation='relu', input_shape=(64, 64, 3)),
//                     MaxPooling2D((2,2)), Conv2D(64, (3,3), activation='relu'), MaxPooling2D((2,2)),
//                     Flatten(), Dense(128, activation='relu'), Dense(10, activation='softmax')])
using seed_net = tn::network<tn::input<3, 64, 64>,
                             tn::conv2d<32, tn::kernel<3>>, tn::relu,
                             tn::max_pool<2>,
                             tn::conv2d<64, tn::kernel<3>>, tn::relu,
                             tn::max_pool<2>,
                             tn::flatten,
                             tn::dense<128>, tn::relu,
                             tn::dense<10>, tn::softmax>;
static_assert(seed_net::parameter_count == 1'626'442);  // as Keras's summary says

using image = std::array<float, seed_net::input_size>;

// A 64×64 P6 file, channels first, scaled to [0, 1].
image read_ppm(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error(fmt::format("{}: cannot open", path));
    std::string magic;
    int width = 0, height = 0, depth = 0;
    file >> magic >> width >> height >> depth;
    if (magic != "P6" || width != 64 || height != 64 || depth != 255)
        throw std::runtime_error(fmt::format("{}: expected a 64x64 binary PPM (P6, maxval 255), found '{}' {}x{} maxval {}",
                                             path, magic, width, height, depth));
    file.get();
    std::vector<unsigned char> rgb(64 * 64 * 3);
    if (!file.read(reinterpret_cast<char*>(rgb.data()), std::streamsize(rgb.size())))
        throw std::runtime_error(fmt::format("{}: truncated: fewer than {} bytes of pixels", path, rgb.size()));
    image x;
    for (std::size_t p = 0; p < 64 * 64; ++p)
        for (std::size_t c = 0; c < 3; ++c) x[c * 64 * 64 + p] = rgb[p * 3 + c] / 255.0f;
    return x;
}

// A red disc on a blue-green gradient.
image synthetic_image() {
    image x;
    for (int y = 0; y < 64; ++y)
        for (int c = 0; c < 64; ++c) {
            const bool disc = (y - 30) * (y - 30) + (c - 34) * (c - 34) < 15 * 15;
            x[0 * 4096 + y * 64 + c] = disc ? 0.9f : 0.1f;
            x[1 * 4096 + y * 64 + c] = y / 63.0f;
            x[2 * 4096 + y * 64 + c] = c / 63.0f;
        }
    return x;
}

int main(int argc, char** argv) try {
    fmt::print("{}\n", tn::summary<seed_net>());
    const image x = argc > 1 ? read_ppm(argv[1]) : synthetic_image();

    auto net = std::make_unique<seed_net>(/*seed=*/42);  // parameters: 6.2 MiB, on the heap once
    const auto probabilities = (*net)(x);
    const auto best = std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
    fmt::print("class probabilities: {:.4f}\n", fmt::join(probabilities, " "));
    fmt::print("most likely class: {} (untrained weights: load trained ones for a real answer)\n", best);

    std::vector<double> times;
    for (int run = 0; run < 30; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const auto again = (*net)(x);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (again != probabilities) throw std::logic_error("forward is not deterministic");
    }
    std::nth_element(times.begin(), times.begin() + 15, times.end());
    fmt::print("batch-1 forward: {:.3f} ms (median of 30), arena {} bytes\n", times[15], seed_net::arena_bytes);
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "seed_keras: {}\n", e.what());
    return 1;
}
