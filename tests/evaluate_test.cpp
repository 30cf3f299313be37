// Tests typenet/evaluate.hpp: a data set's loss, accuracy and confusion matrix, and class
// probabilities, against values computed by hand.
#define BOOST_TEST_MODULE evaluate
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <typenet/typenet.hpp>

namespace tn = typenet;
namespace tt = boost::test_tools;

using logits_net = tn::basic_network<double, tn::input<2>, tn::dense<2>>;
using softmax_net = tn::basic_network<double, tn::input<2>, tn::dense<2>, tn::softmax>;
using loss = tn::softmax_cross_entropy<2>;

// Scores = the sample itself: weight I, bias 0.
template <class Net>
void make_identity(Net& net) {
    auto p = net.parameters();
    std::fill(p.begin(), p.end(), 0.0);
    p[0] = p[3] = 1.0;
}

// (2, 0) of class 0: right; (0, 1) of class 0: wrong; (0, 3) of class 1: right.
tn::data::labeled_set three_samples() {
    tn::data::labeled_set set;
    set.images = {3, 2, 1, 1, {2.f, 0.f, 0.f, 1.f, 0.f, 3.f}};
    set.labels = {0, 0, 1};
    return set;
}

// −log softmax(scores)[label], averaged.
const double expected_loss = (std::log(1 + std::exp(-2.0)) + std::log(1 + std::exp(1.0)) + std::log(1 + std::exp(-3.0))) / 3;

template <class Net>
void check_evaluation() {
    Net net;
    make_identity(net);
    // Batches of 2: the last one holds a single sample.
    tn::evaluator<Net, loss> score(net, 2);
    const auto e = score(three_samples());
    BOOST_TEST(e.loss == expected_loss, tt::tolerance(1e-12));
    BOOST_TEST(e.accuracy == 2.0 / 3.0, tt::tolerance(1e-12));
    BOOST_TEST(e.samples == 3u);
    BOOST_TEST(e.confusion[0][0] == 1u);
    BOOST_TEST(e.confusion[0][1] == 1u);
    BOOST_TEST(e.confusion[1][0] == 0u);
    BOOST_TEST(e.confusion[1][1] == 1u);
    const auto once = tn::evaluate<loss>(net, three_samples());
    BOOST_TEST(once.loss == e.loss);
    BOOST_TEST(once.confusion == e.confusion);
}

BOOST_AUTO_TEST_CASE(evaluates_a_network_that_gives_logits) { check_evaluation<logits_net>(); }

// The same loss from probabilities: the evaluator reads their logarithm.
BOOST_AUTO_TEST_CASE(evaluates_a_network_that_ends_with_softmax) { check_evaluation<softmax_net>(); }

template <class Net>
void check_probabilities() {
    Net net;
    make_identity(net);
    const std::vector<double> samples{2, 0, 0, 1};
    std::vector<double> p(4);
    tn::predict(net, samples, p);
    const double e2 = std::exp(2.0), e1 = std::exp(1.0);
    const std::vector<double> wanted{e2 / (e2 + 1), 1 / (e2 + 1), 1 / (1 + e1), e1 / (1 + e1)};
    BOOST_TEST(p == wanted, tt::tolerance(1e-12) << tt::per_element());
    const std::array<double, 2> one = tn::predict(net, std::span<const double, 2>(samples.data() + 2, 2));
    BOOST_TEST(one[1] == wanted[3], tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(predicts_probabilities_from_logits) { check_probabilities<logits_net>(); }
BOOST_AUTO_TEST_CASE(predicts_probabilities_of_a_softmax_network_unchanged) { check_probabilities<softmax_net>(); }

BOOST_AUTO_TEST_CASE(refuses_a_set_the_network_cannot_read) {
    logits_net net;
    tn::evaluator<logits_net, loss> score(net);
    auto wrong = three_samples();
    wrong.images = {2, 3, 1, 1, std::vector<float>(6)};
    wrong.labels = {0, 1};
    BOOST_CHECK_EXCEPTION(score(wrong), std::invalid_argument, [](const std::invalid_argument& e) {
        return std::string(e.what()).find("3x1x1 = 3 values; the network's input has 2") != std::string::npos;
    });
    BOOST_CHECK_THROW(score(tn::data::labeled_set{}), std::invalid_argument);
    BOOST_CHECK_THROW((tn::evaluator<logits_net, loss>(net, 0)), std::invalid_argument);
}
