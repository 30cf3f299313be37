// oneDNN peer for the bench/ protocol (see PROTOCOL.md): workloads W1, W2, W3, inference only.
//
// Usage: onednn_bench --threads N [--seconds S] [--workload W1|W2|W3]
//
// stdout: one `raw workload=... peer=onednn threads=N batch=B median_ms=...` line per configuration
//         (or a single `skip peer=onednn reason=...` line if oneDNN cannot run).
// stderr: diagnostics (chosen implementations, thread count, CPU utilisation, W3 GFLOP/s and a
//         correctness check against a naive scalar convolution).
//
// Threading: Debian's libdnnl (2.6.x) is built with DNNL_CPU_RUNTIME=OMP (links libgomp), so the
// thread count is set with omp_set_num_threads(N) before the first oneDNN call; oneDNN queries
// omp_get_max_threads() when it creates and executes primitives (all executed from this thread).
//
// Build: g++ -std=c++20 -O2 -march=native -mprefer-vector-width=512 -fopenmp onednn_bench.cpp
//            -o onednn_bench -ldnnl -lpthread
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#if __has_include(<oneapi/dnnl/dnnl.hpp>)
#include <oneapi/dnnl/dnnl.hpp>
#else
#include <dnnl.hpp>
#endif

namespace {

using dnnl::algorithm;
using dnnl::engine;
using dnnl::memory;
using dnnl::primitive;
using dnnl::prop_kind;
using dnnl::stream;
using tag = memory::format_tag;
using dt = memory::data_type;
using clk = std::chrono::steady_clock;

std::mt19937& rng() {
    static std::mt19937 g(12345);
    return g;
}

void fill_uniform(std::vector<float>& v, float lo, float hi) {
    std::uniform_real_distribution<float> d(lo, hi);
    for (auto& x : v) x = d(rng());
}

memory::dim product(const memory::dims& d) {
    memory::dim p = 1;
    for (auto x : d) p *= x;
    return p;
}

struct Op {
    primitive prim;
    std::unordered_map<int, memory> args;
    std::string what;
    std::string impl;
};

// A straight-line network built from oneDNN primitives. `cur` is the memory holding the
// activation produced by the last added op (in whatever layout that op chose).
class Net {
public:
    Net(const engine& eng, const memory::dims& in_nchw)
        : eng_(eng), strm_(eng), user_in_(memory({in_nchw, dt::f32, tag::nchw}, eng)) {
        cur_ = user_in_;
    }

    // Convolution (stride 1, symmetric padding `pad`) with bias, optional fused ReLU.
    // src/weights/dst use format_tag::any; the user's input is reordered if needed.
    void conv(memory::dim oc, memory::dim k, memory::dim pad, bool relu) {
        const memory::dims src_dims = cur_.get_desc().dims();
        const memory::dim n = src_dims[0], ic = src_dims[1], ih = src_dims[2], iw = src_dims[3];
        const memory::dim oh = ih + 2 * pad - k + 1, ow = iw + 2 * pad - k + 1;
        memory::desc src_md({n, ic, ih, iw}, dt::f32, tag::any);
        memory::desc wei_md({oc, ic, k, k}, dt::f32, tag::any);
        memory::desc bia_md({oc}, dt::f32, tag::x);
        memory::desc dst_md({n, oc, oh, ow}, dt::f32, tag::any);
        dnnl::convolution_forward::desc d(prop_kind::forward_inference, algorithm::convolution_direct,
                                          src_md, wei_md, bia_md, dst_md, {1, 1}, {pad, pad},
                                          {pad, pad});
        dnnl::primitive_attr attr;
        if (relu) {
            dnnl::post_ops po;
            po.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
            attr.set_post_ops(po);
        }
        dnnl::convolution_forward::primitive_desc pd(d, attr, eng_);

        memory src = ensure_layout(pd.src_desc());
        // User weights (oihw) with random values, reordered once to the chosen layout.
        const float a = 1.0f / std::sqrt(static_cast<float>(ic * k * k));
        host_weights_.assign(static_cast<size_t>(oc * ic * k * k), 0.0f);
        fill_uniform(host_weights_, -a, a);
        host_bias_.assign(static_cast<size_t>(oc), 0.0f);
        fill_uniform(host_bias_, -a, a);
        memory wei = prepare_weights(host_weights_, {oc, ic, k, k}, tag::oihw, pd.weights_desc());
        memory bia = prepare_weights(host_bias_, {oc}, tag::x, pd.bias_desc());
        memory dst(pd.dst_desc(), eng_);
        add_op(dnnl::convolution_forward(pd),
               {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, bia}, {DNNL_ARG_DST, dst}},
               "conv" + std::to_string(k) + "x" + std::to_string(k) + (relu ? "+relu" : ""),
               pd.impl_info_str());
        cur_ = dst;
    }

