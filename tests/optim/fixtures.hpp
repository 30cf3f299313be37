// What the tests of include/typenet/optim/ share: tests/optim/optim.bin, PyTorch's
// reference (make_optim_fixtures.py writes it and documents its format), and the checks
// every optimizer goes through.
//
// The file is found in TYPENET_OPTIM_FIXTURE_DIR (set by meson), or given on the command
// line: optim_sgd_test -- path/to/optim.bin. Include it after #define BOOST_TEST_MODULE.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "../support/fixture_reader.hpp"

#ifndef TYPENET_OPTIM_FIXTURE_DIR
#define TYPENET_OPTIM_FIXTURE_DIR "tests/optim"
#endif

namespace optim_test {

/// Parameters of every optimizer case: the C++ optimizers need the count at compile time.
inline constexpr std::size_t n = 37;

// How far typenet may be from torch: |typenet - torch| <= tolerance * max(|torch|, 1),
// absolute below 1 so that parameters crossing 0 do not inflate it. The file is made
// with ATen's portable kernels, whose arithmetic typenet repeats operation by operation
// (in double the two agree to the bit, with g++ and clang++ at -O2). ATen's AVX2 kernels
// fuse multiply-adds and land up to 7e-16 away on these cases; so does typenet built by
// a compiler that contracts its loops (clang++ -march=native: 1.2e-15). A slip in a
// formula moves the parameters by 1e-8 or more within 20 steps (measured: eps under
// Adam's square root, 1.3e-8; dampening on SGD's first step, a bias correction one step
// off, AdamW decaying after the update, AMSGrad's maximum unused: 1e-7 to 0.5). 1e-12
// keeps both margins above 1000x.
inline constexpr double tolerance = 1e-12;

struct schedule_case {
    double base_lr;
    std::vector<double> lr;  // per epoch, from 0
};

struct fixtures {
    std::size_t steps = 0;
    std::vector<double> initial;                                // n values
    std::vector<double> gradients;                              // steps * n, step after step
    std::map<std::string, std::vector<double>> trajectories;    // the parameters after each step
    std::map<std::string, schedule_case> schedules;
};

// Parses optim.bin; its format is documented in make_optim_fixtures.py.
inline fixtures read_fixtures(const std::string& path) {
    typenet::testing::fixture_reader in(path);
    in.expect_header("TNOP", 1);
    if (const auto count = in.u32(); count != n)
        in.fail(fmt::format("has {} parameters; the tests expect {}", count, n));
    fixtures f;
    f.steps = in.u32();
    f.initial = in.f64s(n);
    f.gradients = in.f64s(f.steps * n);
    for (std::uint32_t cases = in.u32(); cases > 0; --cases) {
        std::string name = in.take(in.u32());
        if (!f.trajectories.emplace(name, in.f64s(f.steps * n)).second) in.fail("holds " + name + " twice");
    }
    for (std::uint32_t cases = in.u32(); cases > 0; --cases) {
        std::string name = in.take(in.u32());
        schedule_case s;
        s.base_lr = in.f64();
        s.lr = in.f64s(in.u32());
        if (!f.schedules.emplace(name, std::move(s)).second) in.fail("holds " + name + " twice");
    }
    in.expect_end("has bytes after its last case");
    return f;
}

/// The fixtures, read once.
inline const fixtures& reference() {
    static const fixtures f = read_fixtures(typenet::testing::fixture_path(TYPENET_OPTIM_FIXTURE_DIR "/optim.bin"));
    return f;
}

/// Checks that the optimizer cases of the file whose names start with `prefix` ("adam":
/// adam, adamw, ...) are those of the tables `cases...` (name -> options), no more, no less.
template <class... Cases>
void check_every_case_is_tested(std::string_view prefix, const Cases&... cases) {
    std::vector<std::string> in_file, in_tables;
    for (const auto& [name, trajectory] : reference().trajectories)
        if (name.starts_with(prefix)) in_file.push_back(name);
    (..., [&] {
        for (const auto& [name, options] : cases) in_tables.push_back(name);
    }());
    std::sort(in_tables.begin(), in_tables.end());
    BOOST_TEST(in_file == in_tables, boost::test_tools::per_element());
}

/// Runs `opt` from the fixture's initial parameters through its gradients and checks the
/// parameters after every step against torch's trajectory `name`, within `tol` (see
/// `tolerance`); the error names the worst step and index.
template <class Optimizer>
void check_trajectory(const std::string& name, Optimizer opt, double tol = tolerance) {
    using T = typename Optimizer::scalar_type;
    static_assert(Optimizer::parameter_count == n);
    const fixtures& f = reference();
    const auto found = f.trajectories.find(name);
    BOOST_TEST_REQUIRE((found != f.trajectories.end()), name + ": no such case in optim.bin");
    const std::vector<double>& torch = found->second;

    std::vector<T> params(f.initial.begin(), f.initial.end()), grads(n);
    double worst = -1;
    std::string where;
    for (std::size_t step = 0; step < f.steps; ++step) {
        std::transform(f.gradients.begin() + step * n, f.gradients.begin() + (step + 1) * n, grads.begin(),
                       [](double g) { return T(g); });
        opt.step(std::span<T, n>(params), std::span<const T, n>(grads));
        for (std::size_t i = 0; i < n; ++i) {
            const double want = torch[step * n + i], got = params[i];
            const double error = std::abs(got - want) / std::max(std::abs(want), 1.0);
            if (!(error <= worst)) {  // NaN is the worst
                worst = error;
                where = fmt::format("step {}, p[{}]: typenet {:.17g}, torch {:.17g}", step + 1, i, got, want);
            }
        }
    }
    BOOST_TEST_MESSAGE(fmt::format("{} ({}): {:.1e} relative error at worst", name, sizeof(T) * 8, worst));
    BOOST_TEST(worst <= tol, fmt::format("{}: {} relative error at worst, {}; the tolerance is {}", name, worst,
                                          where, tol));
    BOOST_TEST(opt.steps() == f.steps);
}

/// True if `run` throws `Exception` whose message contains `text`.
template <class Exception>
bool throws(const std::function<void()>& run, std::string_view text) {
    try {
        run();
    } catch (const Exception& e) {
        if (std::string_view(e.what()).find(text) != std::string_view::npos) return true;
        BOOST_TEST_MESSAGE("the message was: " << e.what());
    }
    return false;
}

/// Checks that a NaN or an infinite gradient throws std::domain_error naming the first bad
/// index and the step, and changes nothing: neither the parameters, nor the step count,
/// nor the state (the next good step of `opt` goes exactly as that of an untouched copy).
template <class Optimizer>
void check_rejects_non_finite_gradients(Optimizer opt) {
    using T = typename Optimizer::scalar_type;
    const fixtures& f = reference();
    std::vector<T> params(f.initial.begin(), f.initial.end()), grads(f.gradients.begin(), f.gradients.begin() + n);
    const auto p = std::span<T, n>(params);
    const auto g = std::span<const T, n>(grads);
    opt.step(p, g);  // state that is not all zero

    const Optimizer untouched = opt;
    const std::vector<T> before = params;
    for (const T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                        -std::numeric_limits<T>::infinity()}) {
        std::vector<T> poisoned = grads;
        poisoned[17] = bad;
        poisoned[30] = std::numeric_limits<T>::quiet_NaN();
        BOOST_TEST(throws<std::domain_error>([&] { opt.step(p, std::span<const T, n>(poisoned)); },
                                             fmt::format("gradient[17] is {} in step 2", bad)));
        BOOST_TEST(params == before);
        BOOST_TEST(opt.steps() == 1u);
    }

    Optimizer copy = untouched;
    std::vector<T> copy_params = before;
    opt.step(p, g);
    copy.step(std::span<T, n>(copy_params), g);
    BOOST_TEST(params == copy_params);
}

}  // namespace optim_test
