// Checks training end to end against PyTorch: LeNet-5 trained 20 steps with SGD-momentum,
// and separately 20 steps with Adam, from the same initial weights on the same batches,
// must end with every parameter where torch's ends. This tests backprop, the loss and
// the optimizers together, step after step.
//
// tests/fixtures/lenet5_training.bin is written by tests/fixtures/make_training_fixtures.py
// with Debian's python3-torch (its docstring says how the data are drawn):
//
//     /usr/bin/python3 tests/fixtures/make_training_fixtures.py
//
// Format, all little-endian: "TNTP", then u32 version (1), parameter count (61706), image
// count (80), steps (20), batch (8) and delta_bytes (4, or 8 in a file written with
// --exact); the images, 784 u8 pixels each (the input is pixel / 255, 1×28×28); one u8
// label per image; steps × batch u8 image indices, the batches; the initial parameters,
// i16 each, value / 2^17, in `network::parameters()` order (torch.cat([p.flatten() for p in
// model.parameters()]), see typenet/layout.hpp); then two runs, "sgd_momentum" and "adam":
// u32 name length and the name, `steps` float64 losses (each step's mean loss, before its
// update) and the change of every parameter over the run (final - initial), floats of
// delta_bytes bytes.
//
// The file is found in TYPENET_FIXTURE_DIR (set by meson), or given on the command line:
//     training_parity_test -- path/to/lenet5_training.bin
#define BOOST_TEST_MODULE training_parity
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <typenet/backprop.hpp>
#include <typenet/layout.hpp>
#include <typenet/losses/checked_loss.hpp>
#include <typenet/losses/softmax_cross_entropy.hpp>
#include <typenet/models/lenet5.hpp>
#include <typenet/optim/adam.hpp>
#include <typenet/optim/sgd.hpp>

#include "support/fixture_reader.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace {

namespace tn = typenet;

/// LeNet-5 giving logits: the twin of lenet5() in make_training_fixtures.py.
template <class T>
using lenet5 = tn::models::lenet5<T>;
template <class T>
using loss = tn::checked_loss<tn::softmax_cross_entropy<10>, lenet5<T>>;

