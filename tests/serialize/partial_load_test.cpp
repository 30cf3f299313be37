// Tests typenet/partial_load.hpp: a pretrained network's features loaded under a new head,
// from a file (tensors matched by name, shapes checked) and from another network (checked
// at compile time); the report of what was copied and left; and every refusal, which must
// leave the network as it was.
#define BOOST_TEST_MODULE partial_load
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <typenet/partial_load.hpp>
#include <typenet/typenet.hpp>

#include "../support/temp_dir.hpp"

namespace tn = typenet;
using tn::input, tn::kernel;

namespace {

// The features: a conv with batch norm, then a block; positions 0 to 5.
template <class... Head>
using cnn = tn::network<input<1, 12, 12>, tn::conv2d<4, kernel<3>>, tn::batch_norm2d<>, tn::relu, tn::max_pool<2>,
                        tn::sequential<tn::conv2d<6, kernel<3>>, tn::relu>, tn::flatten, Head...>;
using pretrained = cnn<tn::dense<5>>;
using new_head = cnn<tn::dense<3>>;
using two_heads = cnn<tn::dense<8>, tn::relu, tn::dense<3>>;
using smaller = tn::network<input<1, 12, 12>, tn::conv2d<4, kernel<3>>, tn::batch_norm2d<>>;  // the first two layers

const std::vector<std::string> feature_tensors{"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                               "1.running_var", "4.0.weight", "4.0.bias"};

template <class Net>
std::vector<float> values_of(const Net& net) {
    std::vector<float> all(net.parameters().begin(), net.parameters().end());
    all.insert(all.end(), net.buffers().begin(), net.buffers().end());
    return all;
}

// A pretrained network whose running statistics differ from their start, saved.
std::filesystem::path saved_pretrained(const tn::testing::temp_dir& dir, pretrained& net) {
    for (std::size_t i = 0; i < net.buffers().size(); ++i) net.buffers()[i] = 0.5f + 0.01f * float(i);
    const auto file = dir.path() / "pretrained.tnet";
    tn::save_parameters(net, file);
    return file;
}

std::filesystem::path saved_smaller(const tn::testing::temp_dir& dir, const smaller& net) {
    const auto file = dir.path() / "small.tnet";
    tn::save_parameters(net, file);
    return file;
}

// Whether the features of `net` hold `source`'s values and its head its own.
template <class Net>
void check_features_copied(const Net& net, const pretrained& source, const std::vector<float>& before) {
    constexpr std::size_t features = Net::template layer_at<0>::parameter_count +
                                     Net::template layer_at<1>::parameter_count +
                                     Net::template layer_at<4>::parameter_count;
    BOOST_TEST(std::equal(source.parameters().begin(), source.parameters().begin() + features, net.parameters().begin()));
    BOOST_TEST(std::equal(net.parameters().begin() + features, net.parameters().end(), before.begin() + features));
    BOOST_TEST(std::equal(source.buffers().begin(), source.buffers().end(), net.buffers().begin()));
}

template <class Error, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    BOOST_FAIL("no error");
    return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_new_head_on_a_pretrained_backbone_from_a_file) {
    tn::testing::temp_dir dir;
    pretrained source(1);
    const auto file = saved_pretrained(dir, source);
    new_head net(2);
    const auto before = values_of(net);
    const tn::load_report report = tn::load_parameters(net, file, {.first_layers = 6});
    BOOST_TEST(report.loaded == feature_tensors, boost::test_tools::per_element());
    BOOST_TEST((report.initialized == std::vector<std::string>{"6.weight", "6.bias"}));
    BOOST_TEST((report.unused == std::vector<std::string>{"6.weight", "6.bias"}));
    check_features_copied(net, source, before);
    BOOST_TEST(report.describe().starts_with("loaded 8 tensors: 0.weight, 0.bias, "));
    BOOST_TEST(report.describe().find("left as initialized 2 tensors: 6.weight, 6.bias\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_block_chosen_by_path) {
    tn::testing::temp_dir dir;
    pretrained source(1);
    const auto file = saved_pretrained(dir, source);
    two_heads net(2);
    const auto report = tn::load_parameters(net, file, {.layers = {"4"}});
    BOOST_TEST((report.loaded == std::vector<std::string>{"4.0.weight", "4.0.bias"}));
    BOOST_TEST(report.initialized.size() == 10u);  // 6 before the block, two heads of 2
    BOOST_TEST(std::equal(net.parameters().begin() + 4 * 9 + 4 + 8, net.parameters().begin() + 4 * 9 + 4 + 8 + 6 * 36 + 6,
                          source.parameters().begin() + 4 * 9 + 4 + 8));
}

BOOST_AUTO_TEST_CASE(by_default_every_tensor_of_the_same_name_and_a_missing_one_stays) {
    // A file of a smaller network: what it has is loaded, the rest is reported left.
    tn::testing::temp_dir dir;
    smaller source(4);
    const auto file = saved_smaller(dir, source);
    pretrained net(2);
    const auto report = tn::load_parameters(net, file, tn::partial_load{});
    BOOST_TEST(report.loaded.size() == 6u);
    BOOST_TEST((report.initialized == std::vector<std::string>{"4.0.weight", "4.0.bias", "6.weight", "6.bias"}));
    BOOST_TEST(report.unused.empty());
    BOOST_TEST(std::equal(source.parameters().begin(), source.parameters().end(), net.parameters().begin()));
}

BOOST_AUTO_TEST_CASE(a_tensor_of_another_shape_is_an_error_naming_it_and_both_shapes) {
    tn::testing::temp_dir dir;
    pretrained source(1);
    const auto file = saved_pretrained(dir, source);
    new_head net(2);
    const auto before = values_of(net);
    const std::string message = message_of<tn::io_error>([&] { tn::load_parameters(net, file, tn::partial_load{}); });
    BOOST_TEST(message.find("pretrained.tnet: tensor 6.weight is (5, 54) in the file but (3, 54) in the network") !=
               std::string::npos);
    BOOST_TEST(values_of(net) == before);  // the features before the head were not copied either
}

BOOST_AUTO_TEST_CASE(a_selected_tensor_missing_from_the_file_is_an_error) {
    tn::testing::temp_dir dir;
    smaller source(4);
    const auto file = saved_smaller(dir, source);
    pretrained net(2);
    const auto before = values_of(net);
    const std::string message = message_of<tn::io_error>([&] { tn::load_parameters(net, file, {.first_layers = 6}); });
    BOOST_TEST(message.find("tensor 4.0.weight (6, 4, 3, 3) is to be loaded, but the file has no tensor of that name") !=
               std::string::npos);
    BOOST_TEST(values_of(net) == before);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_or_an_unknown_path_is_an_error_and_changes_nothing) {
    tn::testing::temp_dir dir;
    pretrained source(1);
    const auto file = saved_pretrained(dir, source);
    auto content = tn::testing::read_all(file);
    content[content.size() / 2] ^= 0x40;
    const auto corrupt = dir.write("corrupt.tnet", content);
    new_head net(2);
    const auto before = values_of(net);
    BOOST_TEST(message_of<tn::io_error>([&] { tn::load_parameters(net, corrupt, {.first_layers = 6}); })
                   .find("checksum mismatch") != std::string::npos);
    BOOST_TEST(message_of<std::invalid_argument>([&] { tn::load_parameters(net, file, {.layers = {"4.3"}}); })
                   .find("partial_load's layer \"4.3\" is not a layer of the network") != std::string::npos);
    BOOST_TEST(values_of(net) == before);
}

BOOST_AUTO_TEST_CASE(from_another_network_checked_at_compile_time) {
    pretrained source(1);
    for (std::size_t i = 0; i < source.buffers().size(); ++i) source.buffers()[i] = 0.25f * float(i);
    new_head net(2);
    const auto before = values_of(net);
    const auto report = tn::copy_first_layers<6>(source, net);
    BOOST_TEST(report.loaded == feature_tensors, boost::test_tools::per_element());
    BOOST_TEST((report.unused == std::vector<std::string>{"6.weight", "6.bias"}));
    check_features_copied(net, source, before);

    // One block, into a double network: converted.
    tn::basic_network<double, input<1, 12, 12>, tn::conv2d<4, kernel<3>>, tn::batch_norm2d<>, tn::relu,
                      tn::max_pool<2>, tn::sequential<tn::conv2d<6, kernel<3>>, tn::relu>, tn::flatten, tn::dense<3>>
        wide(3);
    const auto block = tn::copy_layer<4, 4>(source, wide);
    BOOST_TEST((block.loaded == std::vector<std::string>{"4.0.weight", "4.0.bias"}));
    const std::size_t first = 4 * 9 + 4 + 8;
    for (std::size_t i = first; i < first + 6 * 36 + 6; ++i) BOOST_TEST(wide.parameters()[i] == double(source.parameters()[i]));
}
