// Tests typenet/serialize.hpp: the file, byte by byte, against the format its header
// documents; round trips, float <-> double; and every way loading or saving can go wrong:
// another network, a file cut short or changed anywhere, another format or version, a
// save that fails halfway. The network's parameters must survive each failed load.
#define BOOST_TEST_MODULE serialize
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>
#include <zlib.h>

#include <typenet/serialize.hpp>
#include <typenet/typenet.hpp>

#include "../support/pipe_writer.hpp"
#include "../support/temp_dir.hpp"

namespace tn = typenet;
namespace fs = std::filesystem;
using tn::testing::bytes;
using tn::testing::read_all;
using tn::testing::temp_dir;
using tn::testing::write_all;
using scalar_types = std::tuple<float, double>;

static_assert(std::is_base_of_v<std::runtime_error, tn::io_error>);

// 47 parameters in four tensors, one inside a block: small enough to cut and change its
// file at every byte.
template <class T>
using small_net = tn::basic_network<T, tn::input<1, 4, 4>, tn::conv2d<2, tn::kernel<3>>, tn::relu,
                                    tn::sequential<tn::flatten, tn::dense<3>>>;
// small_net with 4 outputs instead of 3.
using wider_net = tn::network<tn::input<1, 4, 4>, tn::conv2d<2, tn::kernel<3>>, tn::relu,
                              tn::sequential<tn::flatten, tn::dense<4>>>;
// small_net and one layer more.
using longer_net = tn::network<tn::input<1, 4, 4>, tn::conv2d<2, tn::kernel<3>>, tn::relu,
                               tn::sequential<tn::flatten, tn::dense<3>>, tn::softmax>;
// Two networks with the same tensors that compute different things.
using max_pool_net = tn::network<tn::input<1, 6, 6>, tn::conv2d<2, tn::kernel<3>>, tn::max_pool<2>, tn::flatten,
                                 tn::dense<3>>;
using avg_pool_net = tn::network<tn::input<1, 6, 6>, tn::conv2d<2, tn::kernel<3>>, tn::avg_pool<2>, tn::flatten,
                                 tn::dense<3>>;

// small_net's signature and tensors, written out by hand from the format in serialize.hpp
// and from PyTorch's names and shapes for the same nn.Sequential.
const std::string small_signature =
    "input (1, 4, 4)\n"
    "0 conv2d 2 3x3 -> (2, 2, 2)\n"
    "1 relu -> (2, 2, 2)\n"
    "2 sequential (2 layers) -> (3)\n"
    "2.0 flatten -> (8)\n"
    "2.1 dense 3 -> (3)\n";

struct tensor_shape {
    std::string name;
    std::vector<std::uint64_t> dims;

    std::uint64_t count() const {
        std::uint64_t n = 1;
        for (std::uint64_t d : dims) n *= d;
        return n;
    }
};
const std::vector<tensor_shape> small_tensors = {
    {"0.weight", {2, 1, 3, 3}}, {"0.bias", {2}}, {"2.1.weight", {3, 8}}, {"2.1.bias", {3}}};

// One field of a small_net file, where the documented format puts it.
struct field {
    std::size_t offset;
    std::size_t size;
    bool structural;        // changing it may break the file's structure, not only its checksum
    std::string truncated;  // how the error names it when the file ends inside it
};

std::vector<field> small_fields(std::size_t scalar_size) {
    std::vector<field> fields;
    std::size_t at = 0;
    const auto add = [&](std::size_t size, bool structural, std::string what) {
        fields.push_back({at, size, structural, std::move(what)});
        at += size;
    };
    add(8, true, "the magic");
    add(4, true, "the format version");
    add(4, true, "the scalar code");
    add(4, true, "the length of the network's signature");
    add(small_signature.size(), false, "expected the network's signature");
    add(8, true, "the parameter count");
    for (std::size_t i = 0; i < small_tensors.size(); ++i) {
        const tensor_shape& t = small_tensors[i];
        add(4, true, fmt::format("the length of the name of tensor #{}", i + 1));
        add(t.name.size(), false, fmt::format("expected the name of tensor #{}", i + 1));
        add(4, true, "the rank of tensor " + t.name);
        add(8 * t.dims.size(), true, fmt::format("the {} dimensions of tensor {}", t.dims.size(), t.name));
        add(scalar_size * t.count(), false,
            fmt::format("{} {} values for tensor {}", t.count(), scalar_size == 4 ? "float32" : "float64", t.name));
    }
    add(4, false, "the CRC-32 checksum");
    return fields;
}

