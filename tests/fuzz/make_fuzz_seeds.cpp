// Writes the seed corpus of a fuzz target into a folder: small valid files of each format,
// raw and gzip, made with the library's own writer where it has one (save_parameters) and
// from the real Fashion-MNIST test set where it is installed.
//
//     make_fuzz_seeds idx_fuzz corpus/
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/layers/avg_pool.hpp>
#include <typenet/serialize.hpp>

#include "../support/file_bytes.hpp"
#include "fuzzed_network.hpp"

namespace fs = std::filesystem;
using typenet::testing::bytes;
using typenet::testing::idx_header;
using typenet::testing::operator+;

namespace {

void write(const fs::path& file, std::span<const std::uint8_t> content, bool gzip) {
    if (gzip) {
        gzFile gz = gzopen(file.c_str(), "wb");
        if (!gz || gzwrite(gz, content.data(), static_cast<unsigned>(content.size())) != int(content.size()) ||
            gzclose(gz) != Z_OK)
            throw std::runtime_error("cannot write " + file.string());
    } else {
        std::ofstream out(file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
        if (!out) throw std::runtime_error("cannot write " + file.string());
    }
}

// Each seed raw and gzip-compressed.
void write_both(const fs::path& dir, std::string_view name, const bytes& content) {
    write(dir / name, content, false);
    write(dir / fmt::format("{}.gz", name), content, true);
}

// The first `count` items of a Fashion-MNIST file, under a header that says so; nothing if
// the data set is not installed.
bytes fashion_mnist_start(const std::string& name, std::size_t header, std::size_t item, std::size_t count) {
    gzFile gz = gzopen(("/usr/share/datasets/fashion-mnist/" + name).c_str(), "rb");
    if (!gz) return {};
    bytes b(header + count * item);
    const int n = gzread(gz, b.data(), static_cast<unsigned>(b.size()));
    gzclose(gz);
    if (n != int(b.size())) return {};
    b[7] = static_cast<std::uint8_t>(count);  // the count, big-endian: below 256
    b[4] = b[5] = b[6] = 0;
    return b;
}

void idx_seeds(const fs::path& dir, bool content_only) {
    std::vector<std::pair<std::string, bytes>> seeds = {
        {"two-images", idx_header(0x08, {2, 2, 3}) + bytes{0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0}},
        {"three-labels", idx_header(0x08, {3}) + bytes{7, 0, 9}},
        {"fashion-images", fashion_mnist_start("t10k-images-idx3-ubyte.gz", 16, 28 * 28, 2)},
        {"fashion-labels", fashion_mnist_start("t10k-labels-idx1-ubyte.gz", 8, 1, 10)},
    };
    for (auto& [name, content] : seeds) {
        if (content.empty()) continue;
        if (content_only) {
            // idx_gzip_fuzz's first byte: level 6 in one member, and in two split at byte 8.
            write(dir / (name + "-one-member"), bytes{6} + content, false);
            write(dir / (name + "-two-members"), bytes{26} + content, false);
        } else {
            write_both(dir, name, content);
        }
    }
}

void cifar10_seeds(const fs::path& dir) {
    bytes records(2 * 3073, 0);
    records[0] = 3;
    records[1] = 255;
    records[1 + 1024 + 1] = 51;
    records[3073] = 8;
    records[3073 + 1 + 32] = 153;
    write_both(dir, "two-records", records);
    write_both(dir, "one-record", bytes(records.begin(), records.begin() + 3073));
}

void load_parameters_seeds(const fs::path& dir) {
    using typenet::fuzzing::fuzzed_network;
    typenet::save_parameters(fuzzed_network<float>(1), dir / "float.tnet");
    typenet::save_parameters(fuzzed_network<double>(2), dir / "double.tnet");
    fuzzed_network<float> special(3);
    special.parameters()[4] = std::numeric_limits<float>::quiet_NaN();
    special.parameters()[9] = -std::numeric_limits<float>::infinity();
    typenet::save_parameters(special, dir / "non-finite.tnet");
    // Another network: same start, another layer where the signatures differ.
    using other = typenet::network<typenet::input<1, 5, 5>, typenet::conv2d<2, typenet::kernel<3>>, typenet::avg_pool<3>>;
    typenet::save_parameters(other(4), dir / "other-network.tnet");
}

// The small models of tests/fixtures/onnx, as exported by PyTorch, and the inputs of past
// findings (tests/fixtures/onnx/fuzz_findings), so that each test run tries them again.
void onnx_import_seeds(const fs::path& dir) {
    const fs::path onnx = fs::path(TYPENET_FIXTURE_DIR) / "onnx";
    for (const char* name : {"bn_chain_folded", "bn_chain_separate", "matmul_head", "signal_1d", "branches_folded",
                             "operators_opset11"})
        fs::copy_file(onnx / name / "model.onnx", dir / (std::string(name) + ".onnx"));
    for (const auto& finding : fs::directory_iterator(onnx / "fuzz_findings"))
        fs::copy_file(finding.path(), dir / ("finding-" + finding.path().filename().string()));
}

// The images of tests/fixtures/images (make_image_fixtures.py) of one format: PNG in every
// colour type and bit depth, interlaced too; JPEG baseline, progressive, gray and CMYK.
void image_seeds(const fs::path& dir, std::string_view extension) {
    for (const auto& image : fs::directory_iterator(fs::path(TYPENET_FIXTURE_DIR) / "images"))
        if (image.path().extension() == extension) fs::copy_file(image.path(), dir / image.path().filename());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_fuzz_seeds TARGET DIR   (TARGET: idx_fuzz, idx_gzip_fuzz, cifar10_fuzz, "
                             "load_parameters_fuzz, onnx_import_fuzz, png_fuzz, jpeg_fuzz)\n");
        return 2;
    }
    const std::string_view target = argv[1];
    const fs::path dir = argv[2];
    fs::create_directories(dir);
    if (target == "idx_fuzz") idx_seeds(dir, false);
    else if (target == "idx_gzip_fuzz") idx_seeds(dir, true);
    else if (target == "cifar10_fuzz") cifar10_seeds(dir);
    else if (target == "load_parameters_fuzz") load_parameters_seeds(dir);
    else if (target == "onnx_import_fuzz") onnx_import_seeds(dir);
    else if (target == "png_fuzz") image_seeds(dir, ".png");
    else if (target == "jpeg_fuzz") image_seeds(dir, ".jpg");
    else {
        std::fprintf(stderr, "make_fuzz_seeds: no seeds for %s\n", argv[1]);
        return 2;
    }
    return 0;
}
