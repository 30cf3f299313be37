// Tests typenet/plot/training_curves.hpp on a fixed run of four epochs: the SVG read back
// (its nesting, its texts, each curve's points against the figures), the PNG read back (its
// header, and pixels of the curves' colours), silence, and the errors, which leave no file.
#define BOOST_TEST_MODULE training_curves
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <typeinfo>
#include <vector>

#include <boost/core/demangle.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <typenet/plot/training_curves.hpp>

#include "../support/temp_dir.hpp"

using typenet::epoch_report;
using typenet::plot::write_training_curves;
using typenet::testing::bytes;
using typenet::testing::read_all;
using typenet::testing::temp_dir;
namespace plot_detail = typenet::plot::detail;
namespace tt = boost::test_tools;

namespace {

// Counted from 0, as trainer::fit counts them; the plot counts from 1.
const std::vector<epoch_report> four_epochs = {
    {.epoch = 0, .train_loss = 0.80, .train_accuracy = 0.70, .test_loss = 0.60, .test_accuracy = 0.78},
    {.epoch = 1, .train_loss = 0.50, .train_accuracy = 0.82, .test_loss = 0.45, .test_accuracy = 0.84},
    {.epoch = 2, .train_loss = 0.40, .train_accuracy = 0.86, .test_loss = 0.42, .test_accuracy = 0.85},
    {.epoch = 3, .train_loss = 0.30, .train_accuracy = 0.90, .test_loss = 0.41, .test_accuracy = 0.86},
};

const typenet::plot::training_curves_options options{
    .title = "A run to plot", .held_out_name = "validation", .width = 640, .height = 360};

// --- SVG, read as text: PLplot's svg device writes one <polyline> per line and one <text>
// per string, each character as a reference such as &#x61;.

// The first problem with the nesting of the tags of `svg`, or "" if they nest: short of an
// XML parser, what a file cut short or a tag left open would break.
std::string nesting_problem(std::string_view svg) {
    std::vector<std::string_view> open;
    for (std::size_t at = svg.find('<'); at != std::string_view::npos; at = svg.find('<', at)) {
        const std::size_t end = svg.find('>', at);
        if (end == std::string_view::npos) return fmt::format("the tag at byte {} never ends", at);
        const std::string_view tag = svg.substr(at + 1, end - at - 1);
        at = end;
        if (tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/')) continue;
        if (tag.starts_with('/')) {
            const std::string_view name = tag.substr(1);
            if (open.empty() || open.back() != name)
                return fmt::format("</{}> closes <{}>", name, open.empty() ? "nothing" : open.back());
            open.pop_back();
        } else {
            open.push_back(tag.substr(0, tag.find_first_of(" \n\t")));
        }
    }
    return open.empty() ? "" : fmt::format("<{}> is never closed", open.back());
}

// What each <text> element says, its character references decoded.
std::vector<std::string> texts(std::string_view svg) {
    std::vector<std::string> found;
    for (std::size_t at = svg.find("<text"); at != std::string_view::npos; at = svg.find("<text", at)) {
        const std::size_t end = svg.find("</text>", at);
        BOOST_TEST_REQUIRE(end != std::string_view::npos);
        std::string said;
        bool in_tag = true;  // from "<text" to its '>'
        for (std::size_t i = at; i < end; ++i) {
            if (svg[i] == '<' || svg[i] == '>') {
                in_tag = svg[i] == '<';
            } else if (!in_tag && svg.substr(i).starts_with("&#x")) {
                const std::size_t semicolon = svg.find(';', i);
                said += char(std::stoi(std::string(svg.substr(i + 3, semicolon - i - 3)), nullptr, 16));
                i = semicolon;
            } else if (!in_tag) {
                said += svg[i];
            }
        }
        found.push_back(said);
        at = end;
    }
    return found;
}

struct point {
    double x, y;
};

// The points of each <polyline> drawn in `colour`, in the order of the file.
std::vector<std::vector<point>> polylines(std::string_view svg, plot_detail::rgb colour) {
    const std::string stroke = fmt::format("stroke=\"#{:02X}{:02X}{:02X}\"", colour.red, colour.green, colour.blue);
    std::vector<std::vector<point>> lines;
    for (std::size_t at = svg.find("<polyline"); at != std::string_view::npos; at = svg.find("<polyline", at + 1)) {
        const std::string_view element = svg.substr(at, svg.find("/>", at) - at);
        if (element.find(stroke) == std::string_view::npos) continue;
        const std::size_t from = element.find("points=\"") + 8;
        std::string list(element.substr(from, element.find('"', from) - from));
        std::vector<point> line;
        point p{};
        for (const char* c = list.c_str(); std::sscanf(c, "%lf,%lf", &p.x, &p.y) == 2;) {
            line.push_back(p);
            c = std::strchr(c, ' ');
            if (!c) break;
            ++c;
        }
        lines.push_back(line);
    }
    return lines;
}

// Checks that `line` draws `figures` against evenly spaced epochs: the distances between
// its points, relative to the first and last, are those between the figures (whatever
// the scale and the direction of the page's y axis).
void check_curve(const std::vector<point>& line, const std::vector<double>& figures) {
    BOOST_TEST_REQUIRE(line.size() == figures.size());
    const std::size_t last = line.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) {
        BOOST_TEST((line[i].x - line[0].x) / (line[last].x - line[0].x) == double(i) / double(last),
                   tt::tolerance(1e-3));
        BOOST_TEST((line[i].y - line[0].y) / (line[last].y - line[0].y) ==
                       (figures[i] - figures[0]) / (figures[last] - figures[0]),
                   tt::tolerance(1e-3));
    }
}

std::vector<double> figures(double epoch_report::*field) {
    std::vector<double> values;
    for (const epoch_report& r : four_epochs) values.push_back(r.*field);
    return values;
}

std::string read_text(const std::filesystem::path& file) {
    const bytes content = read_all(file);
    return std::string(content.begin(), content.end());
}

// --- PNG, decoded: the header and the pixels, for files of 8-bit RGB or RGBA, not
// interlaced (what cairo writes).

std::uint32_t big_endian(const bytes& b, std::size_t at) {
    return std::uint32_t(b[at]) << 24 | std::uint32_t(b[at + 1]) << 16 | std::uint32_t(b[at + 2]) << 8 | b[at + 3];
}

struct png_image {
    std::uint32_t width = 0, height = 0, channels = 0;
    bytes pixels = {};  // rows of width × channels bytes
};

png_image decode_png(const bytes& file) {
    const bytes signature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    BOOST_TEST_REQUIRE(file.size() > 33u);
    BOOST_TEST_REQUIRE((bytes(file.begin(), file.begin() + 8) == signature));
    BOOST_TEST_REQUIRE(std::string(file.begin() + 12, file.begin() + 16) == "IHDR");
    png_image image{.width = big_endian(file, 16), .height = big_endian(file, 20)};
    const std::uint8_t depth = file[24], colour_type = file[25], interlace = file[28];
    BOOST_TEST_REQUIRE(depth == 8);
    BOOST_TEST_REQUIRE((colour_type == 2 || colour_type == 6));  // RGB, RGBA
    BOOST_TEST_REQUIRE(interlace == 0);
    image.channels = colour_type == 2 ? 3 : 4;
    bytes compressed;
    std::size_t at = 8;
    std::string type;
    do {  // the chunks, to IEND: a file cut short fails here
        BOOST_TEST_REQUIRE(at + 12 <= file.size());
        const std::uint32_t length = big_endian(file, at);
        type.assign(file.begin() + long(at) + 4, file.begin() + long(at) + 8);
        BOOST_TEST_REQUIRE(at + 12 + length <= file.size());
        if (type == "IDAT")
            compressed.insert(compressed.end(), file.begin() + long(at + 8), file.begin() + long(at + 8 + length));
        at += 12 + length;
    } while (type != "IEND");
    const std::size_t stride = std::size_t(image.width) * image.channels;
    bytes filtered((stride + 1) * image.height);
    uLongf size = filtered.size();
    BOOST_TEST_REQUIRE(uncompress(filtered.data(), &size, compressed.data(), compressed.size()) == Z_OK);
    BOOST_TEST_REQUIRE(size == filtered.size());
    // Undo each row's filter (PNG specification, section 9).
    image.pixels.resize(stride * image.height);
    for (std::size_t row = 0; row < image.height; ++row) {
        const std::uint8_t filter = filtered[row * (stride + 1)];
        BOOST_TEST_REQUIRE(filter <= 4);
        const std::uint8_t* in = &filtered[row * (stride + 1) + 1];
        std::uint8_t* out = &image.pixels[row * stride];
        const std::uint8_t* above = row > 0 ? out - stride : nullptr;
        for (std::size_t i = 0; i < stride; ++i) {
            const int a = i >= image.channels ? out[i - image.channels] : 0, b = above ? above[i] : 0,
                      c = above && i >= image.channels ? above[i - image.channels] : 0;
            const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
            const int predicted = filter == 0 ? 0
                                  : filter == 1 ? a
                                  : filter == 2 ? b
                                  : filter == 3 ? (a + b) / 2
                                  : pa <= pb && pa <= pc ? a
                                  : pb <= pc ? b
                                             : c;
            out[i] = std::uint8_t(in[i] + predicted);
        }
    }
    return image;
}

// How many pixels of `image` are `colour` (within what antialiasing leaves of a line's middle).
std::size_t pixels_of(const png_image& image, plot_detail::rgb colour) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < image.pixels.size(); i += image.channels)
        if (std::abs(image.pixels[i] - colour.red) <= 8 && std::abs(image.pixels[i + 1] - colour.green) <= 8 &&
            std::abs(image.pixels[i + 2] - colour.blue) <= 8)
            ++count;
    return count;
}

