/// Defines `typenet::onnx::type_declaration`: the C++ declaration of the typenet network
/// an ONNX model describes, to start from a file. `typenet::onnx::load` then loads that
/// same file into it (examples/onnx_to_type.cpp prints it).
///
///     fmt::print("{}", typenet::onnx::type_declaration("resnet18.onnx", "resnet18"));
///
/// gives, with a comment naming the node of each layer,
///
///     using resnet18 = tn::network<tn::input<3, 224, 224>,
///         tn::conv2d<64, tn::kernel<7>, tn::stride<2>, tn::pad<3>>,  // #0 /conv1/Conv
///         tn::relu,                                                  // #1 /relu/Relu
///         ...
///         tn::residual<tn::sequential<
///             tn::conv2d<64, tn::kernel<3>, tn::pad<1>>, ...>>, ...>;
///
/// A value read by several nodes starts a block: its branches run to one Add (a
/// `residual`, the identity where the input itself is added) or one Concat along the
/// channels (a `concat`). A batch norm the exporter folded into a convolution is that
/// convolution with its bias: the outputs are the same.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <typenet/detail/window.hpp>
#include <typenet/onnx/detail/graph.hpp>
#include <typenet/onnx/model_file.hpp>

namespace typenet::onnx {

namespace detail {

/// A layer or a block, spelled in C++.
struct spelled_layer {
    std::string text;                 // a layer: "tn::relu"; a block: "tn::residual"
    std::vector<spelled_layer> inside;  // a block's branches; a branch of several layers is a sequential
    std::string comment;              // the node it comes from
};

/// "1, 2" of the dimensions, or "2" when they are all the same.
inline std::string values_text(const std::vector<std::int64_t>& v) {
    if (std::all_of(v.begin(), v.end(), [&](std::int64_t x) { return x == v.front(); }))
        return std::to_string(v.front());
    return fmt::format("{}", fmt::join(v, ", "));
}

/// The values of a `pad<…>` option (or a zero_pad layer) for pads in ONNX's order (the
/// spatial begins, then the ends): one for all, (height, width), or (top, bottom, left, right).
inline std::string padding_text(const std::vector<std::int64_t>& pads) {
    const std::size_t spatial = pads.size() / 2;
    const std::vector<std::int64_t> begins(pads.begin(), pads.begin() + long(spatial));
    if (spatial == 1 || !std::equal(begins.begin(), begins.end(), pads.begin() + long(spatial)))
        return spatial == 1 ? values_text(pads) : [&] {  // before and after, axis by axis
            std::vector<std::int64_t> pairs;
            for (std::size_t i = 0; i < spatial; ++i) pairs.insert(pairs.end(), {pads[i], pads[spatial + i]});
            return fmt::format("{}", fmt::join(pairs, ", "));
        }();
    return values_text(begins);
}

/// `x` as a fraction N, D with D a power of ten up to 10^6: eps<1, 1000>.
inline std::string fraction_text(double x) {
    for (long d = 1; d <= 1'000'000; d *= 10)
        if (std::abs(x * double(d) - std::round(x * double(d))) < 1e-6 * x * double(d))
            return fmt::format("{}, {}", std::lround(x * double(d)), d);
    return fmt::format("{}, 1000000", std::lround(x * 1e6));
}

/// Walks an ONNX graph from its input and spells each node as a typenet layer, keeping
/// one sample's shape as it goes (for padding given as auto_pad, and the batch norm's rank).
class type_writer {
public:
    explicit type_writer(const graph& g) : g_(g), used_(std::size_t(g.node_count()), false) {}

