// Tests typenet/network.hpp, summary.hpp and layout.hpp on the seed network (the Keras
// example), on nested blocks, and on hand-computed cases.
#define BOOST_TEST_MODULE network
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <span>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typenet/typenet.hpp>

using namespace typenet;
namespace tt = boost::test_tools;

using seed_net = network<input<3, 64, 64>,
                         conv2d<32, kernel<3>>, relu,
                         max_pool<2>,
                         conv2d<64, kernel<3>>, relu,
                         max_pool<2>,
                         flatten,
                         dense<128>, relu,
                         dense<10>, softmax>;

// What Keras's model.summary() prints for the same model.
static_assert(seed_net::parameter_count == 1'626'442);
static_assert(std::is_same_v<seed_net::output_shape, shape<10>>);
static_assert(std::is_same_v<seed_net::layer_at<0>::output_shape, shape<32, 62, 62>>);
static_assert(std::is_same_v<seed_net::layer_at<2>::output_shape, shape<32, 31, 31>>);
static_assert(std::is_same_v<seed_net::layer_at<5>::output_shape, shape<64, 14, 14>>);
static_assert(std::is_same_v<seed_net::layer_at<6>::output_shape, shape<12544>>);
static_assert(seed_net::layer_at<7>::parameter_count == 12544 * 128 + 128);
// conv 1: 2 FLOPs per multiply-add, 27 per output, plus the bias: 2·27·123008 + 123008.
static_assert(seed_net::layer_at<0>::flops == 6'765'440);
static_assert(seed_net::flops == 41'386'024);
// The arena's busiest moment is conv 1 with the pool after it: the pool's output
// (32·31·31) beside conv 1's own output (32·62·62), which the pool reads, and the input
// padded for the column kernel; the image itself stays in the caller's buffer. Conv 2's
// Winograd-transformed weights are kept outside the arena, the only values kept.
static_assert(seed_net::layer_at<0>::by_columns && seed_net::layer_at<3>::by_winograd);
static_assert(seed_net::block::plan.size == 32 * 31 * 31 + 32 * 62 * 62 + seed_net::layer_at<0>::scratch_size);
static_assert(seed_net::block::scratch_size == seed_net::block::plan.size);
// They are 16 positions × 32 channels × 64 filters (in blocks of filters), after a cache
// line for the generation mark.
static_assert(seed_net::kept_size == seed_net::layer_at<3>::kept_size &&
              seed_net::kept_size == 16 + 16 * 32 * 64);