std::size_t end_of(const std::vector<field>& fields) { return fields.back().offset + fields.back().size; }

// The test's own reading of the format, independent of the header's.
template <class U>
U read_le(const bytes& b, std::size_t at) {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(U{b.at(at + i)} << (8 * i));
    return value;
}

template <class U>
void write_le(bytes& b, std::size_t at, U value) {
    for (std::size_t i = 0; i < sizeof(U); ++i) b.at(at + i) = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint32_t crc_of(const bytes& b, std::size_t n) {
    return static_cast<std::uint32_t>(crc32(0, b.data(), static_cast<uInt>(n)));
}

// The parameters as bits: NaN != NaN, but its bits compare.
template <class Net>
bytes bits_of(const Net& net) {
    const auto p = net.parameters();
    bytes b(p.size_bytes());
    std::memcpy(b.data(), p.data(), b.size());
    return b;
}

// Values a careless format would lose: a NaN with a payload, -0, infinities, subnormals.
template <class Net>
void put_special_values(Net& net) {
    using T = typename Net::scalar_type;
    const auto p = net.parameters();
    if constexpr (sizeof(T) == 4)
        p[0] = std::bit_cast<T>(std::uint32_t{0x7fc12345});
    else
        p[0] = std::bit_cast<T>(std::uint64_t{0x7ff8000012345678});
    p[1] = -T(0);
    p[2] = -std::numeric_limits<T>::infinity();
    p[3] = std::numeric_limits<T>::denorm_min();
    p[4] = std::numeric_limits<T>::max();
    p[5] = std::numeric_limits<T>::lowest();
    p[6] = std::nextafter(T(1), T(2));
}

// Runs `f`, which must throw io_error naming `file`; returns the message.
template <class F>
std::string io_error_of(F&& f, const fs::path& file) {
    try {
        f();
    } catch (const tn::io_error& e) {
        const std::string message = e.what();
        BOOST_CHECK_MESSAGE(message.starts_with(file.string() + ": "), "the error does not name " << file << ": " << message);
        return message;
    }
    BOOST_ERROR("no io_error for " << file);
    return "";
}

#define CHECK_CONTAINS(message, part) \
    BOOST_CHECK_MESSAGE((message).find(part) != std::string::npos, "\"" << (part) << "\" is not in: " << (message))

BOOST_AUTO_TEST_CASE_TEMPLATE(file_is_as_documented, T, scalar_types) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    small_net<T> net(7);
    tn::save_parameters(net, file);
    const bytes b = read_all(file);
    const std::vector<field> fields = small_fields(sizeof(T));

    BOOST_TEST(b.size() == end_of(fields));
    // 32 + S + Σ(8 + N + 8·R + c·n), as the header says.
    BOOST_TEST(b.size() == 32 + small_signature.size() + (8 + 8 + 32 + 18 * sizeof(T)) + (8 + 6 + 8 + 2 * sizeof(T)) +
                               (8 + 10 + 16 + 24 * sizeof(T)) + (8 + 8 + 8 + 3 * sizeof(T)));
    BOOST_TEST(std::memcmp(b.data(), "TYPENET\0", 8) == 0);
    BOOST_TEST(read_le<std::uint32_t>(b, 8) == 1u);
    BOOST_TEST(read_le<std::uint32_t>(b, 12) == sizeof(T));
    BOOST_TEST(read_le<std::uint32_t>(b, 16) == small_signature.size());
    BOOST_TEST(std::string(b.begin() + 20, b.begin() + 20 + std::ptrdiff_t(small_signature.size())) == small_signature);
    BOOST_TEST(tn::detail::network_signature<small_net<T>>() == small_signature);
    BOOST_TEST(read_le<std::uint64_t>(b, 20 + small_signature.size()) == 47u);

    std::size_t at = 28 + small_signature.size(), value_index = 0;
    for (const tensor_shape& t : small_tensors) {
        BOOST_TEST_CONTEXT("tensor " << t.name) {
            BOOST_TEST(read_le<std::uint32_t>(b, at) == t.name.size());
            BOOST_TEST(std::string(b.begin() + std::ptrdiff_t(at + 4), b.begin() + std::ptrdiff_t(at + 4 + t.name.size())) ==
                       t.name);
            at += 4 + t.name.size();
            BOOST_TEST(read_le<std::uint32_t>(b, at) == t.dims.size());
            at += 4;
            for (std::uint64_t d : t.dims) {
                BOOST_TEST(read_le<std::uint64_t>(b, at) == d);
                at += 8;
            }
            using bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
            for (std::uint64_t i = 0; i < t.count(); ++i, at += sizeof(T), ++value_index)
                BOOST_TEST(read_le<bits>(b, at) == std::bit_cast<bits>(net.parameters()[value_index]));
        }
    }
    BOOST_TEST(value_index == 47u);
    BOOST_TEST(at == b.size() - 4);
    BOOST_TEST(read_le<std::uint32_t>(b, at) == crc_of(b, at));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(round_trip_is_bit_identical, T, scalar_types) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    small_net<T> saved(1);
    put_special_values(saved);
    tn::save_parameters(saved, file);
    small_net<T> loaded(2);
    BOOST_REQUIRE(bits_of(loaded) != bits_of(saved));
    tn::load_parameters(loaded, file, {.allow_non_finite = true});  // the NaN and the infinity
    BOOST_TEST(bits_of(loaded) == bits_of(saved));
    BOOST_TEST(dir.entries() == std::vector<std::string>{"w.tnet"});
}