    // Max pooling k x k, stride s, no padding; consumes the current layout as is.
    void maxpool(memory::dim k, memory::dim s) {
        const memory::desc src_md = cur_.get_desc();
        const memory::dims sd = src_md.dims();
        const memory::dim oh = (sd[2] - k) / s + 1, ow = (sd[3] - k) / s + 1;
        memory::desc dst_md({sd[0], sd[1], oh, ow}, dt::f32, tag::any);
        dnnl::pooling_forward::desc d(prop_kind::forward_inference, algorithm::pooling_max, src_md,
                                      dst_md, {s, s}, {k, k}, {0, 0}, {0, 0});
        dnnl::pooling_forward::primitive_desc pd(d, eng_);
        memory src = ensure_layout(pd.src_desc());
        memory dst(pd.dst_desc(), eng_);
        add_op(dnnl::pooling_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}},
               "maxpool" + std::to_string(k), pd.impl_info_str());
        cur_ = dst;
    }

    // Dense layer (inner product) with bias, optional fused ReLU. A 4-D input is flattened
    // channel-major (weights oihw == PyTorch's (out, C*H*W) after flatten).
    void dense(memory::dim out, bool relu) {
        const memory::desc cur_md = cur_.get_desc();
        const memory::dims sd = cur_md.dims();
        const memory::dim n = sd[0];
        memory::dims wdims = sd;
        wdims[0] = out;
        const tag wtag = sd.size() == 4 ? tag::oihw : tag::oi;
        const memory::dim fan_in = product(sd) / n;

        dnnl::primitive_attr attr;
        if (relu) {
            dnnl::post_ops po;
            po.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
            attr.set_post_ops(po);
        }
        memory::desc wei_md(wdims, dt::f32, tag::any);
        memory::desc bia_md({out}, dt::f32, tag::x);
        memory::desc dst_md({n, out}, dt::f32, tag::any);
        // As a user would: hand the inner product the activation in the layout it is in
        // (weights `any` then follow that layout), so no activation reorder is needed. If that
        // only yields a reference implementation, let oneDNN choose the src layout instead.
        auto make_pd = [&](const memory::desc& src_md) {
            dnnl::inner_product_forward::desc d(prop_kind::forward_inference, src_md, wei_md,
                                                bia_md, dst_md);
            return dnnl::inner_product_forward::primitive_desc(d, attr, eng_);
        };
        dnnl::inner_product_forward::primitive_desc pd = make_pd(cur_md);
        if (std::string(pd.impl_info_str()).find("ref") != std::string::npos)
            pd = make_pd(memory::desc(sd, dt::f32, tag::any));

        memory src = ensure_layout(pd.src_desc());
        const float a = 1.0f / std::sqrt(static_cast<float>(fan_in));
        std::vector<float> w(static_cast<size_t>(out * fan_in)), b(static_cast<size_t>(out));
        fill_uniform(w, -a, a);
        fill_uniform(b, -a, a);
        memory wei = prepare_weights(w, wdims, wtag, pd.weights_desc());
        memory bia = prepare_weights(b, {out}, tag::x, pd.bias_desc());
        memory dst(pd.dst_desc(), eng_);
        add_op(dnnl::inner_product_forward(pd),
               {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, bia}, {DNNL_ARG_DST, dst}},
               "dense" + std::to_string(out) + (relu ? "+relu" : ""), pd.impl_info_str());
        cur_ = dst;
    }

    void softmax() {
        const memory::desc md = cur_.get_desc();
        dnnl::softmax_forward::desc d(prop_kind::forward_inference, md, 1);
        dnnl::softmax_forward::primitive_desc pd(d, eng_);
        memory src = ensure_layout(pd.src_desc());
        memory dst(pd.dst_desc(), eng_);
        add_op(dnnl::softmax_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}, "softmax",
               pd.impl_info_str());
        cur_ = dst;
    }

    // Final result must land in a plain (nchw / nc) user buffer.
    void finish() {
        const memory::dims d = cur_.get_desc().dims();
        memory::desc plain(d, dt::f32, d.size() == 4 ? tag::nchw : tag::nc);
        if (cur_.get_desc() == plain) {
            user_out_ = cur_;
        } else {
            user_out_ = memory(plain, eng_);
            add_reorder(cur_, user_out_, "reorder(out)");
        }
    }

    // One timed call: everything from the user's NCHW input to the user's plain output.
    void run() {
        for (auto& op : ops_) op.prim.execute(strm_, op.args);
        strm_.wait();
    }

    float* in_ptr() const { return static_cast<float*>(user_in_.get_data_handle()); }
    float* out_ptr() const { return static_cast<float*>(user_out_.get_data_handle()); }
    memory::dims in_dims() const { return user_in_.get_desc().dims(); }
    memory::dims out_dims() const { return user_out_.get_desc().dims(); }
    const std::vector<float>& last_conv_weights() const { return host_weights_; }
    const std::vector<float>& last_conv_bias() const { return host_bias_; }
    const std::vector<Op>& ops() const { return ops_; }

