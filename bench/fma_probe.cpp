// FP32 FMA throughput probe (peak GFLOP/s) for AVX-512 and AVX2, 1 and 2 threads.
// Output (stdout), see PROTOCOL.md:
//   raw workload=peak peer=probe isa=avx512 threads=1 gflops=123.4
// Build: g++ -std=c++20 -O2 -march=native -Iinclude bench/fma_probe.cpp -o fma_probe -lpthread
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace {

using clk = std::chrono::steady_clock;

namespace simd = typenet::kernels::simd;

// Independent accumulator chains per thread. FMA latency is 4 cycles and there are (up
// to) 2 FMA ports, so >= 8 chains are needed; three quarters of the registers (24 zmm,
// 12 ymm) give ample slack without spills.
template <class V>
constexpr long chains = V::registers * 3 / 4;

volatile float g_sink = 0.0f;  // keeps results alive

// `iters` rounds of one FMA on each chain, in the library's own vector type.
template <class V>
__attribute__((noinline)) float kernel(std::int64_t iters, float bval, float cval) {
    const V b = V::broadcast(bval), c = V::broadcast(cval);
    V a[chains<V>];
    typenet::kernels::unroll<chains<V>>([&](auto i) { a[i] = V::broadcast(1.0f + 0.001f * float(i)); });
    for (std::int64_t it = 0; it < iters; ++it)
        typenet::kernels::unroll<chains<V>>([&](auto i) { a[i] = fma(a[i], b, c); });
    float r = 0.0f;
    typenet::kernels::unroll<chains<V>>([&](auto i) { r += a[i].sum(); });
    return r;
}

using Kernel = float (*)(std::int64_t, float, float);

// Runs `kernel(iters)` on `nthreads` threads simultaneously; returns wall seconds from the
// common start signal until the last thread finished.
double run_threads(Kernel kernel, int nthreads, std::int64_t iters) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<float> results(nthreads, 0.0f);
    std::vector<std::thread> threads;
    threads.reserve(nthreads);
    for (int t = 0; t < nthreads; ++t) {
        threads.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) {
            }
            // b < 1 keeps the values bounded (fixed point c/(1-b)), no denormals/overflow.
            results[t] = kernel(iters, 0.999999f, 1e-7f * (t + 1));
        });
    }
    while (ready.load() != nthreads) {
    }
    auto t0 = clk::now();
    go.store(true, std::memory_order_release);
    for (auto& th : threads) th.join();
    auto t1 = clk::now();
    float s = 0.0f;
    for (float r : results) s += r;
    g_sink = g_sink + s;
    return std::chrono::duration<double>(t1 - t0).count();
}

double measure_gflops(Kernel kernel, int lanes, int naccum, int nthreads) {
    // Calibrate iteration count for ~0.2 s per measurement.
    std::int64_t iters = 1 << 20;
    for (;;) {
        double s = run_threads(kernel, nthreads, iters);
        if (s > 0.05) {
            iters = static_cast<std::int64_t>(static_cast<double>(iters) * 0.2 / s);
            break;
        }
        iters *= 4;
    }
    double best = 0.0;
    for (int rep = 0; rep < 5; ++rep) {
        double s = run_threads(kernel, nthreads, iters);
        double fmas = static_cast<double>(iters) * naccum * nthreads;
        double gflops = 2.0 * lanes * fmas / s * 1e-9;
        best = std::max(best, gflops);
    }
    return best;
}

template <class V>
void report() {
    for (int threads : {1, 2}) {
        const double g = measure_gflops(kernel<V>, int(V::lanes), int(chains<V>), threads);
        std::printf("raw workload=peak peer=probe isa=%s threads=%d gflops=%.1f\n", V::name, threads, g);
        std::fflush(stdout);
    }
}

}  // namespace

int main() {
#if defined(__AVX512F__)
    report<simd::vec<simd::isa::avx512>>();
#endif
#if defined(__AVX2__) && defined(__FMA__)
    report<simd::vec<simd::isa::avx2>>();
#endif
    std::fprintf(stderr, "sink=%g\n", static_cast<double>(g_sink));
    return 0;
}