// Blocks of branches: every branch's tensors, in order, and a file from the same network
// with the branches swapped is another network.
BOOST_AUTO_TEST_CASE(branching_network_round_trips_and_knows_its_branches) {
    using block = tn::residual<tn::sequential<tn::conv2d<2, tn::kernel<3>, tn::pad<1>>, tn::relu>,
                               tn::depthwise_conv2d<tn::kernel<1>, tn::multiplier<2>>>;
    using branching = tn::network<tn::input<1, 5, 5>, block, tn::concat<tn::conv2d<2, tn::kernel<1>>, tn::identity>,
                                  tn::global_avg_pool, tn::flatten, tn::dense<2>>;
    using swapped = tn::network<tn::input<1, 5, 5>, block, tn::concat<tn::identity, tn::conv2d<2, tn::kernel<1>>>,
                                tn::global_avg_pool, tn::flatten, tn::dense<2>>;
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    branching saved(1);
    tn::save_parameters(saved, file);
    branching loaded(2);
    tn::load_parameters(loaded, file);
    BOOST_TEST(bits_of(loaded) == bits_of(saved));
    swapped other(3);
    const std::string message = io_error_of([&] { tn::load_parameters(other, file); }, file);
    CHECK_CONTAINS(message, "file:    1.0 conv2d 2 1x1 -> (2, 5, 5)");
    CHECK_CONTAINS(message, "network: 1.0 identity -> (2, 5, 5)");
}