private:
    void add_op(primitive p, std::unordered_map<int, memory> args, std::string what,
                std::string impl) {
        ops_.push_back(Op{std::move(p), std::move(args), std::move(what), std::move(impl)});
    }

    void add_reorder(const memory& from, const memory& to, const std::string& what) {
        dnnl::reorder::primitive_desc pd(from, to);
        add_op(dnnl::reorder(pd), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}, what,
               pd.impl_info_str());
    }

    // Returns a memory holding the current activation in layout `want`, inserting a (timed)
    // reorder only if the current layout differs.
    memory ensure_layout(const memory::desc& want) {
        if (cur_.get_desc() == want) return cur_;
        memory m(want, eng_);
        add_reorder(cur_, m, ops_.empty() ? "reorder(in)" : "reorder(act)");
        return m;
    }

    // Weight preparation, done once at build time (outside timing).
    memory prepare_weights(const std::vector<float>& host, const memory::dims& dims, tag user_tag,
                           const memory::desc& want) {
        memory user(memory::desc(dims, dt::f32, user_tag), eng_);
        std::memcpy(user.get_data_handle(), host.data(), host.size() * sizeof(float));
        if (user.get_desc() == want) return user;
        memory m(want, eng_);
        dnnl::reorder(user, m).execute(strm_, user, m);
        strm_.wait();
        return m;
    }

    engine eng_;
    stream strm_;
    memory user_in_, user_out_, cur_;
    std::vector<Op> ops_;
    std::vector<float> host_weights_, host_bias_;
};

struct Usage {
    double cpu_s;   // user + sys CPU time of the process (all threads)
    long nivcsw;    // involuntary context switches (preemption => other load on the machine)
};

Usage usage_now() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
            ru.ru_nivcsw};
}

struct Timing {
    double median_ms;
    int reps;
    double cpu_util;  // (user+sys CPU time) / wall time over the timed loop
    long nivcsw;      // involuntary context switches during the timed loop
    double min_ms, max_ms;
};

Timing time_calls(Net& net, double min_seconds) {
    for (int i = 0; i < 5; ++i) net.run();  // warm-up
    std::vector<double> ms;
    const Usage u0 = usage_now();
    const auto start = clk::now();
    double elapsed = 0.0;
    while (ms.size() < 10 || elapsed < min_seconds) {
        const auto t0 = clk::now();
        net.run();
        const auto t1 = clk::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        elapsed = std::chrono::duration<double>(t1 - start).count();
    }
    const Usage u1 = usage_now();
    std::sort(ms.begin(), ms.end());
    const size_t m = ms.size();
    const double med = (m % 2) ? ms[m / 2] : 0.5 * (ms[m / 2 - 1] + ms[m / 2]);
    return {med, static_cast<int>(m), (u1.cpu_s - u0.cpu_s) / elapsed, u1.nivcsw - u0.nivcsw,
            ms.front(), ms.back()};
}

