// Tests typenet/losses/checked_loss.hpp: which losses fit which networks (at compile
// time, quietly), and that a checked loss evaluates as the loss itself does.
#define BOOST_TEST_MODULE checked_loss
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

#include <typenet/typenet.hpp>

using namespace typenet;
namespace tt = boost::test_tools;

using scores_10 = network<input<1, 6, 6>, conv2d<2, kernel<3>>, relu, flatten, dense<10>>;
using scores_5 = network<input<3>, dense<5>>;
using image_10 = network<input<1, 4, 4>, conv2d<10, kernel<4>>>;  // output shape<10, 1, 1>
using doubles_3 = basic_network<double, input<4>, dense<8>, typenet::tanh, dense<3>>;

// A loss that fits: the loss's evaluate, for the network's scalar type.
using cross_entropy_10 = checked_loss<softmax_cross_entropy<10>, scores_10>;
static_assert(std::is_same_v<cross_entropy_10::scalar_type, float>);
static_assert(std::is_same_v<cross_entropy_10::output_shape, shape<10>>);
static_assert(std::is_same_v<cross_entropy_10::loss_type, softmax_cross_entropy<10>>);
static_assert(std::is_same_v<checked_loss<mean_squared_error<3>, doubles_3>::scalar_type, double>);
static_assert(std::is_same_v<checked_loss<binary_cross_entropy_with_logits<5>, scores_5>::network_type, scores_5>);

// Quiet rejections: the verdict names the loss, the shape it needs and the one it got.
static_assert(std::is_void_v<detail::loss_verdict<softmax_cross_entropy<10>, scores_10::output_shape>>);
static_assert(std::is_same_v<detail::loss_verdict<softmax_cross_entropy<10>, scores_5::output_shape>,
                             invalid_loss<softmax_cross_entropy<10>, expected<shape<10>>, got<shape<5>>>>);
static_assert(std::is_same_v<detail::loss_verdict<softmax_cross_entropy<10>, image_10::output_shape>,
                             invalid_loss<softmax_cross_entropy<10>, expected<shape<10>>, got<shape<10, 1, 1>>>>);
static_assert(!detail::loss_fits_network<detail::loss_verdict<mean_squared_error<4>, doubles_3::output_shape>>::value);
static_assert(!detail::loss_fits_network<detail::loss_verdict<binary_cross_entropy_with_logits<0>, shape<5>>>::value);
static_assert(std::is_same_v<detail::loss_verdict<int, shape<5>>,
                             invalid_loss<int, because<is_not_a_typenet_loss>, got<shape<5>>>>);

// A network that does not fit together reports its own error: checked_loss adds none.
// (Asking does not instantiate the network, so this stays quiet here.)
static_assert(detail::network_failed<network<input<3, 8, 8>, dense<10>>>::value);
static_assert(detail::network_failed<network<input<0>, dense<10>>>::value);
static_assert(!detail::network_failed<scores_5>::value);

BOOST_AUTO_TEST_CASE(evaluates_the_network_output_as_the_loss_does) {
    auto net = std::make_unique<scores_10>(7);
    const std::size_t batch = 3;
    std::vector<float> images(batch * scores_10::input_size), scores(batch * scores_10::output_size);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = float(i % 7) / 7;
    net->forward(images, scores);
    // Containers convert to the spans of the network's scalar type.
    const std::vector<class_label> labels{9, 0, 4};
    std::vector<float> checked_grad(scores.size()), grad(scores.size());
    const float checked = cross_entropy_10::evaluate(scores, labels, checked_grad);
    const float direct = softmax_cross_entropy<10>::evaluate<float>(scores, labels, grad);
    BOOST_TEST(checked == direct);
    BOOST_TEST(checked_grad == grad, tt::per_element());
}

BOOST_AUTO_TEST_CASE(takes_every_kind_of_target) {
    std::vector<double> outputs{0.5, -1, 2, 0.25, 0, 1}, targets{1, 0, 0, 0, 1, 0}, grad(6);
    using mse = checked_loss<mean_squared_error<3>, doubles_3>;
    using bce = checked_loss<binary_cross_entropy_with_logits<3>, doubles_3>;
    using cross_entropy = checked_loss<softmax_cross_entropy<3>, doubles_3>;
    // (0.25 + 1 + 4 + 0.0625 + 1 + 1) / 6
    BOOST_TEST(mse::evaluate(outputs, targets, grad) == 7.3125 / 6, tt::tolerance(1e-15));
    BOOST_TEST(bce::evaluate(outputs, targets, grad) ==
                   binary_cross_entropy_with_logits<3>::evaluate<double>(outputs, targets, grad),
               tt::tolerance(1e-15));
    const std::vector<class_label> labels{0, 1};
    BOOST_TEST(cross_entropy::evaluate(outputs, targets, grad) == cross_entropy::evaluate(outputs, labels, grad),
               tt::tolerance(1e-15));
}