// Batch norm's running statistics are saved and loaded with the parameters, named as in
// PyTorch's state_dict; a NaN among them is refused like one among the parameters.
BOOST_AUTO_TEST_CASE(batch_norm_buffers_round_trip) {
    using net_type = tn::network<tn::input<2, 4, 4>, tn::conv2d<3, tn::kernel<3>, tn::no_bias>, tn::batch_norm2d<>, tn::relu,
                                 tn::flatten, tn::dense<2>>;
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    net_type saved(1);
    for (std::size_t i = 0; i < net_type::buffer_count; ++i) saved.buffers()[i] = 0.25f + float(i);
    tn::save_parameters(saved, file);
    net_type loaded(2);
    tn::load_parameters(loaded, file);
    BOOST_TEST(bits_of(loaded) == bits_of(saved));
    BOOST_TEST(std::ranges::equal(loaded.buffers(), saved.buffers()));

    saved.buffers()[4] = std::numeric_limits<float>::quiet_NaN();
    tn::save_parameters(saved, file);
    const std::string message = io_error_of([&] { tn::load_parameters(loaded, file); }, file);
    CHECK_CONTAINS(message, "1.running_var");
    BOOST_TEST(loaded.buffers()[4] == 4.25f);  // unchanged
}

// Saves small_net<From> and loads the file into small_net<To>: each parameter arrives as
// To(the value saved).
template <class From, class To>
void check_loads_converted() {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    const small_net<From> saved(1);
    tn::save_parameters(saved, file);
    small_net<To> loaded(2);
    tn::load_parameters(loaded, file);
    for (std::size_t i = 0; i < saved.parameter_count; ++i)
        BOOST_TEST(loaded.parameters()[i] == To(saved.parameters()[i]), "parameter " << i);
}

BOOST_AUTO_TEST_CASE(float_file_loads_into_a_double_network) { check_loads_converted<float, double>(); }

BOOST_AUTO_TEST_CASE(double_file_loads_into_a_float_network) { check_loads_converted<double, float>(); }

BOOST_AUTO_TEST_CASE(network_without_parameters_round_trips) {
    using net = tn::network<tn::input<4>, tn::relu>;
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    const net saved;
    tn::save_parameters(saved, file);
    BOOST_TEST(fs::file_size(file) == 32 + std::string("input (4)\n0 relu -> (4)\n").size());
    net loaded;
    tn::load_parameters(loaded, file);
}

BOOST_AUTO_TEST_CASE(another_network_is_refused_naming_the_first_different_layer) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(small_net<float>(1), file);

    wider_net wider(2);
    const bytes before = bits_of(wider);
    const std::string message = io_error_of([&] { tn::load_parameters(wider, file); }, file);
    CHECK_CONTAINS(message, "saved from a different network");
    CHECK_CONTAINS(message, "line 4");
    CHECK_CONTAINS(message, "file:    2 sequential (2 layers) -> (3)\n");
    CHECK_CONTAINS(message, "network: 2 sequential (2 layers) -> (4)");
    BOOST_TEST(bits_of(wider) == before);

    longer_net longer(2);
    const std::string longer_message = io_error_of([&] { tn::load_parameters(longer, file); }, file);
    CHECK_CONTAINS(longer_message, "line 7");
    CHECK_CONTAINS(longer_message, "file:    (no more layers)\n");
    CHECK_CONTAINS(longer_message, "network: 3 softmax -> (3)");

    small_net<float> first_layer_differs(2);
    tn::save_parameters(max_pool_net(1), file);  // also replaces a file
    const std::string input_message = io_error_of([&] { tn::load_parameters(first_layer_differs, file); }, file);
    CHECK_CONTAINS(input_message, "line 1");
    CHECK_CONTAINS(input_message, "file:    input (1, 6, 6)\n");
    CHECK_CONTAINS(input_message, "network: input (1, 4, 4)");
}