// A batch goes through the dense layers 20 samples at a time, in two buffers of 20 rows of
// the widest of them (12544 values: 2^18 values a buffer at most) after that.
static_assert(seed_net::block::first_batched == 3 && seed_net::block::batch_chunk == 20);
static_assert(seed_net::arena_size == seed_net::block::scratch_size + 2 * 20 * 12544);
static_assert(seed_net::activation_size == 409'780);
// A block's layers count one by one, two levels deep: conv 8, relu 8, flatten 8, dense 3
// and relu 3, not the blocks' outputs (which used to give 8 + 8 + 3).
static_assert(network<input<1, 4, 4>, conv2d<2, kernel<3>>, relu,
                      sequential<flatten, sequential<dense<3>, relu>>>::activation_size == 8 + 8 + 8 + 3 + 3);

// An option given twice is refused, naming both (the first used to win silently).
static_assert(std::is_same_v<detail::first_repeated_option<stride<2>, pad<1>, stride<1>>::type,
                             rejection<because<option_is_given_twice<stride<2>, stride<1>>>>>);
static_assert(std::is_same_v<detail::first_repeated_option<pad<1>, no_bias, dilation<2>, no_bias>::type,
                             rejection<because<option_is_given_twice<no_bias, no_bias>>>>);
static_assert(std::is_void_v<detail::first_repeated_option<stride<2>, pad<1>, dilation<2>, no_bias>::type>);
static_assert(!detail::walk<shape<1, 8>, conv1d<2, kernel<3>, dilation<2>, dilation<1>>>::ok);

// Fusion: each relu runs inside the loop before it, and each pool in the step of the
// convolution before it; 11 layers become 6 steps.
static_assert(seed_net::block::step_count == 6);
static_assert(seed_net::block::fused == std::array{false, true, true, false, true, true, false, false, true, false, false});

// Quiet rejections: the walk reports them without asserting.
static_assert(!detail::walk<shape<3, 4, 4>, conv2d<1, kernel<5>>>::ok);
static_assert(!detail::walk<shape<3, 4, 4>, dense<10>>::ok);
static_assert(detail::walk<shape<3, 4, 4>, conv2d<1, kernel<5>, pad<1>>>::ok);
static_assert(std::is_same_v<detail::walk<shape<8, 10, 10>, sequential<relu, max_pool<20>>>::error,
                             invalid_layer<layer<0, 1>, max_pool<20>, got<shape<8, 10, 10>>,
                                           because<window_is_larger_than_the_padded_input>>>);

// `same` follows TensorFlow: ceil(in / stride) outputs, also with stride 2.
static_assert(std::is_same_v<decltype(conv2d<4, kernel<3>, stride<2>, same>::infer<shape<1, 7, 8>>()), shape<4, 4, 4>>);
static_assert(std::is_same_v<decltype(conv1d<4, kernel<5>, dilation<2>>::infer<shape<2, 20>>()), shape<4, 12>>);
static_assert(std::is_same_v<decltype(max_pool<3, stride<2>, pad<1>>::infer<shape<5, 9>>()), shape<5, 5>>);

template <class Net>
std::array<typename Net::scalar_type, Net::input_size> iota_input(typename Net::scalar_type scale) {
    std::array<typename Net::scalar_type, Net::input_size> x;
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = scale * typename Net::scalar_type(i + 1);
    return x;
}

BOOST_AUTO_TEST_CASE(hand_computed_conv_with_fused_relu) {
    // 1×3×3 input 1..9, one 2×2 kernel of ones, bias -20: sums 12, 16, 24, 28.
    using net = basic_network<double, input<1, 3, 3>, conv2d<1, kernel<2>>, relu>;
    net n;
    std::fill(n.parameters().begin(), n.parameters().end(), 1.0);
    n.parameters()[4] = -20.0;
    const auto y = n(iota_input<net>(1.0));
    BOOST_TEST(y == (std::array{0.0, 0.0, 4.0, 8.0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(hand_computed_pooling_with_padding) {
    // 1×2×2 input {1,2,3,4}, 2×2 windows with stride 1 and one pixel of padding.
    using max_net = basic_network<double, input<1, 2, 2>, max_pool<2, stride<1>, pad<1>>>;
    using avg_net = basic_network<double, input<1, 2, 2>, avg_pool<2, stride<1>, pad<1>>>;
    using exc_net = basic_network<double, input<1, 2, 2>, avg_pool<2, stride<1>, pad<1>, exclude_padding>>;
    const std::array<double, 4> x{1, 2, 3, 4};
    BOOST_TEST(max_net{}(x) == (std::array<double, 9>{1, 2, 2, 3, 4, 4, 3, 4, 4}), tt::per_element());
    BOOST_TEST(avg_net{}(x) == (std::array<double, 9>{0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1}),
               tt::per_element());
    BOOST_TEST(exc_net{}(x) == (std::array<double, 9>{1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(dense_and_softmax_by_hand) {
    using net = basic_network<double, input<2>, dense<2>, softmax>;
    net n;
    // weight {{1, 0}, {0, 1}}, bias {0, ln 3}: logits {x0, x1 + ln 3}.
    const std::array<double, 6> p{1, 0, 0, 1, 0, std::log(3.0)};
    std::copy(p.begin(), p.end(), n.parameters().begin());
    const auto y = n(std::array<double, 2>{0.0, 0.0});
    BOOST_TEST(y[0] == 0.25, tt::tolerance(1e-12));
    BOOST_TEST(y[1] == 0.75, tt::tolerance(1e-12));
}

// relu6 clips to [0, 6], lets NaN through as PyTorch does, and passes the gradient only
// strictly inside (PyTorch's hardtanh backward: 0 at an output of 0 or 6).
BOOST_AUTO_TEST_CASE(relu6_by_hand) {
    using net = basic_network<double, input<7>, relu6>;
    net n;
    const auto y = n(std::array<double, 7>{-1.5, 0.0, 0.25, 5.75, 6.0, 7.5, NAN});
    const std::array<double, 6> expected{0.0, 0.0, 0.25, 5.75, 6.0, 6.0};
    for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST(y[i] == expected[i], "output " << i);
    BOOST_TEST(std::isnan(y[6]));
    for (const auto& [out, slope] : {std::pair{0.0, 0.0}, std::pair{0.25, 1.0}, std::pair{5.75, 1.0}, std::pair{6.0, 0.0}})
        BOOST_TEST(relu6::derivative(out) == slope, "slope at output " << out);
    BOOST_TEST(summary<net>().find("relu6") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dropout_is_the_identity_at_inference) {
    using with = basic_network<double, input<6>, dense<4>, dropout<50>, typenet::tanh, dropout<1, 3>>;
    using without = basic_network<double, input<6>, dense<4>, typenet::tanh>;
    with a(7);
    without b(7);
    BOOST_TEST(a(iota_input<with>(0.1)) == b(iota_input<without>(0.1)), tt::per_element());
    static_assert(with::block::step_count == 1);
}

// A block is a layer: the same layers nested or flat give the same network.
using flat_net = basic_network<double, input<2, 12, 12>, conv2d<4, kernel<3>, pad<1>>, relu, max_pool<2>,
                               conv2d<6, kernel<3>>, sigmoid, flatten, dense<5>>;
using features = sequential<conv2d<4, kernel<3>, pad<1>>, relu, max_pool<2>>;
using nested_net = basic_network<double, input<2, 12, 12>, features, sequential<conv2d<6, kernel<3>>, sigmoid>,
                                 flatten, dense<5>>;
static_assert(nested_net::parameter_count == flat_net::parameter_count);
static_assert(nested_net::layer_count == 4);
static_assert(std::is_same_v<nested_net::layer_at<0>::output_shape, shape<4, 6, 6>>);

BOOST_AUTO_TEST_CASE(nested_blocks_match_the_flat_network) {
    flat_net flat(3);
    nested_net nested(4);
    std::copy(flat.parameters().begin(), flat.parameters().end(), nested.parameters().begin());
    BOOST_TEST(nested(iota_input<nested_net>(0.01)) == flat(iota_input<flat_net>(0.01)), tt::per_element());
}

// At inference, element-wise layers after a nested block run in the loop of its last
// step, as they would after the same layers not nested: here after a convolution with
// batch norm folded in, after a block that ends with its own fused ReLU, and after a dense layer.
BOOST_AUTO_TEST_CASE(layers_after_a_nested_block_run_in_its_last_loop) {
    using conv = conv2d<6, kernel<3>, pad<1>, no_bias>;
    using nested = network<input<3, 10, 10>, sequential<conv, batch_norm2d<>>, relu, sequential<conv, relu>, typenet::tanh,
                           sequential<flatten, dense<5>>, sigmoid>;
    using flat = network<input<3, 10, 10>, conv, batch_norm2d<>, relu, conv, relu, typenet::tanh, flatten, dense<5>, sigmoid>;
    static_assert(nested::block::fused[1] && nested::block::fused[3] && nested::block::fused[5]);
    static_assert(nested::block::step_count == 3);
    nested a(3);
    flat b(4);
    std::copy(b.parameters().begin(), b.parameters().end(), a.parameters().begin());
    for (std::size_t i = 0; i < b.buffers().size(); ++i) b.buffers()[i] = a.buffers()[i] = 0.5f + float(i % 7) / 10;
    auto x = iota_input<flat>(0.01f);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(x[i] * 37);
    BOOST_TEST(a(x) == b(x), tt::per_element());
    BOOST_TEST(summary<nested>().find("1     relu (fused)") != std::string::npos);
}

// A pool runs in the step of the convolution before it, on bands of the convolution's
// rows split between threads. A nested block is never fused into the step before it, so
// the same layers with the pool nested are the unfused pass: the values must be equal, on
// 1 and 2 threads, with each convolution kernel (Winograd's in rows of tiles, over
// filters, or over columns in blocks of rows), gaps between windows, a last row no window reads, a layer fused after
// the pool, and in double (which pools after the whole convolution).
template <class Flat, class Nested>
void check_pool_in_the_convolution_step() {
    static_assert(Flat::block::fused[2] && !Nested::block::fused[2]);
    Flat flat(3);
    Nested nested(3);
    std::copy(flat.parameters().begin(), flat.parameters().end(), nested.parameters().begin());
    for (std::size_t threads : {1, 2}) {
        // Another input for each thread count: a row left unwritten would hold the last one's.
        auto x = iota_input<Flat>(0.01);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(x[i] * 37 * typename Flat::scalar_type(threads));
        flat.set_threads(threads);
        nested.set_threads(threads);
        BOOST_TEST(flat(x) == nested(x), tt::per_element());
    }
}

template <class T, class Image, class Conv, class Pool, class... After>
void check_pool_in_the_convolution_step() {
    check_pool_in_the_convolution_step<basic_network<T, Image, Conv, relu, Pool, After...>,
                                       basic_network<T, Image, Conv, relu, sequential<Pool>, After...>>();
}

BOOST_AUTO_TEST_CASE(pools_run_in_the_step_of_the_convolution_before_them) {
    // The portable build has only the kernel over columns.
    constexpr bool portable = std::is_same_v<kernels::simd::native, kernels::simd::vec<kernels::simd::isa::portable>>;
    // Winograd's, a row of tiles at a time: 29 rows, the last row of tiles half outside,
    // of which the pool reads 28.
    static_assert(basic_network<float, input<32, 31, 31>, conv2d<64, kernel<3>>>::layer_at<0>::by_winograd);
    check_pool_in_the_convolution_step<float, input<32, 31, 31>, conv2d<64, kernel<3>>, max_pool<2>, sigmoid>();
    // Over filters, one row at a time: 27 rows, of which the pool reads 26.
    using filters = basic_network<float, input<32, 31, 31>, conv2d<64, kernel<5>>>::layer_at<0>;
    static_assert(portable || (!filters::by_columns && !filters::by_winograd));
    check_pool_in_the_convolution_step<float, input<32, 31, 31>, conv2d<64, kernel<5>>, max_pool<2>, sigmoid>();
    // Over columns, in blocks of rows: windows 2 rows long, 3 apart.
    using columns = basic_network<float, input<3, 64, 64>, conv2d<8, kernel<3>>>::layer_at<0>;
    static_assert(columns::by_columns && (portable || columns::rows_per_block > 1));
    check_pool_in_the_convolution_step<float, input<3, 64, 64>, conv2d<8, kernel<3>>, avg_pool<2, stride<3>>>();
    // A 1×1 convolution as a matrix product (AVX2 only), any rows at a time: 13 rows, a
    // strip of columns crossing rows and the threads' cut.
    using product = basic_network<float, input<48, 13, 11>, conv2d<20, kernel<1>>>::layer_at<0>;
    static_assert(product::by_product == (kernels::simd::native::lanes == 8));
    check_pool_in_the_convolution_step<float, input<48, 13, 11>, conv2d<20, kernel<1>>, max_pool<2>>();
    check_pool_in_the_convolution_step<float, input<1, 28, 28>, conv2d<6, kernel<5>, pad<2>>, max_pool<2>, flatten,
                                       dense<10>>();
    check_pool_in_the_convolution_step<double, input<2, 12, 12>, conv2d<4, kernel<3>>, max_pool<2>>();
}

BOOST_AUTO_TEST_CASE(batch_forward_equals_one_sample_at_a_time) {
    using net = basic_network<double, input<1, 5, 7>, conv2d<3, kernel<2, 3>, stride<1, 2>>, leaky_relu<>, flatten,
                              dense<4>>;
    net n(11);
    std::vector<double> batch(3 * net::input_size), out(3 * net::output_size);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i] = std::sin(double(i));
    n.forward(batch, out);
    for (std::size_t s = 0; s < 3; ++s) {
        const auto one = n(std::span<const double, net::input_size>(batch.data() + s * net::input_size, net::input_size));
        BOOST_TEST(std::vector<double>(out.begin() + s * net::output_size, out.begin() + (s + 1) * net::output_size) ==
                       std::vector<double>(one.begin(), one.end()),
                   tt::per_element());
    }
}

// A float batch runs its dense layers as matrix products over chunks of samples: equal to
// the one-sample pass to rounding, across chunk boundaries, on 1 and 2 threads, whether the
// batched part starts at the input, after a flatten, or has in-place steps inside it.
template <class Net>
void check_batch_matches_samples(std::size_t samples) {
    Net net(5);
    std::vector<float> batch(samples * Net::input_size), out(samples * Net::output_size);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i] = float(std::sin(0.37 * double(i)));
    for (std::size_t threads : {1, 2}) {
        net.set_threads(threads);
        std::fill(out.begin(), out.end(), NAN);
        net.forward(batch, out);
        for (std::size_t s = 0; s < samples; ++s) {
            const auto one = net(std::span<const float, Net::input_size>(batch.data() + s * Net::input_size, Net::input_size));
            for (std::size_t o = 0; o < Net::output_size; ++o)
                BOOST_TEST(out[s * Net::output_size + o] == one[o], tt::tolerance(1e-4f) << "sample " << s << " output " << o << ", " << threads << " threads");
        }
    }
}

using wide_tail = network<input<2, 64, 64>, conv2d<2, kernel<1>>, flatten, dense<7>, relu, dense<3>, softmax>;
static_assert(wide_tail::block::first_batched == 2 && wide_tail::block::batch_chunk == 32);
using dense_first = network<input<300>, dense<6>, softmax, flatten, dense<2>>;
static_assert(dense_first::block::first_batched == 0);

// Winograd's transformed weights are kept between passes, beside each thread's arena: the
// steps after them must never write over them, and a change of the weights through
// parameters() (one value, or a zero's sign) must make them derived again. Each sample's
// reference is a copy of a network that never ran, deriving them for the first time;
// compared exactly, on 1 and 2 threads, one sample and a batch (each thread its own).
template <class net>
void check_kept_weights_follow_the_weights() {
    auto kept = std::make_unique<net>(1);
    std::vector<float> batch(3 * net::input_size), out(3 * net::output_size);
    for (int change = 0; change < 4; ++change) {
        auto weights = kept->parameters();
        if (change == 1) weights[7] += 0.5f;
        if (change == 2) weights[100] = -weights[100];
        if (change == 3) weights[3] = 0.f, (void)(*kept)(iota_input<net>(0.02f)), kept->parameters()[3] = -0.f;
        auto pristine = std::make_unique<net>(2);
        std::copy(weights.begin(), weights.end(), pristine->parameters().begin());
        for (std::size_t threads : {1, 2}) {
            kept->set_threads(threads);
            for (std::size_t i = 0; i < batch.size(); ++i) batch[i] = std::sin(0.11f * float(i + change + threads));
            kept->forward(batch, out);
            for (std::size_t s = 0; s < 3; ++s) {
                const auto x = std::span<const float, net::input_size>(batch.data() + s * net::input_size, net::input_size);
                auto reference = std::make_unique<net>(*pristine);
                reference->set_threads(threads);
                const auto expected = (*reference)(x), one = (*kept)(x);
                const std::vector<float> wanted(expected.begin(), expected.end());
                BOOST_TEST(std::vector<float>(out.begin() + long(s * net::output_size),
                                              out.begin() + long((s + 1) * net::output_size)) == wanted,
                           tt::per_element());
                BOOST_TEST(std::vector<float>(one.begin(), one.end()) == wanted, tt::per_element());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(kept_winograd_weights_follow_the_weights) {
    // The 128-filter convolution writes its output where conv 1's transformed weights
    // would be, were they not kept apart, but not over the weights beside them.
    using net = network<input<16, 12, 12>, conv2d<16, kernel<3>, pad<1>>, relu, max_pool<2>, conv2d<8, kernel<1>>,
                        conv2d<128, kernel<1>>, conv2d<4, kernel<1>>>;
    static_assert(net::layer_at<0>::by_winograd && net::layer_at<0>::kept_size > 0);
    check_kept_weights_follow_the_weights<net>();
}

BOOST_AUTO_TEST_CASE(each_thread_keeps_winograd_weights_of_its_own) {
    // Layers big enough to share one sample between threads, each thread with weights
    // transformed in its own arena: conv 1 with the pool after it, conv 2 alone.
    using net = network<input<16, 24, 24>, conv2d<32, kernel<3>, pad<1>>, relu, max_pool<2>,
                        conv2d<32, kernel<3>, pad<1>>, relu, conv2d<128, kernel<1>>, conv2d<4, kernel<1>>>;
    static_assert(net::layer_at<0>::by_winograd && net::layer_at<3>::by_winograd);
    static_assert(net::layer_at<0>::flops >= detail::min_flops_to_split &&
                  net::layer_at<3>::flops >= detail::min_flops_to_split);
    check_kept_weights_follow_the_weights<net>();
}

BOOST_AUTO_TEST_CASE(branches_keep_winograd_weights_of_their_own) {
    // Two Winograd convolutions in different branches, each keeping its transformed weights
    // in a region of its own, and a third after the block.
    using branch = sequential<conv2d<32, kernel<3>, pad<1>>, relu>;
    using net = network<input<16, 24, 24>, concat<branch, sequential<conv2d<8, kernel<1>>, branch>>, relu,
                        residual<conv2d<64, kernel<3>, pad<1>>>, conv2d<4, kernel<1>>>;
    static_assert(net::layer_at<0>::kept_size > 0 && net::layer_at<2>::kept_size > 0);
    check_kept_weights_follow_the_weights<net>();
}

// A block of branches against its branches run as networks of their own, their outputs
// added or concatenated here: on 1 and 2 threads, with convolutions large enough to split.
template <class Net, class... Alone>
void check_branches_by_hand(auto merge) {
    auto net = std::make_unique<Net>(3);
    std::tuple<std::unique_ptr<Alone>...> alone{std::make_unique<Alone>(4)...};
    std::size_t offset = 0;
    std::apply([&](auto&... a) { ((std::copy(a->parameters().begin(), a->parameters().end(), net->parameters().begin() + long(offset)), offset += a->parameters().size()), ...); }, alone);
    BOOST_TEST_REQUIRE(offset == Net::parameter_count);
    for (std::size_t threads : {1, 2}) {
        net->set_threads(threads);
        auto x = iota_input<Net>(0.01f);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(x[i] * 37 * float(threads));
        const auto got = (*net)(x);
        const auto wanted = std::apply([&](auto&... a) { return merge(x, (*a)(x)...); }, alone);
        BOOST_TEST(std::vector<float>(got.begin(), got.end()) == wanted, tt::per_element());
    }
}

BOOST_AUTO_TEST_CASE(residual_is_its_body_plus_its_shortcut) {
    using body = sequential<conv2d<32, kernel<3>, pad<1>>, relu, conv2d<32, kernel<3>, pad<1>>>;
    using image = input<32, 24, 24>;
    // out = relu(body(x) + x), the addition and the relu in the loop of the body's last
    // convolution (Winograd here, on the column kernel below).
    static_assert(network<image, residual<body>, relu>::layer_at<0>::adds_in_body);
    check_branches_by_hand<network<image, residual<body>, relu>, network<image, body>>([](const auto& x, const auto& b) {
        std::vector<float> y(b.size());
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::max(b[i] + x[i], 0.f);
        return y;
    });
    // A projection shortcut.
    using shortcut = conv2d<32, kernel<1>, stride<2>>;
    using down = sequential<conv2d<32, kernel<3>, stride<2>, pad<1>>, relu, conv2d<32, kernel<3>, pad<1>>>;
    static_assert(network<image, residual<down, shortcut>>::layer_at<0>::adds_in_body);
    // A body that ends in a pool, or three terms, add in a loop of their own.
    static_assert(!network<image, residual<sequential<conv2d<32, kernel<3>>, max_pool<3, stride<1>, pad<1>>>,
                                           conv2d<32, kernel<3>>>>::layer_at<0>::adds_in_body);
    static_assert(!network<image, add<body, body, identity>>::layer_at<0>::adds_in_body);
    // Training adds in the body's last loop too, but after a layer whose derivative is read
    // from its output (relu, in the loop of the convolution before it).
    static_assert(network<image, residual<body>, relu>::layer_at<0>::adds_in_training_body);
    static_assert(network<image, residual<sequential<conv2d<32, kernel<3>, pad<1>, no_bias>, batch_norm2d<>>>>::layer_at<
                  0>::adds_in_training_body);
    using ends_in_relu = sequential<conv2d<32, kernel<3>, pad<1>>, relu>;
    static_assert(network<image, residual<ends_in_relu>>::layer_at<0>::adds_in_body);
    static_assert(!network<image, residual<ends_in_relu>>::layer_at<0>::adds_in_training_body);
    check_branches_by_hand<network<image, residual<down, shortcut>>, network<image, down>, network<image, shortcut>>(
        [](const auto&, const auto& b, const auto& s) {
            std::vector<float> y(b.size());
            for (std::size_t i = 0; i < y.size(); ++i) y[i] = b[i] + s[i];
            return y;
        });
}

BOOST_AUTO_TEST_CASE(concat_is_its_branches_one_after_another) {
    using image = input<16, 20, 20>;
    using wide = sequential<conv2d<8, kernel<1>>, relu, conv2d<24, kernel<3>, pad<1>>>;
    using pooled = sequential<max_pool<3, stride<1>, pad<1>>, conv2d<4, kernel<1>>>;
    check_branches_by_hand<network<image, concat<conv2d<8, kernel<1>>, wide, identity, pooled>, sigmoid>,
                           network<image, conv2d<8, kernel<1>>>, network<image, wide>, network<image, pooled>>(
        [](const auto& x, const auto& a, const auto& b, const auto& d) {
            std::vector<float> y;
            for (const auto& part : {std::vector<float>(a.begin(), a.end()), std::vector<float>(b.begin(), b.end()),
                                     std::vector<float>(x.begin(), x.end()), std::vector<float>(d.begin(), d.end())})
                y.insert(y.end(), part.begin(), part.end());
            for (float& v : y) v = sigmoid::apply(v);
            return y;
        });
}

// A grouped convolution is its groups convolved apart, each on its own channels: here two
// Winograd-sized groups, each keeping its transformed weights, on 1 and 2 threads.
BOOST_AUTO_TEST_CASE(grouped_convolution_is_its_groups_side_by_side) {
    using image = input<32, 16, 16>;
    using half = input<16, 16, 16>;
    using net = network<image, conv2d<64, kernel<3>, pad<1>, groups<2>>, relu>;
    using group = network<half, conv2d<32, kernel<3>, pad<1>, no_bias>>;
    static_assert(net::layer_at<0>::kept_size == 2 * group::layer_at<0>::kept_size && group::layer_at<0>::by_winograd);
    auto grouped = std::make_unique<net>(3);
    auto first = std::make_unique<group>(4), second = std::make_unique<group>(5);
    auto p = grouped->parameters();
    std::copy(p.begin(), p.begin() + long(group::parameter_count), first->parameters().begin());
    std::copy(p.begin() + long(group::parameter_count), p.begin() + long(2 * group::parameter_count),
              second->parameters().begin());
    const auto bias = p.subspan(2 * group::parameter_count);
    for (std::size_t threads : {1, 2}) {
        grouped->set_threads(threads);
        auto x = iota_input<net>(0.01f);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(x[i] * 37 * float(threads));
        const auto got = (*grouped)(x);
        std::vector<float> wanted;
        for (auto* g : {first.get(), second.get()}) {
            const std::size_t offset = g == first.get() ? 0 : half::shape_type::size;
            const auto y = (*g)(std::span<const float, group::input_size>(x.data() + offset, group::input_size));
            wanted.insert(wanted.end(), y.begin(), y.end());
        }
        for (std::size_t i = 0; i < wanted.size(); ++i) wanted[i] = std::max(wanted[i] + bias[i / 256], 0.f);
        BOOST_TEST(std::vector<float>(got.begin(), got.end()) == wanted, tt::tolerance(1e-6f) << tt::per_element());
    }
}

BOOST_AUTO_TEST_CASE(blocks_of_branches_in_the_summary_and_the_parameter_names) {
    using net = network<input<2, 8, 8>, conv2d<4, kernel<3>, pad<1>>,
                        residual<sequential<conv2d<4, kernel<3>, pad<1>>, relu, conv2d<4, kernel<3>, pad<1>, no_bias>>>,
                        relu, concat<conv2d<2, kernel<1>>, sequential<max_pool<2, stride<1>, same>, conv2d<3, kernel<1>>>>>;
    static_assert(std::is_same_v<net::output_shape, shape<5, 8, 8>>);
    static_assert(net::parameter_count == 76 + 148 + 144 + 10 + 15);
    const std::string s = summary<net>();
    BOOST_TEST(s.find("1     residual (2 branches, added in the body's last loop)") != std::string::npos);
    BOOST_TEST(s.find("3     concat (2 branches)") != std::string::npos);
    BOOST_TEST(s.find("1.0.2     conv2d 4 3x3 pad 1,1,1,1 no-bias") != std::string::npos);
    BOOST_TEST(s.find("1.1     identity") != std::string::npos);
    BOOST_TEST(s.find("2     relu (fused)") != std::string::npos);
    BOOST_TEST(s.find("3.1.1     conv2d 3 1x1") != std::string::npos);
    net n;
    std::vector<std::string> names;
    for_each_parameter_tensor(n, [&](const std::string& name, const tensor_desc&, auto) { names.push_back(name); });
    const std::vector<std::string> expected{"0.weight",     "0.bias",   "1.0.0.weight", "1.0.0.bias", "1.0.2.weight",
                                            "3.0.weight",   "3.0.bias", "3.1.1.weight", "3.1.1.bias"};
    BOOST_TEST(names == expected, tt::per_element());
}

BOOST_AUTO_TEST_CASE(threads_share_a_large_dense_layer_in_pieces) {
    // 20 rows in pieces of 8: the last piece is short. Each call reads the rows in the
    // other order than the call before.
    using net = network<input<4096>, dense<20>, relu, dense<3>>;
    static_assert(net::layer_at<0>::split_cost >= detail::min_flops_to_split &&
                  20 % kernels::vector::dense_rows_per_block != 0);
    net one(7), two(7);
    two.set_threads(2);
    for (float scale : {0.001f, -0.002f}) {
        const auto x = iota_input<net>(scale);
        BOOST_TEST(two(x) == one(x), tt::per_element());
    }
}

BOOST_AUTO_TEST_CASE(float_batches_match_one_sample_at_a_time) {
    check_batch_matches_samples<wide_tail>(70);
    check_batch_matches_samples<dense_first>(3);
    check_batch_matches_samples<dense_first>(130);
}

BOOST_AUTO_TEST_CASE(forward_rejects_a_batch_of_the_wrong_size) {
    using net = network<input<2, 4>, conv1d<3, kernel<3>>>;
    net n;
    std::vector<float> in(2 * 8 + 1), out(2 * 6);
    BOOST_CHECK_EXCEPTION(n.forward(in, out), std::invalid_argument, [](const std::invalid_argument& e) {
        return std::string(e.what()).find("got 17 input values") != std::string::npos;
    });
    in.resize(16);
    out.resize(5);
    BOOST_CHECK_THROW(n.forward(in, out), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(parameters_are_drawn_like_pytorch_defaults) {
    seed_net a(1), b(1), c(2);
    BOOST_TEST(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
    BOOST_TEST(!std::equal(a.parameters().begin(), a.parameters().end(), c.parameters().begin()));
    // conv 1's fan-in is 27: every weight and bias lies within ±1/√27.
    const auto first = a.parameters().first(896);
    const float bound = 1.0f / std::sqrt(27.0f);
    BOOST_TEST(std::all_of(first.begin(), first.end(), [&](float v) { return std::abs(v) <= bound; }));
    BOOST_TEST(*std::max_element(first.begin(), first.end()) > 0.9f * bound);
}

BOOST_AUTO_TEST_CASE(parameter_tensors_carry_pytorch_names_and_shapes) {
    nested_net n;
    std::vector<std::string> names;
    std::size_t total = 0;
    for_each_parameter_tensor(n, [&](const std::string& name, const tensor_desc& d, std::span<double> values) {
        names.push_back(name);
        BOOST_TEST(values.size() == d.size());
        BOOST_TEST(values.data() == n.parameters().data() + total);
        total += values.size();
    });
    BOOST_TEST(names == (std::vector<std::string>{"0.0.weight", "0.0.bias", "1.0.weight", "1.0.bias", "3.weight",
                                                  "3.bias"}),
               tt::per_element());
    BOOST_TEST(total == nested_net::parameter_count);
}

BOOST_AUTO_TEST_CASE(summary_of_the_seed_network) {
    const std::string expected =
        "#     Layer                           Output shape            Params           FLOPs\n"
        "====================================================================================\n"
        "      input                           (3, 64, 64)                  0               0\n"
        "0     conv2d 32 3x3                   (32, 62, 62)               896       6,765,440\n"
        "1     relu (fused)                    (32, 62, 62)                 0         123,008\n"
        "2     max_pool 2x2 (fused)            (32, 31, 31)                 0         123,008\n"
        "3     conv2d 64 3x3                   (64, 29, 29)            18,496      31,056,448\n"
        "4     relu (fused)                    (64, 29, 29)                 0          53,824\n"
        "5     max_pool 2x2 (fused)            (64, 14, 14)                 0          50,176\n"
        "6     flatten                         (12544)                      0               0\n"
        "7     dense 128                       (128)                1,605,760       3,211,392\n"
        "8     relu (fused)                    (128)                        0             128\n"
        "9     dense 10                        (10)                     1,290           2,570\n"
        "10    softmax                         (10)                         0              30\n"
        "====================================================================================\n"
        "Total params: 1,626,442 (6.20 MiB)\n"
        "FLOPs per sample: 41,386,024\n"
        "Inference arena: 668,192 values (2610.1 KiB), whatever the batch size: activations and scratch\n"
        "Derived weights: 32,784 values (128.1 KiB) beside each thread's arena: packed filters, batch norms "
        "folded in\n"
        "Activations of all layers: 409,780 values (1600.7 KiB) per sample\n";
    BOOST_TEST(summary<seed_net>() == expected);
}

BOOST_AUTO_TEST_CASE(summary_indents_nested_blocks) {
    const std::string s = summary<nested_net>();
    BOOST_TEST(s.find("0     sequential (3 layers)") != std::string::npos);
    BOOST_TEST(s.find("0.0     conv2d 4 3x3 pad 1,1,1,1") != std::string::npos);
    BOOST_TEST(s.find("0.1     relu (fused)") != std::string::npos);
}