    std::string declaration(std::string_view name) {
        std::vector<std::int64_t> shape;
        const std::string input = network_input(shape);
        std::string x = input;
        const auto layers = chain(x, shape, nullptr);
        if (!padding_.empty()) fail(pad_node_, "a Pad node is read only before a Conv or an AveragePool");
        if (layers.empty()) throw model_fault("the graph computes nothing typenet has a layer for");
        for (int i = 0; i < g_.node_count(); ++i)
            if (!used_[std::size_t(i)] && g_.node(i).op_type() != "Identity" && !g_.makes_constant(i))
                throw model_fault(fmt::format("{} is not on the way from the graph's input to its output", g_.node_text(i)));
        std::vector<line> lines{{fmt::format("using {} = tn::network<tn::input<{}>,", name, fmt::join(shape_in_, ", ")), ""}};
        for (std::size_t i = 0; i < layers.size(); ++i) {
            render(layers[i], 1, lines);
            lines.back().first += i + 1 < layers.size() ? "," : ">;";
        }
        std::size_t width = 0;
        for (const auto& [code, comment] : lines) width = std::max(width, code.size());
        std::string text;
        for (const auto& [code, comment] : lines)
            text += comment.empty() ? code + "\n" : fmt::format("{:{}}  // {}\n", code, width, comment);
        return text;
    }

private:
    const graph& g_;
    std::vector<bool> used_;
    std::vector<std::int64_t> shape_in_;
    std::vector<std::int64_t> padding_;  // a Pad node's, for the next layer
    int pad_node_ = -1;

    std::string node_comment(int n) const {
        return g_.node(n).name().empty() ? fmt::format("#{}", n) : fmt::format("#{} {}", n, g_.node(n).name());
    }

    [[noreturn]] void fail(int n, const std::string& problem) const {
        throw model_fault(fmt::format("{}: {}", g_.node_text(n), problem));
    }

    // One line per layer, its code and its comment; a block opens on a line of its own.
    using line = std::pair<std::string, std::string>;
    static void render(const spelled_layer& l, int depth, std::vector<line>& lines) {
        const std::string indent(std::size_t(4 * depth), ' ');
        if (l.inside.empty()) {
            lines.push_back({indent + l.text, l.comment});
            return;
        }
        lines.push_back({indent + l.text + "<", l.comment});
        for (std::size_t i = 0; i < l.inside.size(); ++i) {
            render(l.inside[i], depth + 1, lines);
            if (i + 1 < l.inside.size()) lines.back().first += ",";
        }
        lines.back().first += ">";
    }

    std::string network_input(std::vector<std::int64_t>& shape) {
        const auto& input = g_.network_input();
        const auto& type = input.type();
        if (!type.has_tensor_type() || !type.tensor_type().has_shape() || type.tensor_type().shape().dim_size() < 2)
            throw model_fault(fmt::format("the graph's input \"{}\" has no shape of (batch, ...)", input.name()));
        const auto& dims = type.tensor_type().shape().dim();
        for (int i = 1; i < dims.size(); ++i) {
            if (!dims[i].has_dim_value() || dims[i].dim_value() < 1)
                throw model_fault(fmt::format("the graph's input \"{}\" has no fixed size on axis {}", input.name(), i));
            shape.push_back(dims[i].dim_value());
        }
        shape_in_ = shape;
        return input.name();
    }

    // An Add or a Concat of values the graph computes: where branches meet.
    bool merges(int n) const {
        const auto& node = g_.node(n);
        if (node.op_type() != "Add" && node.op_type() != "Concat") return false;
        return std::none_of(node.input().begin(), node.input().end(), [&](const std::string& v) { return g_.is_constant(v); });
    }

    // The nodes that read `x` and are not spelled yet, Identity nodes passed.
    std::vector<int> readers(std::string& x) {
        for (;;) {
            std::vector<int> r;
            for (int i : g_.consumers(x))
                if (!used_[std::size_t(i)]) r.push_back(i);
            if (r.size() == 1 && g_.node(r[0]).op_type() == "Identity") {
                used_[std::size_t(r[0])] = true;
                x = g_.node(r[0]).output(0);
                continue;
            }
            return r;
        }
    }