BOOST_AUTO_TEST_CASE(same_tensors_in_another_network_are_refused) {
    static_assert(max_pool_net::parameter_count == avg_pool_net::parameter_count);
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(max_pool_net(1), file);
    avg_pool_net net(2);
    const bytes before = bits_of(net);
    const std::string message = io_error_of([&] { tn::load_parameters(net, file); }, file);
    CHECK_CONTAINS(message, "file:    1 max_pool 2x2 -> (2, 2, 2)\n");
    CHECK_CONTAINS(message, "network: 1 avg_pool 2x2 -> (2, 2, 2)");
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(file_cut_anywhere_is_reported_as_truncated, T, scalar_types) {
    temp_dir dir;
    const fs::path whole = dir / "whole.tnet", cut = dir / "cut.tnet";
    tn::save_parameters(small_net<T>(1), whole);
    const bytes b = read_all(whole);
    small_net<float> net(2);
    const bytes before = bits_of(net);
    for (const field& f : small_fields(sizeof(T))) {
        for (std::size_t length = f.offset; length < f.offset + f.size; ++length) {
            BOOST_TEST_CONTEXT("file cut to " << length << " of " << b.size() << " bytes") {
                write_all(cut, bytes(b.begin(), b.begin() + std::ptrdiff_t(length)));
                const std::string message = io_error_of([&] { tn::load_parameters(net, cut); }, cut);
                CHECK_CONTAINS(message, "truncated: ");
                CHECK_CONTAINS(message, f.truncated);
                CHECK_CONTAINS(message, fmt::format("at byte {}, but the file ends after {} of them", f.offset,
                                                    length - f.offset));
            }
        }
    }
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE(seed_network_cut_inside_its_largest_tensor) {
    using seed_net = tn::network<tn::input<3, 64, 64>, tn::conv2d<32, tn::kernel<3>>, tn::relu, tn::max_pool<2>,
                                 tn::conv2d<64, tn::kernel<3>>, tn::relu, tn::max_pool<2>, tn::flatten, tn::dense<128>,
                                 tn::relu, tn::dense<10>, tn::softmax>;
    temp_dir dir;
    const fs::path file = dir / "weights.tnet";
    tn::save_parameters(seed_net(1), file);
    bytes b = read_all(file);
    // From the end: the checksum, tensors 9.bias, 9.weight, 7.bias, then 7.weight's values.
    const std::size_t values_start =
        b.size() - 4 - (8 + 6 + 8 + 4 * 10) - (8 + 8 + 16 + 4 * 1280) - (8 + 6 + 8 + 4 * 128) - 4 * 1'605'632;
    b.resize(values_start + 12);
    write_all(file, b);
    seed_net net(2);
    const std::string message = io_error_of([&] { tn::load_parameters(net, file); }, file);
    BOOST_TEST(message == fmt::format("{}: truncated: expected 1605632 float32 values for tensor 7.weight (6422528 bytes) "
                                      "at byte {}, but the file ends after 12 of them",
                                      file.string(), values_start));
}

BOOST_AUTO_TEST_CASE(changed_byte_anywhere_is_an_error) {
    temp_dir dir;
    const fs::path whole = dir / "whole.tnet", changed = dir / "changed.tnet";
    tn::save_parameters(small_net<float>(1), whole);
    const bytes b = read_all(whole);
    small_net<float> net(2);
    const bytes before = bits_of(net);
    for (const field& f : small_fields(sizeof(float))) {
        for (std::size_t at = f.offset; at < f.offset + f.size; ++at) {
            for (std::uint8_t flip : {0x01, 0x80}) {
                BOOST_TEST_CONTEXT("byte " << at << " xor " << int(flip) << " (" << f.truncated << ")") {
                    bytes c = b;
                    c[at] ^= flip;
                    write_all(changed, c);
                    const std::string message = io_error_of([&] { tn::load_parameters(net, changed); }, changed);
                    // A length or count that changes reads as a file of another structure, which
                    // may end too soon; every other byte only the checksum can catch.
                    if (!f.structural) CHECK_CONTAINS(message, "checksum mismatch");
                }
            }
        }
    }
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE(other_files_are_not_parameter_files) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    small_net<float> net(2);
    const bytes before = bits_of(net);

    write_all(file, bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0});
    BOOST_TEST(io_error_of([&] { tn::load_parameters(net, file); }, file) ==
               file.string() + ": not a typenet parameter file: it starts with bytes 89 50 4e 47 0d 0a 1a 0a, not "
                               "\"TYPENET\\0\"");
    write_all(file, bytes{'T', 'Y', 'P', 'O'});
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, file); }, file), "not a typenet parameter file");
    write_all(file, bytes{'T', 'Y', 'P'});
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, file); }, file), "truncated: expected the magic");
    write_all(file, bytes{});
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, file); }, file), "truncated: expected the magic");
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE(other_format_versions_are_refused) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(small_net<float>(1), file);
    bytes b = read_all(file);
    small_net<float> net(2);
    const bytes before = bits_of(net);
    for (std::uint32_t version : {2u, 0u}) {
        // With a valid checksum, so that only the version is wrong.
        write_le(b, 8, version);
        write_le(b, b.size() - 4, crc_of(b, b.size() - 4));
        write_all(file, b);
        const std::string message = io_error_of([&] { tn::load_parameters(net, file); }, file);
        CHECK_CONTAINS(message, fmt::format("format version {} is not supported: this typenet reads version 1", version));
        if (version == 2) CHECK_CONTAINS(message, "written by a newer typenet");
    }
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE(bytes_after_the_checksum_are_an_error) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(small_net<float>(1), file);
    bytes b = read_all(file);
    const std::size_t end = b.size();
    b.push_back(0);
    write_all(file, b);
    small_net<float> net(2);
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, file); }, file),
                   fmt::format("corrupt: the file should end with its checksum, {} bytes, but it has {}", end, end + 1));
}