// --- Errors and output.

// Runs `write`, which must throw `Error` with every one of `parts` in its message.
template <class Error, class Write>
void check_error(Write&& write, std::initializer_list<std::string_view> parts) {
    std::string message;
    try {
        write();
    } catch (const Error& e) {
        message = e.what();
    }
    BOOST_REQUIRE_MESSAGE(!message.empty(), "no " << boost::core::demangle(typeid(Error).name()) << " thrown");
    BOOST_TEST_MESSAGE(message);
    for (std::string_view part : parts)
        BOOST_CHECK_MESSAGE(message.find(part) != std::string::npos,
                            "the message lacks \"" << part << "\": " << message);
}

// What `write` prints to stdout and stderr, sent to a file meanwhile.
template <class Write>
std::string printed_by(Write&& write) {
    const temp_dir dir;
    const std::filesystem::path sink_file = dir / "printed";
    std::fflush(nullptr);
    const int saved_out = ::dup(1), saved_err = ::dup(2);
    const int sink = ::open(sink_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    BOOST_TEST_REQUIRE((saved_out >= 0 && saved_err >= 0 && sink >= 0));
    ::dup2(sink, 1);
    ::dup2(sink, 2);
    ::close(sink);
    const auto restore = [&] {
        std::fflush(nullptr);
        ::dup2(saved_out, 1);
        ::dup2(saved_err, 2);
        ::close(saved_out);
        ::close(saved_err);
    };
    try {
        write();
    } catch (...) {
        restore();
        throw;
    }
    restore();
    return read_text(sink_file);
}

}  // namespace