constexpr std::size_t parameter_count = lenet5<double>::parameter_count;
constexpr std::size_t image_size = lenet5<double>::input_size;
static_assert(parameter_count == 61'706);  // what torch counts for the same layers
static_assert(image_size == 784);

// --- The fixture ----------------------------------------------------------------------------

struct run_reference {
    std::vector<double> losses;  // per step
    std::vector<double> final;   // parameters after the last step
};

struct reference {
    std::size_t steps = 0, batch = 0;
    std::vector<std::uint8_t> pixels, labels, batches;  // batches: steps × batch image indices
    std::vector<double> initial;
    std::map<std::string, run_reference> runs;
};

// Parses lenet5_training.bin, in the format described at the top of this file.
reference read_fixture(const std::string& path) {
    tn::testing::fixture_reader in(path);
    in.expect_header("TNTP", 1);
    if (const auto count = in.u32(); count != parameter_count)
        in.fail(fmt::format("has {} parameters; lenet5 has {}", count, parameter_count));
    reference r;
    const std::size_t images = in.u32();
    r.steps = in.u32();
    r.batch = in.u32();
    const std::size_t delta_bytes = in.u32();
    if (delta_bytes != 4 && delta_bytes != 8)
        in.fail(fmt::format("has changes of {} bytes, not 4 or 8", delta_bytes));
    r.pixels = in.u8s(images * image_size);
    r.labels = in.u8s(images);
    r.batches = in.u8s(r.steps * r.batch);
    for (const std::uint8_t i : r.batches)
        if (i >= images) in.fail(fmt::format("has a batch with image {} of {}", i, images));
    r.initial.resize(parameter_count);
    for (double& p : r.initial) p = double(static_cast<std::int16_t>(in.little_endian(2))) / (1 << 17);
    for (const char* name : {"sgd_momentum", "adam"}) {
        if (in.take(in.u32()) != name) in.fail(fmt::format("does not hold run {} where expected", name));
        run_reference& run = r.runs[name];
        run.losses = in.f64s(r.steps);
        run.final = r.initial;
        for (double& p : run.final) p += delta_bytes == 4 ? double(in.f32()) : in.f64();
    }
    in.expect_end("has bytes after its last run");
    return r;
}

// Read once; a file that cannot be read fails every case with the reason.
const reference& torch_run() {
    static const reference r = read_fixture(tn::testing::fixture_path(TYPENET_FIXTURE_DIR "/lenet5_training.bin"));
    return r;
}

// --- Training -------------------------------------------------------------------------------

struct trained {
    std::vector<double> losses;  // per step, before its update
    std::vector<double> final;   // parameters after the last step
};

// LeNet-5 of scalar T from the fixture's initial parameters, trained on its batches with
// the optimizer `Optimizer` and `options`, as a user would write the loop.
template <template <class, std::size_t> class Optimizer, class T>
trained train(const typename Optimizer<T, parameter_count>::options_type& options) {
    const reference& r = torch_run();
    auto net = std::make_unique<lenet5<T>>();
    std::copy(r.initial.begin(), r.initial.end(), net->parameters().begin());  // exact in float too
    tn::backprop<lenet5<T>> pass(r.batch);
    auto opt = tn::make_optimizer<Optimizer>(*net, options);

    std::vector<T> inputs(r.batch * image_size);
    std::vector<tn::class_label> labels(r.batch);
    trained out;
    for (std::size_t step = 0; step < r.steps; ++step) {
        for (std::size_t n = 0; n < r.batch; ++n) {
            const std::size_t image = r.batches[step * r.batch + n];
            // As torch: pixel / 255, one rounding.
            std::transform(r.pixels.begin() + image * image_size, r.pixels.begin() + (image + 1) * image_size,
                           inputs.begin() + n * image_size, [](std::uint8_t p) { return T(p) / T(255); });
            labels[n] = r.labels[image];
        }
        const auto scores = pass.forward(*net, inputs, step);
        out.losses.push_back(double(loss<T>::evaluate(scores, labels, pass.output_gradients())));
        const auto grads = pass.backward(*net);
        opt.step(net->parameters(), grads);
    }
    out.final.assign(net->parameters().begin(), net->parameters().end());
    return out;
}

// --- Comparison -----------------------------------------------------------------------------

// How close typenet must end to torch: |typenet - torch| <= tolerance * max(|torch|, floor),
// for every parameter after the 20 steps and for the loss of every step.
//
// - double, both runs: 1e-4, the acceptance criterion. typenet and torch both compute in
//   float64 and differ only in the order of their additions. Measured against a file
//   written with --exact (g++ and clang++, -O0 to -O3, with and without -march=native
//   -ffp-contract=fast): at most 1.6e-14 (SGD) and 6e-13 (Adam). Against the committed
//   file, whose changes are stored in float32: 3.1e-7 and 4.6e-7, that storage's error.
//   Training here is chaotic enough that a slip shows by orders of magnitude: an lr 1%
//   off ends 1.7 (SGD) and 8.5 (Adam) relative away, and its losses depart at step 8
//   and 7.
// - float, SGD: 1e-4 too. typenet runs in float (inputs, parameters, every sum), torch in
//   float64; measured under the same builds: at most 6.8e-6.
// - float, Adam: 2e-3. Adam's step is m / (√v + eps): for a parameter whose gradients
//   are as small as eps (dense<120> weights fed by features that are rarely active), the
//   step follows the gradient's relative error, and float gets such gradients, the small
//   sum of larger terms, up to 3e-3 wrong (measured at step 1: 7 of 25623 nonzero
//   gradients are more than 1e-3 off). Measured: 2.7e-4 (-O2, -O0), 5.3e-4 with
//   -march=native -ffp-contract=fast; 2e-3 keeps a margin of about 4.
// - floor: a parameter that ends near 0 is the difference of its initial value and its
//   change, whose errors are relative to them, not to their small difference (and the
//   committed changes are stored in float32). The floor, 1e-3, is 1/50 of the smallest
//   initial bound (1/√400 = 0.05, dense<120>): below it an error is held to 1e-3 ×
//   tolerance absolute, 1/50 of what a parameter of typical size is allowed.
constexpr double tolerance = 1e-4;
constexpr double adam_float_tolerance = 2e-3;
constexpr double floor_value = 1e-3;

template <class T>
constexpr const char* precision = std::is_same_v<T, double> ? "double" : "float";

// Which tensor holds parameter `i`, and where: "7.weight[4213]".
std::string parameter_name(std::size_t i) {
    auto net = std::make_unique<lenet5<double>>();
    std::string name;
    tn::for_each_parameter_tensor(*net, [&](const std::string& tensor, const tn::tensor_desc&, std::span<double> v) {
        const std::size_t first = std::size_t(v.data() - net->parameters().data());
        if (i >= first && i < first + v.size()) name = fmt::format("{}[{}]", tensor, i - first);
    });
    return name;
}

// The error of `got` against `want` as a fraction of what is allowed (1 is the limit).
double error_ratio(double got, double want, double tol) {
    const double error = std::abs(got - want);
    const double ratio = error / (tol * std::max(std::abs(want), floor_value));
    return std::isnan(ratio) ? std::numeric_limits<double>::infinity() : ratio;
}

template <class T>
void check_losses(const std::string& run, const std::vector<double>& got, const std::vector<double>& want,
                  double tol) {
    // The loss of step s follows from the parameters after s - 1 steps: the first step at
    // which it departs from torch's says where training went its own way.
    std::size_t first_departure = want.size(), worst = 0;
    double worst_ratio = 0;
    for (std::size_t s = 0; s < want.size(); ++s) {
        const double ratio = error_ratio(got[s], want[s], tol);
        if (!(ratio <= 1.0) && first_departure == want.size()) first_departure = s;
        if (!(ratio <= worst_ratio)) worst_ratio = ratio, worst = s;
    }
    BOOST_TEST_MESSAGE(fmt::format("{} ({}): losses {:.6f} -> {:.6f}; worst relative error {:.2e} at step {}", run,
                                   precision<T>, want.front(), want.back(),
                                   std::abs(got[worst] - want[worst]) / std::abs(want[worst]), worst + 1));
    if (first_departure < want.size())
        BOOST_ERROR(fmt::format("{} ({}): the losses depart from torch's at step {}: {:.17g}, torch's {:.17g}", run,
                                precision<T>, first_departure + 1, got[first_departure], want[first_departure]));
}

template <class T>
void check_parameters(const std::string& run, const std::vector<double>& got, const std::vector<double>& want,
                      const std::vector<double>& initial, double tol) {
    std::size_t failures = 0, worst = 0, moved = 0;
    double worst_ratio = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double ratio = error_ratio(got[i], want[i], tol);
        if (!(ratio <= 1.0)) ++failures;
        if (!(ratio <= worst_ratio)) worst_ratio = ratio, worst = i;
        moved += want[i] != initial[i];
    }
    const double worst_relative = std::abs(got[worst] - want[worst]) / std::max(std::abs(want[worst]), floor_value);
    BOOST_TEST_MESSAGE(fmt::format("{} ({}): {} of {} parameters moved; worst error {:.2e} relative (floor {}), "
                                   "{:.3g} of the tolerance, at {}",
                                   run, precision<T>, moved, want.size(), worst_relative, floor_value, worst_ratio,
                                   parameter_name(worst)));
    BOOST_TEST(failures == 0u,
               fmt::format("{} ({}): {} of {} parameters differ from torch's by more than {} relative; worst {}: "
                           "typenet {:.17g}, torch {:.17g} (initially {:.17g}), {:.3g} relative",
                           run, precision<T>, failures, want.size(), tol, parameter_name(worst), got[worst],
                           want[worst], initial[worst], worst_relative));
}

template <template <class, std::size_t> class Optimizer, class T>
void check_run(const std::string& run, const typename Optimizer<T, parameter_count>::options_type& options,
               double tol = tolerance) {
    const reference& r = torch_run();
    const trained t = train<Optimizer, T>(options);
    const run_reference& want = r.runs.at(run);
    check_losses<T>(run, t.losses, want.losses, tol);
    check_parameters<T>(run, t.final, want.final, r.initial, tol);
}

}  // namespace

// The options are those of RUNS in make_training_fixtures.py.

BOOST_AUTO_TEST_CASE(sgd_momentum_double) {
    check_run<tn::sgd, double>("sgd_momentum", {.lr = 0.05, .momentum = 0.9});
}

BOOST_AUTO_TEST_CASE(sgd_momentum_float) {
    check_run<tn::sgd, float>("sgd_momentum", {.lr = 0.05, .momentum = 0.9});
}

BOOST_AUTO_TEST_CASE(adam_double) {
    check_run<tn::adam, double>("adam", {.lr = 1e-3});
}

BOOST_AUTO_TEST_CASE(adam_float) {
    check_run<tn::adam, float>("adam", {.lr = 1e-3}, adam_float_tolerance);
}