    // The layers from `x` on, until a node where branches meet (returned in `merge`, if
    // asked for) or the end; `x` becomes the last value.
    std::vector<spelled_layer> chain(std::string& x, std::vector<std::int64_t>& shape, int* merge) {
        std::vector<spelled_layer> layers;
        for (;;) {
            const auto r = readers(x);
            if (r.empty()) return layers;
            if (r.size() == 1 && merges(r[0])) {
                if (!merge) fail(r[0], "it merges branches that did not start at one value");
                *merge = r[0];
                return layers;
            }
            if (r.size() > 1) {
                layers.push_back(block(x, r, shape));
                continue;
            }
            used_[std::size_t(r[0])] = true;
            if (auto l = layer(r[0], x, shape)) layers.push_back(std::move(*l));
        }
    }

    // Branches from `x`, one per reader, to the one node that merges them.
    spelled_layer block(std::string& x, const std::vector<int>& r, std::vector<std::int64_t>& shape) {
        std::vector<std::vector<spelled_layer>> branches;
        std::vector<std::string> outputs;
        std::vector<std::vector<std::int64_t>> shapes;
        int merge = -1;
        for (int n : r) {
            if (merges(n)) continue;  // `x` itself is a term: the identity branch, below
            std::string y = x;
            std::vector<std::int64_t> s = shape;
            used_[std::size_t(n)] = true;
            std::vector<spelled_layer> branch;
            if (auto l = layer(n, y, s)) branch.push_back(std::move(*l));
            int m = -1;
            auto rest = chain(y, s, &m);
            branch.insert(branch.end(), rest.begin(), rest.end());
            if (m < 0 || (merge >= 0 && m != merge))
                fail(n, "the branches that start here do not all end at one Add or Concat");
            merge = m;
            branches.push_back(std::move(branch));
            outputs.push_back(y);
            shapes.push_back(s);
        }
        if (merge < 0) fail(r[0], "the branches that start here do not end at one Add or Concat");
        const auto& m = g_.node(merge);
        used_[std::size_t(merge)] = true;
        // The branches in the order the merge reads them; `x` there is the identity.
        std::vector<spelled_layer> ordered;
        std::vector<std::int64_t> merged;
        for (const auto& input : m.input()) {
            if (input == x) {
                ordered.push_back({"tn::identity", {}, ""});
                merged = shape;
                continue;
            }
            const auto k = std::size_t(std::find(outputs.begin(), outputs.end(), input) - outputs.begin());
            if (k == outputs.size()) fail(merge, fmt::format("its input \"{}\" comes from outside the block", input));
            ordered.push_back(branches[k].size() == 1 ? branches[k][0] : spelled_layer{"tn::sequential", branches[k], ""});
            if (merged.empty()) merged = shapes[k];
            else if (m.op_type() == "Concat") merged[0] += shapes[k][0];
        }
        if (m.op_type() == "Concat" && g_.node(merge).input_size() > 0 && int_or(m, "axis", 1) != 1)
            fail(merge, "typenet concatenates branches along the channels (axis 1) only");
        spelled_layer l{m.op_type() == "Add" ? "tn::residual" : "tn::concat", {}, node_comment(merge)};
        if (l.text == "tn::residual") {
            if (ordered.size() != 2) fail(merge, "a residual block adds two branches");
            // The longer branch is the body; an identity shortcut is left out.
            if (ordered[0].text == "tn::identity" || (ordered[1].text == "tn::sequential" && ordered[0].text != "tn::sequential"))
                std::swap(ordered[0], ordered[1]);
            if (ordered[1].text == "tn::identity") ordered.pop_back();
        }
        l.inside = std::move(ordered);
        shape = merged;
        x = m.output(0);
        return l;
    }

    // Sizes no network has, which would overflow the arithmetic of a window.
    static bool beyond(const std::vector<std::int64_t>& v) {
        return std::any_of(v.begin(), v.end(), [](std::int64_t x) { return x > (1 << 24) || x < -(1 << 24); });
    }

