// dlib reference program: train LeNet-5 (workload W2 of bench/PROTOCOL.md) on Fashion-MNIST.
//
// One translation unit using dlib's DNN API the way a user would: the network is a type, trained
// with dnn_trainer + sgd (lr 0.01, momentum 0.9, no weight decay), mini-batch 64, softmax
// cross-entropy (loss_multiclass_log).  Also used to measure compile time / peak compiler memory.
//
// Usage: dlib_lenet5_train [epochs=1] [data_dir=/usr/share/datasets/fashion-mnist]

#include <dlib/dnn.h>

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace dlib;

// input 1x28x28 -> conv 6 5x5 pad 2 -> relu -> maxpool 2 (6x14x14) -> conv 16 5x5 (no pad) ->
// relu -> maxpool 2 (16x5x5) -> flatten (400) -> fc 120 -> relu -> fc 84 -> relu -> fc 10.
using net_type = loss_multiclass_log<
    fc<10,
    relu<fc<84,
    relu<fc<120,
    add_layer<max_pool_<2, 2, 2, 2, 0, 0>,
    relu<add_layer<con_<16, 5, 5, 1, 1, 0, 0>,
    add_layer<max_pool_<2, 2, 2, 2, 0, 0>,
    relu<add_layer<con_<6, 5, 5, 1, 1, 2, 2>,
    input<matrix<float>>>>>>>>>>>>>>;

static std::vector<unsigned char> read_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<unsigned char> out;
  std::vector<unsigned char> buf(1 << 16);
  int n;
  while ((n = gzread(f, buf.data(), (unsigned)buf.size())) > 0)
    out.insert(out.end(), buf.begin(), buf.begin() + n);
  gzclose(f);
  if (n < 0) throw std::runtime_error("gzread failed on " + path);
  return out;
}

static unsigned be32(const unsigned char* p) {
  return (unsigned(p[0]) << 24) | (unsigned(p[1]) << 16) | (unsigned(p[2]) << 8) | p[3];
}

// Loads an IDX image/label pair (gzip), pixels scaled to [0,1].
static void load_idx(const std::string& images_gz, const std::string& labels_gz,
                     std::vector<matrix<float>>& images, std::vector<unsigned long>& labels) {
  const auto img = read_gz(images_gz);
  const auto lab = read_gz(labels_gz);
  if (img.size() < 16 || be32(img.data()) != 2051) throw std::runtime_error("bad " + images_gz);
  if (lab.size() < 8 || be32(lab.data()) != 2049) throw std::runtime_error("bad " + labels_gz);
  const size_t n = be32(img.data() + 4), rows = be32(img.data() + 8), cols = be32(img.data() + 12);
  if (be32(lab.data() + 4) != n || img.size() != 16 + n * rows * cols || lab.size() != 8 + n)
    throw std::runtime_error("inconsistent IDX files");
  images.resize(n);
  labels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char* p = img.data() + 16 + i * rows * cols;
    images[i].set_size(rows, cols);
    for (size_t r = 0; r < rows; ++r)
      for (size_t c = 0; c < cols; ++c) images[i](r, c) = p[r * cols + c] / 255.0f;
    labels[i] = lab[8 + i];
  }
}

int main(int argc, char** argv) try {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 1;
  const std::string dir = argc > 2 ? argv[2] : "/usr/share/datasets/fashion-mnist";

  std::vector<matrix<float>> train_images, test_images;
  std::vector<unsigned long> train_labels, test_labels;
  load_idx(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz", train_images,
           train_labels);
  load_idx(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", test_images,
           test_labels);
  std::printf("train %zu, test %zu images\n", train_images.size(), test_images.size());

  net_type net;
  dnn_trainer<net_type, sgd> trainer(net, sgd(/*weight_decay=*/0.0f, /*momentum=*/0.9f));
  trainer.set_learning_rate(0.01);
  trainer.set_min_learning_rate(1e-12);
  trainer.set_iterations_without_progress_threshold(1000000000);  // constant lr
  trainer.set_mini_batch_size(64);
  trainer.be_quiet();

  const size_t bs = 64;
  std::vector<size_t> order(train_images.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937 rng(1234);
  std::vector<matrix<float>> batch_x;
  std::vector<unsigned long> batch_y;

  const auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t start = 0; start < order.size(); start += bs) {
      const size_t end = std::min(order.size(), start + bs);
      batch_x.clear();
      batch_y.clear();
      for (size_t i = start; i < end; ++i) {
        batch_x.push_back(train_images[order[i]]);
        batch_y.push_back(train_labels[order[i]]);
      }
      trainer.train_one_step(batch_x, batch_y);
    }
    trainer.get_net(force_flush_to_disk::no);  // wait for the last step
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("epoch %d: avg loss %.4f, lr %g, %.1f s\n", epoch + 1, trainer.get_average_loss(),
                trainer.get_learning_rate(), secs);
  }

  net.clean();
  const std::vector<unsigned long> predicted = net(test_images, 256);
  size_t correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == test_labels[i];
  std::printf("test accuracy: %.4f (%zu/%zu)\n", double(correct) / predicted.size(), correct,
              predicted.size());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