void describe(const char* wl, int batch, const Net& net) {
    for (const auto& op : net.ops())
        std::fprintf(stderr, "  [%s b=%d] %-14s impl=%s\n", wl, batch, op.what.c_str(),
                     op.impl.c_str());
}

// W3 correctness: compare a few output elements against a naive scalar convolution.
void check_w3(const Net& net) {
    const memory::dims id = net.in_dims();
    const memory::dim N = id[0], C = id[1], H = id[2], W = id[3];
    const memory::dim OC = net.out_dims()[1];
    const float* in = net.in_ptr();
    const float* out = net.out_ptr();
    const auto& w = net.last_conv_weights();
    const auto& b = net.last_conv_bias();
    const memory::dim pos[][2] = {{0, 0}, {0, 55}, {27, 31}, {55, 55}, {13, 1}};
    const memory::dim ocs[] = {0, 17, OC - 1};
    int bad = 0, checked = 0;
    double worst = 0.0;
    for (memory::dim n : {memory::dim{0}, N - 1})
        for (memory::dim oc : ocs)
            for (const auto& p : pos) {
                const memory::dim oh = p[0], ow = p[1];
                double ref = b[static_cast<size_t>(oc)], scale = std::fabs(ref);
                for (memory::dim c = 0; c < C; ++c)
                    for (memory::dim kh = 0; kh < 3; ++kh)
                        for (memory::dim kw = 0; kw < 3; ++kw) {
                            const memory::dim ih = oh + kh - 1, iw = ow + kw - 1;
                            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                            const double t = static_cast<double>(in[((n * C + c) * H + ih) * W + iw]) *
                                             w[static_cast<size_t>(((oc * C + c) * 3 + kh) * 3 + kw)];
                            ref += t;
                            scale += std::fabs(t);
                        }
                const double got = out[((n * OC + oc) * H + oh) * W + ow];
                const double rel = std::fabs(got - ref) / std::max(std::fabs(ref), 1e-2 * scale);
                worst = std::max(worst, rel);
                ++checked;
                if (rel > 1e-3) {
                    ++bad;
                    std::fprintf(stderr,
                                 "WARNING: W3 mismatch n=%ld oc=%ld oh=%ld ow=%ld got=%.6g ref=%.6g rel=%.3g\n",
                                 static_cast<long>(n), static_cast<long>(oc), static_cast<long>(oh),
                                 static_cast<long>(ow), got, ref, rel);
                }
            }
    std::fprintf(stderr, "  [W3 b=%ld] check vs naive conv: %d/%d elements ok, worst rel err %.2e\n",
                 static_cast<long>(N), checked - bad, checked, worst);
}