    // The options of a window: kernel (or the pool's size), stride, pads, dilation.
    std::string window_options(int n, const std::vector<std::int64_t>& kernel, std::vector<std::int64_t>& shape, bool pool,
                               long spatial) {
        const auto& node = g_.node(n);
        const std::vector<std::int64_t> ones(std::size_t(spatial), 1);
        const auto strides = ints_or(node, "strides", ones);
        const auto dilations = ints_or(node, "dilations", ones);
        if (strides.size() != std::size_t(spatial) || dilations.size() != std::size_t(spatial))
            fail(n, "its strides or dilations do not have one value per spatial axis");
        if (beyond(kernel) || beyond(strides) || beyond(dilations) || beyond(shape))
            fail(n, "its sizes are beyond any network's (2^24)");
        std::vector<std::int64_t> pads(std::size_t(2 * spatial), 0);
        const std::string auto_pad = string_or(node, "auto_pad", "NOTSET");
        for (long i = 0; i < spatial; ++i) {
            if (strides[std::size_t(i)] < 1 || dilations[std::size_t(i)] < 1) fail(n, "its strides and dilations are below 1");
            const std::int64_t in = shape[std::size_t(1 + i)], s = strides[std::size_t(i)];
            const std::int64_t span = dilations[std::size_t(i)] * (kernel[std::size_t(i)] - 1) + 1;
            if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
                const auto [before, after] = typenet::detail::same_padding(in, s, span, auto_pad == "SAME_UPPER");
                pads[std::size_t(i)] = before;
                pads[std::size_t(spatial + i)] = after;
            }
        }
        if (auto_pad == "NOTSET") pads = ints_or(node, "pads", pads);
        if (pads.size() != std::size_t(2 * spatial)) fail(n, "its pads do not have two values per spatial axis");
        if (beyond(pads) || beyond(padding_)) fail(n, "its pads are beyond any network's (2^24)");
        if (padding_.size() == pads.size())
            for (std::size_t i = 0; i < pads.size(); ++i) pads[i] += padding_[i];
        padding_.clear();
        const bool ceil = pool && int_or(node, "ceil_mode", 0) != 0;
        for (long i = 0; i < spatial; ++i) {  // the output's size, as typenet computes it
            const auto a = std::size_t(i);
            const std::int64_t in = shape[1 + a], s = strides[a], before = pads[a], after = pads[a + std::size_t(spatial)];
            const std::int64_t span = dilations[a] * (kernel[a] - 1) + 1, room = in + before + after - span;
            if (room < 0 || before < 0 || after < 0) fail(n, "its window does not fit its input");
            std::int64_t out = (ceil ? room + s - 1 : room) / s + 1;
            if (ceil && (out - 1) * s >= in + before) --out;
            const typenet::detail::axis window{in, kernel[a], s, dilations[a], before, after + (out - 1) * s + span - (in + before + after)};
            if (pool && !window.every_window_reads_input())
                fail(n, "a window of it reads only padding: typenet's pools need every window to read the input");
            shape[1 + a] = out;
        }
        std::string text;
        if (pool ? strides != kernel : strides != ones) text += fmt::format(", tn::stride<{}>", values_text(strides));
        if (std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p != 0; }))
            text += fmt::format(", tn::pad<{}>", padding_text(pads));
        if (dilations != ones) {
            if (pool && node.op_type() != "MaxPool") fail(n, "typenet's avg_pool has no dilation, as PyTorch's has none");
            text += fmt::format(", tn::dilation<{}>", values_text(dilations));
        }
        if (ceil) text += ", tn::ceil_mode";
        return text;
    }

    // Node `n`, which reads `x`, as a layer (none for a Pad, joined to the next layer).
    std::optional<spelled_layer> layer(int n, std::string& x, std::vector<std::int64_t>& shape) {
        const auto& node = g_.node(n);
        const std::string op = node.op_type();
        if (node.input_size() < 1 || node.input(0) != x) fail(n, fmt::format("its first input is not \"{}\"", x));
        x = node.output(0);
        spelled_layer l{"", {}, node_comment(n)};
        const long spatial = long(shape.size()) - 1;
        if (padding_.size() && op != "Conv" && op != "AveragePool") fail(n, "a Pad node is read only before a Conv or an AveragePool");
        if (op == "Conv") {
            if (node.input_size() < 2) fail(n, "it has no weight");
            const auto w = g_.read_constant(node.input(1), n);
            if (spatial < 1 || spatial > 3 || w.dims.size() != std::size_t(spatial + 2))
                fail(n, "typenet convolves signals (N, C, L), images (N, C, H, W) and volumes (N, C, D, H, W)");
            const std::vector<std::int64_t> kernel(w.dims.begin() + 2, w.dims.end());
            const auto groups = int_or(node, "group", 1);
            l.text = fmt::format("tn::conv{}d<{}, tn::kernel<{}>{}", spatial, w.dims[0], values_text(kernel),
                                 window_options(n, kernel, shape, false, spatial));
            if (groups != 1) l.text += fmt::format(", tn::groups<{}>", groups);
            if (node.input_size() < 3 || node.input(2).empty()) l.text += ", tn::no_bias";
            l.text += ">";
            shape[0] = w.dims[0];
        } else if (op == "ConvTranspose") {
            if (node.input_size() < 2) fail(n, "it has no weight");
            const auto w = g_.read_constant(node.input(1), n);
            if (spatial != 2 || w.dims.size() != 4) fail(n, "typenet's transposed convolution takes images (N, C, H, W)");
            const std::vector<std::int64_t> kernel(w.dims.begin() + 2, w.dims.end());
            const auto groups = int_or(node, "group", 1);
            const std::vector<std::int64_t> ones{1, 1};
            const auto strides = ints_or(node, "strides", ones), dilations = ints_or(node, "dilations", ones);
            const auto [pads, extra] = g_.transposed_pads(n, {shape[1], shape[2]}, kernel);
            if (strides.size() != 2 || dilations.size() != 2 || extra.size() != 2 || pads.size() != 4)
                fail(n, "its strides, dilations, output_padding or pads do not fit an image");
            if (beyond(kernel) || beyond(strides) || beyond(dilations) || beyond(pads) || beyond(extra) ||
                beyond({groups, w.dims[1]}))
                fail(n, "its sizes are beyond any network's (2^24)");
            l.text = fmt::format("tn::conv_transpose2d<{}, tn::kernel<{}>", w.dims[1] * groups, values_text(kernel));
            if (strides != ones) l.text += fmt::format(", tn::stride<{}>", values_text(strides));
            if (std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p != 0; }))
                l.text += fmt::format(", tn::pad<{}>", padding_text(pads));
            if (dilations != ones) l.text += fmt::format(", tn::dilation<{}>", values_text(dilations));
            if (extra != std::vector<std::int64_t>{0, 0}) l.text += fmt::format(", tn::output_padding<{}>", values_text(extra));
            if (groups != 1) l.text += fmt::format(", tn::groups<{}>", groups);
            if (node.input_size() < 3 || node.input(2).empty()) l.text += ", tn::no_bias";
            l.text += ">";
            shape[0] = w.dims[1] * groups;
            for (std::size_t i = 0; i < 2; ++i)
                shape[1 + i] = (shape[1 + i] - 1) * strides[i] - pads[i] - pads[2 + i] + dilations[i] * (kernel[i] - 1) + 1 +
                               extra[i];
        } else if (op == "MaxPool" || op == "AveragePool") {
            const auto kernel = ints_or(node, "kernel_shape", {});
            if (spatial < 1 || spatial > 3 || kernel.size() != std::size_t(spatial)) fail(n, "its kernel_shape does not fit its input");
            l.text = fmt::format("tn::{}{}<{}", op == "MaxPool" ? "max_pool" : "avg_pool", spatial == 3 ? "3d" : "", kernel[0]);
            if (std::any_of(kernel.begin(), kernel.end(), [&](std::int64_t k) { return k != kernel[0]; }))
                l.text += fmt::format(", tn::width<{}>", fmt::join(kernel.begin() + 1, kernel.end(), ", "));
            l.text += window_options(n, kernel, shape, true, spatial);
            const bool padded = l.text.find("tn::pad<") != std::string::npos;
            if (op == "AveragePool" && padded && int_or(node, "count_include_pad", 0) == 0) l.text += ", tn::exclude_padding";
            l.text += ">";
        } else if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
            l.text = op == "GlobalAveragePool" ? "tn::global_avg_pool" : "tn::global_max_pool";
            std::fill(shape.begin() + 1, shape.end(), 1);
        } else if (op == "BatchNormalization") {
            if (shape.size() > 4) fail(n, "typenet's batch norms take vectors, signals, images and volumes");
            const double eps = float_or(node, "epsilon", 1e-5);
            l.text = shape.size() == 4 ? "tn::batch_norm3d<" : shape.size() == 3 ? "tn::batch_norm2d<" : "tn::batch_norm1d<";
            if (std::abs(eps - 1e-5) > 1e-11) l.text += fmt::format("tn::eps<{}>", fraction_text(eps));
            l.text += ">";
        } else if (op == "Flatten" || op == "Reshape") {
            if (op == "Flatten" && int_or(node, "axis", 1) != 1) fail(n, "typenet's flatten keeps the batch axis alone (axis=1)");
            l.text = "tn::flatten";
            std::int64_t size = 1;
            for (auto d : shape) size *= d;
            shape = {size};
        } else if (op == "Gemm" || op == "MatMul") {
            if (node.input_size() < 2) fail(n, "it has no weight");
            const auto w = g_.read_constant(node.input(1), n);
            if (w.dims.size() != 2) fail(n, "its weight is no matrix");
            // A product of the whole batch is no layer that sees one sample at a time.
            if (op == "Gemm" && int_or(node, "transA", 0) != 0)
                fail(n, "with transA=1 the batch is its input's second axis: no network of one sample's layers computes it");
            const bool units_first = op == "Gemm" && int_or(node, "transB", 0) != 0;
            const std::int64_t units = units_first ? w.dims[0] : w.dims[1];
            bool bias = op == "Gemm" && node.input_size() > 2 && !node.input(2).empty();
            if (bias) {
                const auto c = g_.read_constant(node.input(2), n);
                if (c.dims.size() == 2 && c.dims[0] > 1)
                    fail(n, "its bias has a row for each sample of the batch: a layer adds one value per output");
            }
            if (op == "MatMul") {  // and an Add of a constant: the bias
                std::string after = x;
                const auto r = readers(after);
                if (r.size() == 1 && g_.node(r[0]).op_type() == "Add" && g_.node(r[0]).input_size() == 2) {
                    const auto& a = g_.node(r[0]);
                    if (g_.is_constant(a.input(0) == after ? a.input(1) : a.input(0))) {
                        used_[std::size_t(r[0])] = true;
                        x = a.output(0);
                        bias = true;
                    }
                }
            }
            l.text = fmt::format("tn::dense<{}{}>", units, bias ? "" : ", tn::no_bias");
            shape = {units};
        } else if (op == "Softmax" || op == "LogSoftmax") {
            const std::vector<std::size_t> dims(shape.begin(), shape.end());
            if (!g_.softmax_over_channels(n, dims))
                fail(n, fmt::format("typenet's {} is over the channels (axis 1) alone; in opset {} this one is not",
                                    op == "Softmax" ? "softmax" : "log_softmax", g_.opset()));
            l.text = op == "Softmax" ? "tn::softmax" : "tn::log_softmax";
        } else if (op == "Transpose") {
            const auto found = g_.softmax_between_transposes(n, shape.size() + 1);
            if (!found) fail(n, "typenet reads a Transpose only where it puts the channels last for a softmax and back");
            used_[std::size_t(found->first)] = used_[std::size_t(found->second)] = true;
            x = g_.node(found->second).output(0);
            l.text = g_.node(found->first).op_type() == "Softmax" ? "tn::softmax" : "tn::log_softmax";
        } else if (op == "PRelu") {
            if (node.input_size() < 2) fail(n, "it has no slope");
            const std::vector<std::size_t> dims(shape.begin(), shape.end());
            const auto slopes = g_.prelu_slopes(g_.read_constant(node.input(1), n), dims);
            if (!slopes || (*slopes != 1 && *slopes != dims[0]))
                fail(n, "typenet's prelu has one slope, or one per channel");
            l.text = *slopes == 1 ? "tn::prelu<>" : fmt::format("tn::prelu<{}>", *slopes);
        } else if (op == "Relu" || op == "Sigmoid" || op == "Tanh") {
            l.text = op == "Relu" ? "tn::relu" : op == "Sigmoid" ? "tn::sigmoid" : "tn::tanh";
        } else if (op == "LeakyRelu") {
            const double alpha = float_or(node, "alpha", 0.01);
            l.text = std::abs(alpha - 0.01) < 1e-9 ? "tn::leaky_relu<>" : fmt::format("tn::leaky_relu<{}>", fraction_text(alpha));
        } else if (op == "Elu") {
            const double alpha = float_or(node, "alpha", 1);
            if (!(alpha >= 0)) fail(n, "typenet's elu takes an alpha of at least 0");
            l.text = std::abs(alpha - 1) < 1e-9 ? "tn::elu<>" : fmt::format("tn::elu<{}>", fraction_text(alpha));
        } else if (op == "Clip") {
            if (g_.clip_range(n) != std::pair<double, double>{0, 6})
                fail(n, "typenet's one clipping layer is relu6, a Clip to [0, 6]");
            l.text = "tn::relu6";
        } else if (op == "Dropout") {  // an exporter in eval mode writes none
            const double ratio = node.input_size() > 1 && !node.input(1).empty() ? g_.read_scalar(node.input(1), n)
                                                                                 : float_or(node, "ratio", 0.5);
            if (!(ratio >= 0 && ratio < 1)) fail(n, "its ratio is not in [0, 1)");
            l.text = fmt::format("tn::dropout<{}>", fraction_text(ratio));
        } else if (op == "Pad") {
            auto padding = g_.zero_padding(n, shape.size() + 1);
            if (!padding || spatial < 1 || spatial > 2 ||
                std::any_of(padding->begin(), padding->end(), [](std::int64_t p) { return p < 0; }))
                fail(n, "typenet pads signals and images with zeros on the spatial axes only");
            std::string after = x;
            const auto r = readers(after);
            if (r.size() == 1 && (g_.node(r[0]).op_type() == "Conv" || g_.node(r[0]).op_type() == "AveragePool")) {
                padding_ = std::move(*padding);  // joins the window's own padding
                pad_node_ = n;
                return std::nullopt;
            }
            l.text = fmt::format("tn::zero_pad<{}>", padding_text(*padding));
            for (long i = 0; i < spatial; ++i) shape[std::size_t(1 + i)] += (*padding)[std::size_t(i)] + (*padding)[std::size_t(spatial + i)];
        } else {
            fail(n, fmt::format("typenet has no layer for the ONNX operator {}", op));
        }
        return l;
    }
};

}  // namespace detail

/// The declaration of the network type, named `name`, that the ONNX model in `bytes`
/// describes (`file` names it in errors). It expects `namespace tn = typenet;`.
inline std::string type_declaration(std::span<const std::uint8_t> bytes, const std::filesystem::path& file,
                                    std::string_view name) {
    const ::onnx::ModelProto model = read_model(bytes, file);
    try {
        const detail::graph g(model);
        return detail::type_writer(g).declaration(name);
    } catch (const detail::model_fault& fault) {
        throw import_error(file, fault.what());
    }
}

/// The declaration of the network type, named `name`, that the ONNX model file `file` describes.
inline std::string type_declaration(const std::filesystem::path& file, std::string_view name) {
    const auto bytes = read_model_bytes(file);
    return type_declaration(bytes, file, name);
}

}  // namespace typenet::onnx
