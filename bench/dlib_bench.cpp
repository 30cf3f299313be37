// dlib peer for bench/PROTOCOL.md.
//
// Workloads: W1 (seed), W2 (lenet5), W3 (big conv) inference and W2train (SGD training on
// Fashion-MNIST), all expressed as dlib network *types* (dlib is the closest C++ peer:
// networks as types, like typenet).
//
// Usage: dlib_bench --threads N [--seconds S]
//
// Threading: dlib's CPU backend (dlib/cuda/cpu_dlib.cpp, compiled into libdlib.so) runs every
// layer single-threaded; convolutions are img2col + cblas_sgemm and fc layers are cblas_sgemm,
// so the only possible intra-op parallelism comes from the BLAS libdlib.so is linked against
// (libblas.so.3, a Debian alternative: reference netlib BLAS unless OpenBLAS/BLIS is installed).
// --threads N is forwarded to OpenBLAS/BLIS if that is what is loaded at run time (looked up with
// dlsym); with reference BLAS it has no effect, which is reported on stderr.
// dnn_trainer runs the optimizer step on its own worker thread (plus a 1-thread pool per device);
// the calling thread only converts the mini-batch to a tensor.  Each timed W2train call is
// train_one_step() followed by get_net(), which waits until that step has finished, so the
// computation is serial and fully inside the timed call.

#include <dlib/dnn.h>

#include <zlib.h>
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace dlib;

// conv with explicit zero padding, stride 1
template <long N, long K, typename SUBNET>
using con_valid = add_layer<con_<N, K, K, 1, 1, 0, 0>, SUBNET>;
template <long N, long K, long P, typename SUBNET>
using con_pad = add_layer<con_<N, K, K, 1, 1, P, P>, SUBNET>;
template <typename SUBNET>
using pool2 = add_layer<max_pool_<2, 2, 2, 2, 0, 0>, SUBNET>;

// W1: 3x64x64 -> conv32 3x3 -> relu -> pool -> conv64 3x3 -> relu -> pool -> fc128 -> relu ->
// fc10 -> softmax
using w1_net = softmax<fc<10, relu<fc<128,
    pool2<relu<con_valid<64, 3,
    pool2<relu<con_valid<32, 3,
    input<std::array<matrix<float>, 3>>>>>>>>>>>>;

// W2 layers (LeNet-5), shared between the inference net (logits) and the training net.
template <typename SUBNET>
using lenet5 = fc<10, relu<fc<84, relu<fc<120,
    pool2<relu<con_valid<16, 5,
    pool2<relu<con_pad<6, 5, 2,
    SUBNET>>>>>>>>>>>;

using w2_net = lenet5<input<matrix<float>>>;
using w2_train_net = loss_multiclass_log<lenet5<input<matrix<float>>>>;

// W3: 64x56x56 -> conv64 3x3 pad 1 (with bias)
using w3_net = con_pad<64, 3, 1, input<std::array<matrix<float>, 64>>>;

