/// Defines `typenet::plot::write_training_curves`: the loss and accuracy of a training run,
/// epoch by epoch, drawn by PLplot as an SVG or PNG file.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <plplot.h>

#include <typenet/detail/path_text.hpp>
#include <typenet/plot/detail/plplot_page.hpp>
#include <typenet/serialize.hpp>
#include <typenet/train.hpp>

namespace typenet::plot {

/// How `write_training_curves` draws.
struct training_curves_options {
    std::string title = "Training";  ///< above both panels; empty: none
    /// The legend's name for `test_loss` and `test_accuracy`: "validation" when they are.
    std::string held_out_name = "test";
    unsigned width = 1000, height = 450;  ///< in pixels (an SVG file's, in points), at most 32767
};

namespace detail {

// The page's colours, by their index in `palette`.
enum colour : PLINT { background, ink, grid, train_colour, held_out_colour };
// White, black, light grey, then blue and orange: told apart with colour blindness too.
inline constexpr rgb palette[] = {{255, 255, 255}, {0, 0, 0}, {210, 210, 210}, {31, 119, 180}, {255, 127, 14}};

// The largest side cairo draws (it writes an empty PNG file beyond); 0 would be PLplot's
// default size.
inline constexpr unsigned largest_side = 32767;

// Where the panels are, in fractions of the page: room on the left of each for its figures
// and name, above for the title, below for the epochs.
inline constexpr double loss_left = 0.09, loss_right = 0.48, accuracy_left = 0.59, accuracy_right = 0.98,
                        panel_bottom = 0.14, panel_top = 0.86;

inline constexpr double curve_width = 2.5;

// The PLplot device that writes the format of `file`, told by its extension.
inline const char* device_for(const std::filesystem::path& file) {
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (extension == ".svg") return "svg";
    if (extension == ".png") return "pngcairo";
    const std::string shown = extension.empty() ? "(none)" : fmt::format("'{}'", file.extension().string());
    throw std::invalid_argument(fmt::format(
        "write_training_curves: {}: cannot tell the format from the extension {}: write a .svg or .png file",
        typenet::detail::path_text(file), shown));
}

// The figures of one panel, and the name of its y axis.
struct panel {
    const char* name = "";  // the y axis
    std::vector<double> train = {}, held_out = {};
};

// [low, high] around the panel's figures with a margin, never empty.
inline std::pair<double, double> range_of(const panel& p) {
    const auto [train_low, train_high] = std::minmax_element(p.train.begin(), p.train.end());
    const auto [held_low, held_high] = std::minmax_element(p.held_out.begin(), p.held_out.end());
    const double low = std::min(*train_low, *held_low), high = std::max(*train_high, *held_high);
    const double margin = high > low ? 0.05 * (high - low) : std::max(0.05 * std::abs(low), 0.01);
    return {low - margin, high + margin};
}

// Ticks on whole epochs, about eight of them at most: 1, 2, 5, 10, 20, ... apart.
inline double epoch_tick(double epochs) {
    for (double step = 1;; step *= 10)
        for (double factor : {1.0, 2.0, 5.0})
            if (epochs / (step * factor) <= 8) return step * factor;
}

// Draws `p` against `epochs` between `left` and `right` (fractions of the page), with a
// legend at `legend_position`.
inline void draw_panel(const panel& p, std::span<const double> epochs, double left, double right,
                       PLINT legend_position, const training_curves_options& options) {
    const double first = epochs.front(), last = epochs.back();
    const double x_margin = last > first ? 0.02 * (last - first) : 1;  // room for the dots; one epoch: in the middle
    const auto [low, high] = range_of(p);
    plvpor(left, right, panel_bottom, panel_top);
    plwind(first - x_margin, last + x_margin, low, high);
    const double tick = epoch_tick(last - first);
    plcol0(grid);
    plbox("g", tick, 0, "g", 0, 0);
    plcol0(ink);
    plbox("bcnst", tick, 0, "bcnstv", 0, 0);
    plmtex("b", 3.0, 0.5, 0.5, "epoch");
    plmtex("l", 4.5, 0.5, 0.5, p.name);  // beyond the figures, written across the axis
    const int n = static_cast<int>(epochs.size());
    plwidth(curve_width);
    plssym(0, 1.5);
    for (const auto& [values, colour] : {std::pair{&p.train, train_colour}, {&p.held_out, held_out_colour}}) {
        plcol0(colour);
        plline(n, epochs.data(), values->data());
        plpoin(n, epochs.data(), values->data(), 17);  // a dot per epoch: one epoch makes no line
    }

    const PLINT entry_options[] = {PL_LEGEND_LINE, PL_LEGEND_LINE};
    const char* texts[] = {"train", options.held_out_name.c_str()};
    const PLINT text_colours[] = {ink, ink}, line_colours[] = {train_colour, held_out_colour}, line_styles[] = {1, 1};
    const PLFLT line_widths[] = {curve_width, curve_width};
    PLFLT legend_width = 0, legend_height = 0;
    // 0.03 in from the corner; lines 0.07 of the panel long; the background, a solid frame in
    // ink; one column of 2 entries; texts 0.6 after the lines, full size, 2 apart, left-aligned.
    pllegend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, legend_position, 0.03, 0.03,
             0.07, background, ink, 1, 0, 0, 2, entry_options, 0.6, 1.0, 2.0, 0, text_colours, texts, nullptr, nullptr,
             nullptr, nullptr, line_colours, line_styles, line_widths, nullptr, nullptr, nullptr, nullptr);
    plwidth(1);  // the next panel's frame
}

}  // namespace detail