BOOST_AUTO_TEST_CASE(missing_file_is_an_error) {
    temp_dir dir;
    small_net<float> net(2);
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, dir / "absent.tnet"); }, dir / "absent.tnet"),
                   "cannot open: No such file or directory");
}

BOOST_AUTO_TEST_CASE(saving_into_a_missing_directory_fails_leaving_nothing) {
    temp_dir dir;
    const fs::path file = dir / "absent" / "w.tnet";
    const std::string message = io_error_of([&] { tn::save_parameters(small_net<float>(1), file); }, file);
    CHECK_CONTAINS(message, "cannot create");
    CHECK_CONTAINS(message, "No such file or directory");
    BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(saving_replaces_a_file_whole) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    const small_net<float> first(1), second(2);
    tn::save_parameters(first, file);
    const bytes old_content = read_all(file);
    // A reader that opened the old file keeps reading it whole: saving wrote a new file and
    // renamed it, it did not write over the old one.
    std::ifstream reader(file, std::ios::binary);
    tn::save_parameters(second, file);
    BOOST_TEST(bytes(std::istreambuf_iterator<char>(reader), std::istreambuf_iterator<char>()) == old_content);
    small_net<float> loaded(3);
    tn::load_parameters(loaded, file);
    BOOST_TEST(bits_of(loaded) == bits_of(second));
    BOOST_TEST(dir.entries() == std::vector<std::string>{"w.tnet"});
}

BOOST_AUTO_TEST_CASE(save_failing_halfway_keeps_the_old_file) {
    // A file size limit makes write() fail with EFBIG partway through the new file. Unlike
    // a read-only directory (below), it works as root too.
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(small_net<float>(1), file);
    const bytes old_content = read_all(file);
    rlimit saved_limit{};
    BOOST_REQUIRE(getrlimit(RLIMIT_FSIZE, &saved_limit) == 0);
    rlimit small_limit = saved_limit;
    small_limit.rlim_cur = 100;
    BOOST_REQUIRE(small_limit.rlim_cur <= small_limit.rlim_max);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // else exceeding the limit ends the process
    BOOST_REQUIRE(setrlimit(RLIMIT_FSIZE, &small_limit) == 0);
    std::string message;
    try {
        tn::save_parameters(small_net<float>(2), file);
    } catch (const tn::io_error& e) {
        message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved_limit);
    std::signal(SIGXFSZ, old_handler);

    BOOST_TEST_MESSAGE(message);
    CHECK_CONTAINS(message, file.string() + ": cannot save: cannot write");
    CHECK_CONTAINS(message, "File too large");
    BOOST_TEST(read_all(file) == old_content);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"w.tnet"});
}