struct Options {
  int threads = 1;
  double seconds = 0.5;
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Warm-up, then >= 10 reps and >= seconds; returns median per-call time in ms.
double time_median_ms(const std::function<void()>& fn, double seconds) {
  double t0 = now_s();
  fn();
  double first = now_s() - t0;
  int warm = first > 0.25 ? 1 : 4;  // ~5 warm-up calls, fewer for very slow configs
  for (int i = 0; i < warm; ++i) fn();
  std::vector<double> times;
  double start = now_s();
  while (times.size() < 10 || now_s() - start < seconds) {
    double a = now_s();
    fn();
    times.push_back((now_s() - a) * 1e3);
  }
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  return n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
}

template <typename NET>
void print_shapes(NET& net, const char* name) {
  std::fprintf(stderr, "[dlib_bench] %s layer output shapes (sample 0):\n", name);
  visit_layers(net, [](size_t idx, auto& l) {
    if constexpr (requires { l.get_output(); }) {
      try {
        const tensor& t = l.get_output();
        std::fprintf(stderr, "  layer<%zu> %ldx%ldx%ldx%ld\n", idx, (long)t.num_samples(),
                     (long)t.k(), (long)t.nr(), (long)t.nc());
      } catch (const std::exception&) {
        std::fprintf(stderr, "  layer<%zu> (output shared with the in-place layer above)\n", idx);
      }
    }
  });
}

// One inference configuration: the user's NCHW float batch is copied into a dlib tensor (dlib
// tensors are NCHW float, so this is a plain copy), the network runs forward, and the final
// output is copied into the user's plain float output buffer.
template <typename NET>
void bench_infer(const char* workload, NET& net, long c, long h, long w, long out_per_sample,
                 long batch, const Options& opt, bool show_shapes) {
  std::vector<float> user_in((size_t)batch * c * h * w);
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(0.f, 1.f);
  for (auto& v : user_in) v = dist(rng);
  std::vector<float> user_out((size_t)batch * out_per_sample);

  resizable_tensor x;
  {
    // dlib requires one to_tensor() call on the network (it records the input layer's
    // sample_expansion_factor); done once, outside timing.
    typename NET::input_type one;
    if constexpr (requires { one.set_size(h, w); }) {
      one.set_size(h, w);
      one = 0;
    } else {
      for (auto& m : one) {
        m.set_size(h, w);
        m = 0;
      }
    }
    net.to_tensor(&one, &one + 1, x);
  }
  auto call = [&]() {
    x.set_size(batch, c, h, w);  // no realloc when unchanged
    std::memcpy(x.host_write_only(), user_in.data(), user_in.size() * sizeof(float));
    const tensor& y = net.forward(x);
    if ((long)y.size() != batch * out_per_sample) throw std::runtime_error("unexpected output size");
    std::memcpy(user_out.data(), y.host(), user_out.size() * sizeof(float));
  };
  call();  // allocates / initializes parameters
  if (show_shapes) print_shapes(net, workload);
  double med = time_median_ms(call, opt.seconds);
  std::printf("raw workload=%s peer=dlib threads=%d batch=%ld median_ms=%.4f\n", workload,
              opt.threads, batch, med);
  std::fflush(stdout);
}

std::vector<unsigned char> read_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<unsigned char> out;
  unsigned char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  if (n < 0) throw std::runtime_error("gzread failed on " + path);
  return out;
}

void load_fashion_train(std::vector<matrix<float>>& images, std::vector<unsigned long>& labels) {
  const std::string dir = "/usr/share/datasets/fashion-mnist/";
  auto img = read_gz(dir + "train-images-idx3-ubyte.gz");
  auto lab = read_gz(dir + "train-labels-idx1-ubyte.gz");
  if (img.size() < 16 || lab.size() < 8) throw std::runtime_error("truncated IDX file");
  const size_t n = lab.size() - 8;
  if (img.size() != 16 + n * 784) throw std::runtime_error("IDX sizes do not match");
  images.resize(n);
  labels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    images[i].set_size(28, 28);
    const unsigned char* p = img.data() + 16 + i * 784;
    for (long r = 0; r < 28; ++r)
      for (long cc = 0; cc < 28; ++cc) images[i](r, cc) = p[r * 28 + cc] / 255.0f;
    labels[i] = lab[8 + i];
  }
}

