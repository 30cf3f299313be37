// FP32 FMA throughput probe (peak GFLOP/s) for AVX-512 and AVX2, 1 and 2 threads.
// Output (stdout), see PROTOCOL.md:
//   raw workload=peak peer=probe isa=avx512 threads=1 gflops=123.4
// Build: g++ -std=c++20 -O2 -march=native fma_probe.cpp -o fma_probe -lpthread
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

using clk = std::chrono::steady_clock;

// Number of independent accumulator chains per thread.  FMA latency is 4 cycles and
// there are (up to) 2 FMA ports, so >= 8 chains are needed; 24 gives ample slack and
// still fits in the 32 zmm / 16 ymm (AVX2 uses 12 to stay within ymm0-15 without spills).
constexpr int kAcc512 = 24;
constexpr int kAcc256 = 12;

volatile float g_sink = 0.0f;  // keeps results alive

#if defined(__AVX512F__)
__attribute__((noinline)) float kernel_avx512(std::int64_t iters, float bval, float cval) {
    const __m512 b = _mm512_set1_ps(bval);
    const __m512 c = _mm512_set1_ps(cval);
#define ACC_DECL(i) __m512 a##i = _mm512_set1_ps(1.0f + 0.001f * (i));
#define ACC_STEP(i) a##i = _mm512_fmadd_ps(a##i, b, c);
#define REP24(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) \
                 M(12) M(13) M(14) M(15) M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23)
    REP24(ACC_DECL)
    for (std::int64_t it = 0; it < iters; ++it) {
        REP24(ACC_STEP)
    }
    __m512 s = _mm512_add_ps(a0, a1);
#define ACC_SUM(i) s = _mm512_add_ps(s, a##i);
    ACC_SUM(2) ACC_SUM(3) ACC_SUM(4) ACC_SUM(5) ACC_SUM(6) ACC_SUM(7) ACC_SUM(8) ACC_SUM(9)
    ACC_SUM(10) ACC_SUM(11) ACC_SUM(12) ACC_SUM(13) ACC_SUM(14) ACC_SUM(15) ACC_SUM(16)
    ACC_SUM(17) ACC_SUM(18) ACC_SUM(19) ACC_SUM(20) ACC_SUM(21) ACC_SUM(22) ACC_SUM(23)
    alignas(64) float tmp[16];
    _mm512_store_ps(tmp, s);
    float r = 0.0f;
    for (float v : tmp) r += v;
    return r;
#undef ACC_DECL
#undef ACC_STEP
#undef ACC_SUM
#undef REP24
}
#endif

__attribute__((noinline)) float kernel_avx2(std::int64_t iters, float bval, float cval) {
    const __m256 b = _mm256_set1_ps(bval);
    const __m256 c = _mm256_set1_ps(cval);
#define ACC_DECL(i) __m256 a##i = _mm256_set1_ps(1.0f + 0.001f * (i));
#define ACC_STEP(i) a##i = _mm256_fmadd_ps(a##i, b, c);
#define REP12(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11)
    REP12(ACC_DECL)
    for (std::int64_t it = 0; it < iters; ++it) {
        REP12(ACC_STEP)
    }
    __m256 s = _mm256_add_ps(a0, a1);
#define ACC_SUM(i) s = _mm256_add_ps(s, a##i);
    ACC_SUM(2) ACC_SUM(3) ACC_SUM(4) ACC_SUM(5) ACC_SUM(6) ACC_SUM(7) ACC_SUM(8) ACC_SUM(9)
    ACC_SUM(10) ACC_SUM(11)
    alignas(32) float tmp[8];
    _mm256_store_ps(tmp, s);
    float r = 0.0f;
    for (float v : tmp) r += v;
    return r;
#undef ACC_DECL
#undef ACC_STEP
#undef ACC_SUM
#undef REP12
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

}  // namespace

int main() {
#if defined(__AVX512F__)
    for (int threads : {1, 2}) {
        double g = measure_gflops(kernel_avx512, 16, kAcc512, threads);
        std::printf("raw workload=peak peer=probe isa=avx512 threads=%d gflops=%.1f\n", threads, g);
        std::fflush(stdout);
    }
#endif
    for (int threads : {1, 2}) {
        double g = measure_gflops(kernel_avx2, 8, kAcc256, threads);
        std::printf("raw workload=peak peer=probe isa=avx2 threads=%d gflops=%.1f\n", threads, g);
        std::fflush(stdout);
    }
    std::fprintf(stderr, "sink=%g\n", static_cast<double>(g_sink));
    return 0;
}