// Root writes into a read-only directory all the same: as root there is nothing to test
// here, and save_failing_halfway_keeps_the_old_file covers a failed save for everyone.
struct not_root {
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
        boost::test_tools::assertion_result result(geteuid() != 0);
        result.message() << "running as root, which ignores the directory's permissions";
        return result;
    }
};

BOOST_AUTO_TEST_CASE(save_into_a_read_only_directory_keeps_the_old_file, *boost::unit_test::precondition(not_root{})) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    tn::save_parameters(small_net<float>(1), file);
    const bytes old_content = read_all(file);
    fs::permissions(dir.path(), fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    const std::string message = io_error_of([&] { tn::save_parameters(small_net<float>(2), file); }, file);
    fs::permissions(dir.path(), fs::perms::owner_write, fs::perm_options::add);
    CHECK_CONTAINS(message, "Permission denied");
    BOOST_TEST(read_all(file) == old_content);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"w.tnet"});
}

// A pipe or a device is read no further than the largest parameter file of the network
// (its values in float64), never without end (it used to grow its buffer until memory ran
// out).
BOOST_AUTO_TEST_CASE(endless_stream_is_read_no_further_than_the_largest_file_of_the_network) {
    temp_dir dir;
    tn::save_parameters(small_net<float>(1), dir / "w.tnet");
    small_net<float> net(2);
    const bytes before = bits_of(net);
    const std::size_t largest = end_of(small_fields(sizeof(double)));
    tn::testing::pipe_writer pipe(dir / "endless.tnet", read_all(dir / "w.tnet"), bytes(1 << 16, 0),
                                  std::size_t{256} << 20);
    // Each message is kept: a second look would read the pipe again.
    const std::string message = io_error_of([&] { tn::load_parameters(net, pipe.path()); }, pipe.path());
    CHECK_CONTAINS(message, fmt::format("too long: a parameter file of this network has at most {} bytes (float64 values), "
                               "this one has more (read no further)",
                               largest));
    BOOST_TEST(pipe.written() <= largest + 1 + (1u << 16));

    // A longer file of another network is named as such.
    tn::testing::pipe_writer other(dir / "other.tnet", read_all(dir / "w.tnet"), bytes(1 << 16, 0),
                                   std::size_t{256} << 20);
    wider_net wider(2);
    const std::string other_message = io_error_of([&] { tn::load_parameters(wider, other.path()); }, other.path());
    CHECK_CONTAINS(other_message, "saved from a different network");

    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, "/dev/zero"); }, "/dev/zero"),
                   "not a typenet parameter file: it starts with bytes 00 00 00 00 00 00 00 00");
    BOOST_TEST(bits_of(net) == before);
}

// Saves small_net<From> with `value` as its parameter `index`, and loads it into
// small_net<To>: refused, naming the tensor and the element, unless allowed.
template <class From, class To>
std::string load_with(From value, std::size_t index, To expected_when_allowed, const std::string& expected_error) {
    temp_dir dir;
    const fs::path file = dir / "w.tnet";
    small_net<From> saved(1);
    saved.parameters()[index] = value;
    tn::save_parameters(saved, file);
    small_net<To> net(2);
    const bytes before = bits_of(net);
    const std::string message = io_error_of([&] { tn::load_parameters(net, file); }, file);
    CHECK_CONTAINS(message, expected_error);
    BOOST_TEST(bits_of(net) == before);
    tn::load_parameters(net, file, {.allow_non_finite = true});
    if (std::isnan(expected_when_allowed))
        BOOST_TEST(std::isnan(net.parameters()[index]));
    else
        BOOST_TEST(net.parameters()[index] == expected_when_allowed);
    return message;
}