void bench_train(const Options& opt) {
  std::vector<matrix<float>> images;
  std::vector<unsigned long> labels;
  try {
    load_fashion_train(images, labels);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "[dlib_bench] W2train skipped: %s\n", e.what());
    return;
  }
  const size_t bs = 64;
  const size_t nbatches = images.size() / bs;

  w2_train_net net;
  dnn_trainer<w2_train_net, sgd> trainer(net, sgd(0.0f, 0.9f));
  trainer.set_learning_rate(0.01);
  trainer.set_min_learning_rate(1e-12);
  trainer.set_mini_batch_size(bs);
  trainer.set_iterations_without_progress_threshold(1000000000);  // keep lr fixed at 0.01
  trainer.be_quiet();

  size_t next = 0;
  auto step = [&]() {
    const size_t b = next++ % nbatches;
    trainer.train_one_step(images.begin() + b * bs, images.begin() + (b + 1) * bs,
                           labels.begin() + b * bs);
    trainer.get_net(force_flush_to_disk::no);  // wait until this step is done
  };
  double med = time_median_ms(step, opt.seconds);

  // For reference only (stderr): pipelined throughput without the per-step wait, where the
  // calling thread converts batch k+1 while the trainer thread computes batch k.
  {
    const int reps = 100;
    double t0 = now_s();
    for (int i = 0; i < reps; ++i) {
      const size_t b = next++ % nbatches;
      trainer.train_one_step(images.begin() + b * bs, images.begin() + (b + 1) * bs,
                             labels.begin() + b * bs);
    }
    trainer.get_net(force_flush_to_disk::no);
    double per = (now_s() - t0) * 1e3 / reps;
    std::fprintf(stderr,
                 "[dlib_bench] W2train pipelined (no per-step wait): %.4f ms/step, "
                 "avg loss %.4f after %zu steps\n",
                 per, trainer.get_average_loss(), next);
  }

  std::printf("raw workload=W2train peer=dlib threads=%d batch=64 median_ms=%.4f images_per_s=%.1f\n",
              opt.threads, med, 64000.0 / med);
  std::fflush(stdout);
}

void setup_threads(int n) {
  Dl_info info{};
  void* gemm = dlsym(RTLD_DEFAULT, "cblas_sgemm");
  if (gemm && dladdr(gemm, &info) && info.dli_fname)
    std::fprintf(stderr, "[dlib_bench] cblas_sgemm comes from %s\n", info.dli_fname);
  using setter = void (*)(int);
  bool set = false;
  for (const char* sym : {"openblas_set_num_threads", "bli_thread_set_num_threads",
                          "goto_set_num_threads"}) {
    if (auto f = reinterpret_cast<setter>(dlsym(RTLD_DEFAULT, sym))) {
      f(n);
      std::fprintf(stderr, "[dlib_bench] %s(%d)\n", sym, n);
      set = true;
      break;
    }
  }
  if (!set)
    std::fprintf(stderr,
                 "[dlib_bench] no thread control found in the loaded BLAS (reference BLAS is "
                 "single-threaded) and dlib's CPU layers are single-threaded: --threads %d has "
                 "no effect, everything runs on 1 thread\n",
                 n);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) opt.threads = std::atoi(argv[++i]);
    else if (a == "--seconds" && i + 1 < argc) opt.seconds = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s --threads N [--seconds S]\n", argv[0]);
      return 2;
    }
  }
  if (opt.threads < 1) opt.threads = 1;
  // Read by OpenBLAS/BLIS/OpenMP only if they initialise after this point; setup_threads()
  // covers the already-loaded case.
  setenv("OPENBLAS_NUM_THREADS", std::to_string(opt.threads).c_str(), 1);
  setenv("OMP_NUM_THREADS", std::to_string(opt.threads).c_str(), 1);

  try {
    setup_threads(opt.threads);
    {
      w1_net net;
      for (long b : {1L, 64L}) bench_infer("W1", net, 3, 64, 64, 10, b, opt, b == 1);
    }
    {
      w2_net net;
      for (long b : {1L, 64L}) bench_infer("W2", net, 1, 28, 28, 10, b, opt, b == 1);
    }
    {
      w3_net net;
      for (long b : {1L, 8L}) bench_infer("W3", net, 64, 56, 56, 64L * 56 * 56, b, opt, b == 1);
    }
    bench_train(opt);
  } catch (const std::exception& e) {
    std::string r = e.what();
    std::replace(r.begin(), r.end(), '\n', ' ');
    std::printf("skip peer=dlib reason=%s\n", r.c_str());
    return 0;
  }
  return 0;
}