void run_workload(const std::string& wl, int batch, int threads, double seconds,
                  const engine& eng) {
    std::unique_ptr<Net> net;
    if (wl == "W1") {
        net = std::make_unique<Net>(eng, memory::dims{batch, 3, 64, 64});
        net->conv(32, 3, 0, true);
        net->maxpool(2, 2);
        net->conv(64, 3, 0, true);
        net->maxpool(2, 2);
        net->dense(128, true);
        net->dense(10, false);
        net->softmax();
    } else if (wl == "W2") {
        net = std::make_unique<Net>(eng, memory::dims{batch, 1, 28, 28});
        net->conv(6, 5, 2, true);
        net->maxpool(2, 2);
        net->conv(16, 5, 0, true);
        net->maxpool(2, 2);
        net->dense(120, true);
        net->dense(84, true);
        net->dense(10, false);
    } else {
        net = std::make_unique<Net>(eng, memory::dims{batch, 64, 56, 56});
        net->conv(64, 3, 1, false);
    }
    net->finish();
    describe(wl.c_str(), batch, *net);

    const memory::dims id = net->in_dims();
    std::vector<float> input(static_cast<size_t>(product(id)));
    fill_uniform(input, 0.0f, 1.0f);
    std::memcpy(net->in_ptr(), input.data(), input.size() * sizeof(float));

    const Timing t = time_calls(*net, seconds);
    std::printf("raw workload=%s peer=onednn threads=%d batch=%d median_ms=%.4f\n", wl.c_str(),
                threads, batch, t.median_ms);
    std::fflush(stdout);
    std::fprintf(stderr,
                 "  [%s b=%d] reps=%d min/med/max=%.4f/%.4f/%.4f ms cpu_util=%.2f (CPU/wall) "
                 "preemptions=%ld\n",
                 wl.c_str(), batch, t.reps, t.min_ms, t.median_ms, t.max_ms, t.cpu_util, t.nivcsw);
    // With libgomp's default spin-wait the CPU/wall ratio should be close to the thread count;
    // a lower ratio or many preemptions means other processes competed for the cores.
    if (t.cpu_util < 0.85 * threads || t.nivcsw > t.reps)
        std::fprintf(stderr,
                     "WARNING: [%s b=%d] CPU contention suspected (cpu_util %.2f for %d threads, %ld "
                     "preemptions): timing unreliable\n",
                     wl.c_str(), batch, t.cpu_util, threads, t.nivcsw);

    if (wl == "W3") {
        const double flops = 2.0 * 64 * 64 * 9 * 56 * 56 * batch;
        std::fprintf(stderr, "  [W3 b=%d] %.1f GFLOP/s\n", batch, flops / (t.median_ms * 1e-3) * 1e-9);
        check_w3(*net);
    } else if (wl == "W1") {
        // softmax rows must sum to 1
        const float* o = net->out_ptr();
        double worst = 0.0;
        for (int n = 0; n < batch; ++n) {
            double s = 0.0;
            for (int j = 0; j < 10; ++j) s += o[n * 10 + j];
            worst = std::max(worst, std::fabs(s - 1.0));
        }
        if (worst > 1e-4) std::fprintf(stderr, "WARNING: W1 softmax rows sum off by %.3g\n", worst);
    }
}

[[noreturn]] void usage(const char* msg) {
    std::fprintf(stderr, "error: %s\nusage: onednn_bench --threads N [--seconds S] [--workload W1|W2|W3]\n",
                 msg);
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 0;
    double seconds = 0.5;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--threads") threads = std::atoi(next().c_str());
        else if (a == "--seconds") seconds = std::atof(next().c_str());
        else if (a == "--workload") only = next();
        else usage(("unknown argument " + a).c_str());
    }
    if (threads < 1) usage("--threads N (N >= 1) is required");
    if (!only.empty() && only != "W1" && only != "W2" && only != "W3")
        usage("--workload must be W1, W2 or W3");

    // libdnnl here uses the OpenMP runtime: set the team size before oneDNN is first used.
    omp_set_dynamic(0);
    omp_set_num_threads(threads);

    try {
        engine eng(engine::kind::cpu, 0);
        const dnnl_version_t* v = dnnl_version();
        std::fprintf(stderr, "oneDNN %d.%d.%d (cpu_runtime=%s) omp_get_max_threads()=%d\n", v->major,
                     v->minor, v->patch,
                     v->cpu_runtime == DNNL_RUNTIME_OMP ? "OMP"
                     : v->cpu_runtime == DNNL_RUNTIME_TBB ? "TBB"
                     : v->cpu_runtime == DNNL_RUNTIME_SEQ ? "SEQ"
                                                          : "other",
                     omp_get_max_threads());
        if (v->cpu_runtime != DNNL_RUNTIME_OMP && v->cpu_runtime != DNNL_RUNTIME_SEQ)
            std::fprintf(stderr, "WARNING: libdnnl is not OpenMP-threaded; --threads may not be honoured\n");

        struct Cfg {
            const char* wl;
            int batch;
        };
        const Cfg cfgs[] = {{"W1", 1}, {"W1", 64}, {"W2", 1}, {"W2", 64}, {"W3", 1}, {"W3", 8}};
        for (const auto& c : cfgs) {
            if (!only.empty() && only != c.wl) continue;
            run_workload(c.wl, c.batch, threads, seconds, eng);
        }
    } catch (const dnnl::error& e) {
        std::printf("skip peer=onednn reason=oneDNN error: %s (status %d)\n", e.what(),
                    static_cast<int>(e.status));
        return 0;
    } catch (const std::exception& e) {
        std::printf("skip peer=onednn reason=%s\n", e.what());
        return 0;
    }
    return 0;
}
