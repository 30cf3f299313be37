// Proves that inference allocates nothing: every global operator new is replaced and
// counted while forward passes run.
#define BOOST_TEST_MODULE allocation
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include <typenet/typenet.hpp>

namespace {
std::atomic<long> allocations{0};

void* counted(std::size_t n, std::size_t align) {
    ++allocations;
    const std::size_t rounded = (n + align - 1) / align * align;
    if (void* p = std::aligned_alloc(align, rounded == 0 ? align : rounded)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted(n, alignof(std::max_align_t)); }
void* operator new[](std::size_t n) { return counted(n, alignof(std::max_align_t)); }
void* operator new(std::size_t n, std::align_val_t a) { return counted(n, std::size_t(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted(n, std::size_t(a)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace typenet;
using seed_net = network<input<3, 64, 64>, conv2d<32, kernel<3>>, relu, max_pool<2>, conv2d<64, kernel<3>>, relu,
                         max_pool<2>, flatten, dense<128>, relu, dense<10>, softmax>;
using signal_net = network<input<2, 50>, sequential<conv1d<8, kernel<5>, same>, typenet::tanh, avg_pool<2>>, dropout<20>,
                           flatten, dense<3>, sigmoid>;

template <class Net>
long allocations_during_forward(std::size_t batch) {
    auto net = std::make_unique<Net>();
    std::vector<float> in(batch * Net::input_size, 0.25f), out(batch * Net::output_size);
    const long before = allocations.load();
    net->forward(in, out);
    if (batch == 1) {
        auto y = (*net)(std::span<const float, Net::input_size>(in.data(), Net::input_size));
        out[0] = y[0];
    }
    return allocations.load() - before;
}

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
    const long before = allocations.load();
    auto* p = new std::vector<int>(1000);
    BOOST_TEST(allocations.load() - before >= 2);
    delete p;
}

BOOST_AUTO_TEST_CASE(seed_network_batch_1_allocates_nothing) { BOOST_TEST(allocations_during_forward<seed_net>(1) == 0); }

BOOST_AUTO_TEST_CASE(seed_network_batch_8_allocates_nothing) { BOOST_TEST(allocations_during_forward<seed_net>(8) == 0); }

BOOST_AUTO_TEST_CASE(nested_signal_network_allocates_nothing) {
    BOOST_TEST(allocations_during_forward<signal_net>(1) == 0);
}

BOOST_AUTO_TEST_CASE(constructing_allocates_exactly_the_two_blocks) {
    const long before = allocations.load();
    seed_net net;
    BOOST_TEST(allocations.load() - before == 2);  // parameters, arena
}