/// Draws the loss and the accuracy of a training run, train and held-out (test or
/// validation) against the epoch, side by side, into `file`: SVG or PNG by its extension.
/// The file is replaced atomically: if writing fails it keeps its old content (or stays
/// absent), and `io_error` names it. Throws `std::invalid_argument` for another extension,
/// no reports, a figure that is not finite or a size it cannot draw, and `plplot_error` if
/// PLplot cannot draw. Prints nothing. Threads take turns; other PLplot drawing in the
/// program must not run meanwhile (PLplot's current stream and error handlers are global).
///
///     const auto reports = trainer.fit(train_set, test_set, {.epochs = 5});
///     typenet::plot::write_training_curves(reports, "training.svg", {.title = "LeNet-5"});
inline void write_training_curves(std::span<const epoch_report> reports, const std::filesystem::path& file,
                                  const training_curves_options& options = {}) {
    const char* device = detail::device_for(file);
    if (reports.empty())
        throw std::invalid_argument(fmt::format("write_training_curves: {}: no epoch reports to plot",
                                                typenet::detail::path_text(file)));
    for (unsigned side : {options.width, options.height})
        if (side == 0 || side > detail::largest_side)
            throw std::invalid_argument(fmt::format(
                "write_training_curves: {}: cannot draw {} × {} pixels: the width and height must be from 1 to {}",
                typenet::detail::path_text(file), options.width, options.height, detail::largest_side));
    std::vector<double> epochs;
    detail::panel loss{.name = "loss"}, accuracy{.name = "accuracy"};
    for (const epoch_report& r : reports) {
        for (const auto& [name, value] : {std::pair{"train_loss", r.train_loss}, {"test_loss", r.test_loss},
                                          {"train_accuracy", r.train_accuracy}, {"test_accuracy", r.test_accuracy}})
            if (!std::isfinite(value))
                throw std::invalid_argument(fmt::format("write_training_curves: {}: the {} of epoch {} is {}, not a "
                                                        "number that can be plotted",
                                                        typenet::detail::path_text(file), name, r.epoch + 1, value));
        epochs.push_back(double(r.epoch + 1));  // counted from 1, as the progress display and the CSV log do
        loss.train.push_back(r.train_loss);
        loss.held_out.push_back(r.test_loss);
        accuracy.train.push_back(r.train_accuracy);
        accuracy.held_out.push_back(r.test_accuracy);
    }

    detail::plplot_page page(device, options.width, options.height, detail::palette);
    pladv(0);
    plschr(0, 1.1);
    // Each legend where its curves usually are not: above a falling loss, below a rising accuracy.
    detail::draw_panel(loss, epochs, detail::loss_left, detail::loss_right,
                       PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE, options);
    detail::draw_panel(accuracy, epochs, detail::accuracy_left, detail::accuracy_right,
                       PL_POSITION_BOTTOM | PL_POSITION_RIGHT | PL_POSITION_INSIDE, options);
    if (!options.title.empty()) {
        plvpor(detail::loss_left, detail::accuracy_right, detail::panel_bottom, detail::panel_top);
        plcol0(detail::ink);
        plmtex("t", 2.0, 0.5, 0.5, options.title.c_str());
    }
    const std::vector<std::uint8_t> bytes = page.bytes();
    typenet::detail::write_file_atomically(file, bytes);
}

}  // namespace typenet::plot