BOOST_AUTO_TEST_CASE(svg_tags_nest_and_its_texts_name_everything) {
    const temp_dir dir;
    write_training_curves(four_epochs, dir / "run.svg", options);
    const std::string svg = read_text(dir / "run.svg");
    BOOST_TEST(svg.starts_with("<?xml"));
    BOOST_TEST(svg.find("<svg") != std::string::npos);
    BOOST_TEST(nesting_problem(svg) == "");
    BOOST_TEST(svg.find(fmt::format("viewBox=\"0 0 {} {}\"", options.width, options.height)) != std::string::npos);
    const std::vector<std::string> said = texts(svg);
    const auto times = [&](std::string_view text) { return std::count(said.begin(), said.end(), text); };
    BOOST_TEST(times("A run to plot") == 1);
    BOOST_TEST(times("loss") == 1);
    BOOST_TEST(times("accuracy") == 1);
    BOOST_TEST(times("epoch") == 2);       // under each panel
    BOOST_TEST(times("train") == 2);       // in each legend
    BOOST_TEST(times("validation") == 2);  // options.held_out_name
    BOOST_TEST(times("test") == 0);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"run.svg"});  // no temporary file left
}

BOOST_AUTO_TEST_CASE(svg_curves_draw_the_figures_loss_left_accuracy_right) {
    const temp_dir dir;
    write_training_curves(four_epochs, dir / "run.svg", options);
    const std::string svg = read_text(dir / "run.svg");
    for (const auto& [colour, loss, accuracy] :
         {std::tuple{plot_detail::train_colour, &epoch_report::train_loss, &epoch_report::train_accuracy},
          {plot_detail::held_out_colour, &epoch_report::test_loss, &epoch_report::test_accuracy}}) {
        // The curves (four points) and the legends' samples (two) are in the curve's colour.
        std::vector<std::vector<point>> curves;
        for (const auto& line : polylines(svg, plot_detail::palette[colour]))
            if (line.size() != 2) curves.push_back(line);
        BOOST_TEST_REQUIRE(curves.size() == 2u);
        check_curve(curves[0], figures(loss));
        check_curve(curves[1], figures(accuracy));
        BOOST_TEST(curves[0].back().x < options.width / 2.0);
        BOOST_TEST(curves[1].front().x > options.width / 2.0);
    }
}