BOOST_AUTO_TEST_CASE(non_finite_values_are_refused_naming_the_tensor_and_the_element) {
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    // Tensor 2.1.weight, (3, 8), starts at parameter 20: parameter 33 is its element 13, (1, 5).
    load_with<float, float>(nan, 33, nan,
                            "non-finite value: tensor 2.1.weight holds nan at index 13 (1, 5) of its (3, 8); "
                            "load_options{.allow_non_finite = true} loads it as it is");
    load_with<float, float>(-inf, 0, -inf, "non-finite value: tensor 0.weight holds -inf at index 0 (0, 0, 0, 0)");
    load_with<double, float>(double(inf), 19, inf, "tensor 0.bias holds inf at index 1 (1) of its (2)");
    load_with<float, double>(nan, 46, double(nan), "tensor 2.1.bias holds nan at index 2 (2) of its (3)");
}

BOOST_AUTO_TEST_CASE(float64_values_beyond_float_range_are_refused_in_a_float_network) {
    const float inf = std::numeric_limits<float>::infinity();
    // Tensor 0.weight, (2, 1, 3, 3): parameter 10 is its element (1, 0, 0, 1).
    load_with<double, float>(1e300, 10, inf,
                             "value out of range: tensor 0.weight holds 1e+300, beyond float32's largest "
                             "3.4028235e+38, at index 10 (1, 0, 0, 1) of its (2, 1, 3, 3); "
                             "load_options{.allow_non_finite = true} loads it as an infinity");
    load_with<double, float>(-1e39, 20, -inf, "value out of range: tensor 2.1.weight holds -1e+39");
    // In range: the largest float and a double that rounds to it load as they are.
    temp_dir dir;
    small_net<double> saved(1);
    saved.parameters()[3] = double(std::numeric_limits<float>::max());
    saved.parameters()[4] = -double(std::numeric_limits<float>::max());
    tn::save_parameters(saved, dir / "w.tnet");
    small_net<float> net(2);
    tn::load_parameters(net, dir / "w.tnet");
    BOOST_TEST(net.parameters()[3] == std::numeric_limits<float>::max());
    BOOST_TEST(net.parameters()[4] == std::numeric_limits<float>::lowest());
    // A double network takes 1e300 as it is.
    saved.parameters()[5] = 1e300;
    tn::save_parameters(saved, dir / "w.tnet");
    small_net<double> wide(2);
    tn::load_parameters(wide, dir / "w.tnet");
    BOOST_TEST(wide.parameters()[5] == 1e300);
}

// Saving to "" used to create ".tmp-PID-N" in the current directory, then fail to rename
// it with a message naming no file.
BOOST_AUTO_TEST_CASE(saving_to_an_empty_path_or_a_directory_fails_leaving_nothing) {
    temp_dir dir;
    const fs::path working = fs::current_path();
    fs::current_path(dir.path());
    std::string empty_message;
    try {
        tn::save_parameters(small_net<float>(1), "");
    } catch (const tn::io_error& e) {
        empty_message = e.what();
    }
    const std::vector<std::string> left = dir.entries();
    fs::current_path(working);
    BOOST_TEST(empty_message == "\"\" (an empty path): cannot save: the path is empty, it names no file");
    BOOST_TEST(left.empty());

    fs::create_directory(dir / "sub");
    for (const fs::path& directory : {dir / "sub", dir.path() / "sub" / ""}) {
        CHECK_CONTAINS(io_error_of([&] { tn::save_parameters(small_net<float>(1), directory); }, directory),
                       "cannot save: the path names a directory, not a file");
        BOOST_TEST(fs::is_empty(dir / "sub"));
    }
    BOOST_TEST(dir.entries() == std::vector<std::string>{"sub"});
    small_net<float> net(2);
    CHECK_CONTAINS(io_error_of([&] { tn::load_parameters(net, ""); }, "\"\" (an empty path)"), "cannot open");
}