BOOST_AUTO_TEST_CASE(png_has_the_size_asked_for_and_the_curves) {
    const temp_dir dir;
    write_training_curves(four_epochs, dir / "run.png", options);
    const png_image image = decode_png(read_all(dir / "run.png"));
    BOOST_TEST(image.width == options.width);
    BOOST_TEST(image.height == options.height);
    // Two curves of three segments, some 100 pixels long and 2 wide, in each colour.
    BOOST_TEST(pixels_of(image, plot_detail::palette[plot_detail::train_colour]) > 500u);
    BOOST_TEST(pixels_of(image, plot_detail::palette[plot_detail::held_out_colour]) > 500u);
    BOOST_TEST(pixels_of(image, plot_detail::palette[plot_detail::background]) > image.width * image.height / 2);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"run.png"});
}

BOOST_AUTO_TEST_CASE(the_extension_is_read_whatever_its_case) {
    const temp_dir dir;
    write_training_curves(four_epochs, dir / "run.SVG", options);
    BOOST_TEST(read_text(dir / "run.SVG").starts_with("<?xml"));
}

BOOST_AUTO_TEST_CASE(one_epoch_is_drawn) {
    const temp_dir dir;
    write_training_curves(std::span(four_epochs).first(1), dir / "run.svg", options);
    BOOST_TEST(nesting_problem(read_text(dir / "run.svg")) == "");
}

BOOST_AUTO_TEST_CASE(prints_nothing) {
    const temp_dir dir;
    BOOST_TEST(printed_by([&] {
                   write_training_curves(four_epochs, dir / "run.svg", options);
                   write_training_curves(four_epochs, dir / "run.png", options);
               }) == "");
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_file) {
    const temp_dir dir;
    const auto file = dir.write("run.svg", bytes{'o', 'l', 'd'});
    write_training_curves(four_epochs, file, options);
    BOOST_TEST(read_text(file).starts_with("<?xml"));
    BOOST_TEST(dir.entries() == std::vector<std::string>{"run.svg"});
}

BOOST_AUTO_TEST_CASE(refuses_an_extension_it_cannot_write) {
    const temp_dir dir;
    check_error<std::invalid_argument>([&] { write_training_curves(four_epochs, dir / "run.jpg", options); },
                                       {"run.jpg", "'.jpg'", ".svg", ".png"});
    check_error<std::invalid_argument>([&] { write_training_curves(four_epochs, dir / "run", options); },
                                       {"run", "(none)", ".svg", ".png"});
    BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(refuses_no_reports_and_keeps_the_old_file) {
    const temp_dir dir;
    const auto file = dir.write("run.svg", bytes{'o', 'l', 'd'});
    check_error<std::invalid_argument>([&] { write_training_curves({}, file, options); },
                                       {"run.svg", "no epoch reports"});
    BOOST_TEST(read_text(file) == "old");
    BOOST_TEST(dir.entries() == std::vector<std::string>{"run.svg"});
}

BOOST_AUTO_TEST_CASE(refuses_a_figure_that_is_not_finite) {
    const temp_dir dir;
    std::vector<epoch_report> diverged = four_epochs;
    diverged[2].test_loss = std::numeric_limits<double>::infinity();
    check_error<std::invalid_argument>([&] { write_training_curves(diverged, dir / "run.svg", options); },
                                       {"run.svg", "test_loss of epoch 3", "inf"});
    BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(names_a_file_it_cannot_write_and_leaves_nothing) {
    const temp_dir dir;
    const auto missing = dir / "no such folder" / "run.png";
    check_error<typenet::io_error>([&] { write_training_curves(four_epochs, missing, options); },
                                   {missing.string(), "No such file or directory"});
    std::filesystem::create_directory(dir / "a folder.svg");
    check_error<typenet::io_error>([&] { write_training_curves(four_epochs, dir / "a folder.svg", options); },
                                   {"a folder.svg", "directory"});
    BOOST_TEST(dir.entries() == std::vector<std::string>{"a folder.svg"});
    BOOST_TEST(std::filesystem::is_empty(dir / "a folder.svg"));
}

BOOST_AUTO_TEST_CASE(refuses_a_size_it_cannot_draw) {
    const temp_dir dir;
    for (const auto& size : {std::pair{0u, 360u}, {640u, 0u}, {40000u, 360u}})
        check_error<std::invalid_argument>(
            [&] { write_training_curves(four_epochs, dir / "run.png", {.width = size.first, .height = size.second}); },
            {"run.png", fmt::format("{} × {} pixels", size.first, size.second), "from 1 to 32767"});
    BOOST_TEST(dir.entries().empty());
}
