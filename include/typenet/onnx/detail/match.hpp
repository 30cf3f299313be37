/// Defines `typenet::onnx::detail::match`, which walks an ONNX graph and a network's
/// layers together, checks every node against the layer it becomes, and says which values
/// go into which tensor. It changes nothing: the caller copies the values once all is checked.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <typenet/onnx/detail/graph.hpp>
#include <typenet/onnx/detail/layer_view.hpp>

namespace typenet::onnx::detail {

/// Values for one tensor of the network.
struct assignment {
    tensor_slot slot;
    std::vector<double> values;
};

/// Checks `g` against `net` and returns what to copy, or throws model_fault naming the
/// first node and layer that disagree.
class matcher {
public:
    matcher(const graph& g, const layer_view& net) : g_(g), used_(std::size_t(g.node_count()), false) {
        for (const auto& v : g.proto().value_info()) record_shape(v);
        for (const auto& v : g.proto().output()) record_shape(v);
        const std::string input = network_input(net);
        const std::string output = walk(net, input);
        settle_bias(nullptr);
        finish(output, net);
    }

    std::vector<assignment> assignments;

private:
    // A bias the graph gives a convolution or dense layer that has none: it belongs to the
    // batch norm after the layer, into which the exporter folded it.
    struct pending_bias {
        std::vector<double> values;
        int node;
        std::string layer;
    };

    const graph& g_;
    std::vector<bool> used_;
    std::map<std::string, std::vector<std::int64_t>> shapes_;  // -1: a dimension not fixed
    std::optional<pending_bias> bias_;
    bool after_weighted_layer_ = false;  // the layer just matched can hold a folded batch norm
    std::vector<std::int64_t> padding_;  // from a Pad node, for the next convolution or pool
    int pad_node_ = -1;

    [[noreturn]] void fail(int node, const layer_view& v, const std::string& problem) const {
        throw model_fault(fmt::format("{} does not match {}: {}", g_.node_text(node), v.text(), problem));
    }

    void record_shape(const ::onnx::ValueInfoProto& v) {
        if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
        std::vector<std::int64_t> dims;
        for (const auto& d : v.type().tensor_type().shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
        shapes_[v.name()] = dims;
    }

    // The graph's input that is not an initializer; its shape, past the batch, the network's.
    std::string network_input(const layer_view& net) {
        const auto& input = g_.network_input();
        record_shape(input);
        check_shape(input.name(), net.input_dims, [&](const std::string& problem) {
            throw model_fault(fmt::format("the graph's input \"{}\" {}", input.name(), problem));
        });
        return input.name();
    }

    // A value's shape, where the model records it, against one sample's `dims`.
    template <class Fail>
    void check_shape(const std::string& value, const std::vector<std::size_t>& dims, Fail fail) const {
        const auto it = shapes_.find(value);
        if (it == shapes_.end()) return;
        const auto& s = it->second;
        bool same = s.size() == dims.size() + 1;
        for (std::size_t i = 0; same && i < dims.size(); ++i) same = s[i + 1] < 0 || std::size_t(s[i + 1]) == dims[i];
        if (!same) {
            std::vector<std::string> shown;
            for (const auto d : s) shown.push_back(d < 0 ? std::string("?") : std::to_string(d));
            fail(fmt::format("has shape ({}) but the network takes (N, {})", fmt::join(shown, ", "), fmt::join(dims, ", ")));
        }
    }

    // The next node that reads `x` and is not matched yet; Identity nodes are passed.
    std::optional<int> next_node(std::string& x) {
        for (;;) {
            const auto& readers = g_.consumers(x);
            const auto it = std::find_if(readers.begin(), readers.end(), [&](int i) { return !used_[std::size_t(i)]; });
            if (it == readers.end()) return std::nullopt;
            if (g_.node(*it).op_type() != "Identity") return *it;
            used_[std::size_t(*it)] = true;
            x = g_.node(*it).output(0);
        }
    }

    int take_node(std::string& x, const layer_view& v) {
        const auto n = next_node(x);
        if (!n)
            throw model_fault(fmt::format("the graph has no node for {}: nothing reads \"{}\" after the nodes before it",
                                          v.text(), x));
        used_[std::size_t(*n)] = true;
        return *n;
    }

    std::string walk(const layer_view& v, std::string x) {
        switch (v.kind_of_block) {
            case layer_view::form::sequence:
                for (const auto& inner : v.inside) x = walk(inner, x);
                return x;
            case layer_view::form::add:
            case layer_view::form::concat: return merge(v, x);
            case layer_view::form::layer: break;
        }
        settle_bias(&v);
        const bool weighted_before = std::exchange(after_weighted_layer_, false);
        if (v.kind == "identity") return x;
        if (v.kind == "dropout") {  // an exporter in eval mode leaves it out
            std::string y = x;
            if (const auto n = next_node(y); n && g_.node(*n).op_type() == "Dropout") {
                used_[std::size_t(*n)] = true;
                return g_.node(*n).output(0);
            }
            return x;
        }
        if (v.kind.starts_with("batch_norm")) {
            std::string y = x;
            const auto n = next_node(y);
            if (!(n && g_.node(*n).op_type() == "BatchNormalization")) {
                if (!weighted_before)
                    throw model_fault(fmt::format(
                        "the graph has no BatchNormalization for {}, and the layer before it is no convolution or dense "
                        "layer it could have been folded into{}",
                        v.text(), n ? fmt::format(" (the next node is {})", g_.node_text(*n)) : std::string()));
                fold_identity_batch_norm(v);
                return x;
            }
        }
        int n = take_node(x, v);
        if (g_.node(n).op_type() == "Pad" && v.kind != "zero_pad") n = take_pad(n, x, v);
        const auto& node = g_.node(n);
        const std::string op = node.op_type();
        if (padding_.size() && op != "Conv" && op != "AveragePool")
            fail(n, v, fmt::format("a Pad node ({}) is read only before a Conv or an AveragePool", g_.node_text(pad_node_)));
        if (node.input_size() < 1 || node.input(0) != x) fail(n, v, fmt::format("its first input is not \"{}\"", x));

        std::string y = node.output_size() ? node.output(0) : std::string();
        if (v.kind == "conv2d" || v.kind == "conv1d" || v.kind == "conv3d") {
            expect(n, v, "Conv");
            convolution(n, v);
            after_weighted_layer_ = true;
        } else if (v.kind == "conv_transpose2d") {
            expect(n, v, "ConvTranspose");
            transposed_convolution(n, v);
            after_weighted_layer_ = true;
        } else if (v.kind == "dense") {
            y = dense(n, v);
            after_weighted_layer_ = true;
        } else if (v.kind.starts_with("batch_norm")) {
            expect(n, v, "BatchNormalization");
            batch_norm(n, v);
        } else if (v.kind.starts_with("max_pool") || v.kind.starts_with("avg_pool")) {  // and the 3-D ones
            expect(n, v, v.kind.starts_with("max_pool") ? "MaxPool" : "AveragePool");
            pool(n, v);
        } else if (v.kind.starts_with("global_") || v.kind.starts_with("adaptive_")) {
            adaptive_pool(n, v);
        } else if (v.kind == "flatten") {
            flatten(n, v);
        } else if (v.kind == "zero_pad") {
            expect(n, v, "Pad");
            zero_pad(n, v);
        } else if (v.kind == "prelu") {
            expect(n, v, "PRelu");
            prelu(n, v);
        } else if (v.kind == "softmax" || v.kind == "log_softmax") {
            y = softmax(n, v);
        } else {
            activation(n, v);
        }
        padding_.clear();
        for (int k = 1; k < node.output_size(); ++k)
            if (!node.output(k).empty() && !g_.consumers(node.output(k)).empty())
                fail(n, v, fmt::format("its output #{} \"{}\" is read by other nodes; typenet layers have one output", k,
                                       node.output(k)));
        check_shape(y, v.output_dims, [&](const std::string& problem) {
            fail(n, v, fmt::format("its output \"{}\" {}", y, problem));
        });
        return y;
    }

    void expect(int n, const layer_view& v, std::string_view op) const {
        if (g_.node(n).op_type() != op) fail(n, v, fmt::format("the layer is an ONNX {}, not {}", op, g_.node(n).op_type()));
    }

    // A residual block's branches each read `x`; an Add (Concat along the channels) merges them.
    std::string merge(const layer_view& v, const std::string& x) {
        std::vector<std::string> outputs;
        for (const auto& branch : v.inside) {
            outputs.push_back(walk(branch, x));
            settle_bias(nullptr);
            after_weighted_layer_ = false;
        }
        const bool add = v.kind_of_block == layer_view::form::add;
        const std::string op = add ? "Add" : "Concat";
        for (int n : g_.consumers(outputs[0])) {
            const auto& node = g_.node(n);
            if (used_[std::size_t(n)] || node.op_type() != op) continue;
            std::vector<std::string> inputs(node.input().begin(), node.input().end());
            std::vector<std::string> wanted = outputs;
            if (add) {  // a sum's terms may come in any order
                std::sort(inputs.begin(), inputs.end());
                std::sort(wanted.begin(), wanted.end());
            }
            if (inputs != wanted) fail(n, v, fmt::format("it reads [{}], the block's branches give [{}]",
                                                         fmt::join(node.input(), ", "), fmt::join(outputs, ", ")));
            if (!add && int_or(node, "axis", 1) != 1)
                fail(n, v, "the branches are concatenated along the channels (axis 1)");
            used_[std::size_t(n)] = true;
            check_shape(node.output(0), v.output_dims, [&](const std::string& problem) {
                fail(n, v, fmt::format("its output \"{}\" {}", node.output(0), problem));
            });
            return node.output(0);
        }
        throw model_fault(fmt::format("the graph has no {} node that merges the branches of {} ([{}])", op, v.text(),
                                      fmt::join(outputs, ", ")));
    }

    // A Pad node before a convolution or an average pool: its spatial padding joins theirs.
    int take_pad(int n, std::string& x, const layer_view& v) {
        const auto& node = g_.node(n);
        auto padding = g_.zero_padding(n, v.input_dims.size() + 1);
        if (!padding) fail(n, v, "a Pad node before a layer must add zeros on the spatial axes only");
        padding_ = std::move(*padding);
        pad_node_ = n;
        x = node.output(0);
        return take_node(x, v);
    }

    // The window's attributes in ONNX's order: per spatial axis, then begins and ends.
    static std::vector<std::int64_t> axes(const layer_view& v, auto field) {
        std::vector<std::int64_t> values;
        for (const auto* a : v.spatial_axes()) values.push_back(std::int64_t(field(*a)));
        return values;
    }

    // pads as ONNX gives them (explicit, auto_pad, plus a Pad node's), against the layer's.
    void check_window(int n, const layer_view& v, bool pool, std::optional<std::vector<std::int64_t>> given = {}) const {
        const auto& node = g_.node(n);
        const std::size_t spatial = v.input_dims.size() - 1;
        const auto ones = std::vector<std::int64_t>(spatial, 1);
        const auto kernel = axes(v, [](const typenet::detail::axis& a) { return a.kernel; });
        const auto stride = axes(v, [](const typenet::detail::axis& a) { return a.stride; });
        const auto dilation = axes(v, [](const typenet::detail::axis& a) { return a.dilation; });
        auto compare = [&](std::string_view name, const std::vector<std::int64_t>& got, const std::vector<std::int64_t>& want) {
            if (got != want)
                fail(n, v, fmt::format("its {} are [{}], the layer's [{}]", name, fmt::join(got, ","), fmt::join(want, ",")));
        };
        if (find_attribute(node, "kernel_shape") || pool) compare("kernel_shape", ints_or(node, "kernel_shape", {}), kernel);
        compare("strides", ints_or(node, "strides", ones), stride);
        compare("dilations", ints_or(node, "dilations", ones), dilation);

        std::vector<std::int64_t> pads(2 * spatial, 0);
        const std::string auto_pad = string_or(node, "auto_pad", "NOTSET");
        if (given) {
            pads = *given;
        } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
            for (std::size_t i = 0; i < spatial; ++i) {
                const auto [before, after] =
                    typenet::detail::same_padding(long(v.input_dims[1 + i]), stride[i], dilation[i] * (kernel[i] - 1) + 1,
                                                  auto_pad == "SAME_UPPER");
                pads[i] = before;
                pads[spatial + i] = after;
            }
        } else if (auto_pad == "NOTSET") {
            pads = ints_or(node, "pads", pads);
        } else if (auto_pad != "VALID") {
            fail(n, v, fmt::format("auto_pad \"{}\" is not an ONNX value", auto_pad));
        }
        if (pads.size() != 2 * spatial) fail(n, v, fmt::format("it has {} pads for {} spatial axes", pads.size(), spatial));
        for (const auto p : pads)
            if (p > (std::int64_t{1} << 40) || p < -(std::int64_t{1} << 40)) fail(n, v, fmt::format("its pad {} is out of any input's range", p));
        for (std::size_t i = 0; i < padding_.size() && padding_.size() == pads.size(); ++i) pads[i] += padding_[i];
        auto before = axes(v, [](const typenet::detail::axis& a) { return a.pad_before; });
        const auto after = axes(v, [](const typenet::detail::axis& a) { return a.pad_after - a.ceil_extra; });
        before.insert(before.end(), after.begin(), after.end());
        compare(padding_.empty() ? "pads" : "pads (with the Pad node's)", pads, before);
        if (pool) {
            const bool ceil = int_or(node, "ceil_mode", 0) != 0;
            const bool layer_ceil = v.description.find("ceil-mode") != std::string::npos;
            for (std::size_t i = 0; i < spatial; ++i) {
                const std::int64_t span = dilation[i] * (kernel[i] - 1) + 1;
                const std::int64_t room = std::int64_t(v.input_dims[1 + i]) + pads[i] + pads[spatial + i] - span;
                std::int64_t out = (ceil ? (room + stride[i] - 1) / stride[i] : room / stride[i]) + 1;
                // PyTorch's and ONNX's rule: the last window starts inside the input or its left padding.
                if (ceil && (out - 1) * stride[i] >= std::int64_t(v.input_dims[1 + i]) + pads[i]) --out;
                if (out != std::int64_t(v.output_dims[1 + i]))
                    fail(n, v, fmt::format("with ceil_mode={} it gives {} positions on spatial axis {}, the layer{} {}",
                                           int(ceil), out, i, layer_ceil ? " (ceil-mode)" : "", v.output_dims[1 + i]));
            }
        }
    }

    const tensor_slot& slot(const layer_view& v, std::string_view suffix) const {
        for (const auto& s : v.tensors)
            if (s.name.ends_with(suffix)) return s;
        throw model_fault(fmt::format("{} has no tensor {}", v.text(), suffix));
    }

    // A constant input of node `n` for `s`, its dimensions checked (`transposed`: the
    // constant is s's matrix transposed, which is undone).
    void assign(int n, const layer_view& v, const std::string& value, const tensor_slot& s, bool transposed = false) {
        auto c = g_.read_constant(value, n);
        std::vector<std::int64_t> want(s.dims.begin(), s.dims.end());
        if (transposed) std::reverse(want.begin(), want.end());
        // A bias may come as a (1, units) matrix.
        if (c.dims.size() == 2 && c.dims[0] == 1 && want.size() == 1) c.dims.erase(c.dims.begin());
        if (c.dims != want)
            fail(n, v, fmt::format("its tensor \"{}\" has dimensions ({}); the layer's {} has ({})", value,
                                   fmt::join(c.dims, ", "), s.name, fmt::join(want, ", ")));
        if (transposed) {
            c.values = transpose<double>(c.values, std::size_t(want[0]), std::size_t(want[1]));
        }
        assignments.push_back({s, std::move(c.values)});
    }

    bool has_bias(const layer_view& v) const { return v.tensors.size() > 1; }

    // A bias for a layer with or without one of its own, times `scale` (Gemm's beta): one
    // value per output, or one for all.
    void bias(int n, const layer_view& v, const std::string& value, double scale = 1) {
        const auto c = g_.read_constant(value, n);
        const std::size_t outputs = v.output_dims[0];
        const bool one_row = c.dims.size() == 1 || (c.dims.size() == 2 && c.dims[0] == 1);
        if (!(c.values.size() == 1 && c.dims.size() <= 2) && !(one_row && c.values.size() == outputs))
            fail(n, v, fmt::format("its bias \"{}\" has dimensions ({}); the layer adds one value per output ({}), or one "
                                   "for all",
                                   value, fmt::join(c.dims, ", "), outputs));
        std::vector<double> values = c.values.size() == 1 ? std::vector<double>(outputs, c.values[0]) : c.values;
        for (auto& b : values) b *= scale;
        if (has_bias(v)) assignments.push_back({slot(v, ".bias"), std::move(values)});
        else bias_ = pending_bias{std::move(values), n, v.text()};
    }

    void convolution(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        if (node.input_size() < 2) fail(n, v, "it has no weight input");
        if (int_or(node, "group", 1) != v.groups)
            fail(n, v, fmt::format("its group is {}, the layer's {}", int_or(node, "group", 1), v.groups));
        assign(n, v, node.input(1), slot(v, ".weight"));
        check_window(n, v, false);
        if (node.input_size() > 2 && !node.input(2).empty()) bias(n, v, node.input(2));
        else if (has_bias(v)) fail(n, v, "it has no bias, the layer has one");
    }

    // Its window as a convolution's, its pads as output_shape or auto_pad imply, if given.
    void transposed_convolution(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        if (node.input_size() < 2) fail(n, v, "it has no weight input");
        if (int_or(node, "group", 1) != v.groups)
            fail(n, v, fmt::format("its group is {}, the layer's {}", int_or(node, "group", 1), v.groups));
        assign(n, v, node.input(1), slot(v, ".weight"));
        const auto kernel = axes(v, [](const typenet::detail::axis& a) { return a.kernel; });
        const auto [pads, extra] =
            g_.transposed_pads(n, {std::int64_t(v.input_dims[1]), std::int64_t(v.input_dims[2])}, kernel);
        if (extra != std::vector<std::int64_t>{v.output_padding[0], v.output_padding[1]})
            fail(n, v, fmt::format("its output_padding is [{}], the layer's [{},{}]", fmt::join(extra, ","),
                                   v.output_padding[0], v.output_padding[1]));
        check_window(n, v, false, pads);
        if (node.input_size() > 2 && !node.input(2).empty()) bias(n, v, node.input(2));
        else if (has_bias(v)) fail(n, v, "it has no bias, the layer has one");
    }

    // Gemm, or MatMul followed by an Add of the bias.
    std::string dense(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        if (node.op_type() == "Gemm") {
            // alpha·x·W + beta·c: alpha goes into the weights, beta into the bias.
            if (int_or(node, "transA", 0) != 0) fail(n, v, "a dense layer is a Gemm with transA=0");
            if (node.input_size() < 2) fail(n, v, "it has no weight input");
            assign(n, v, node.input(1), slot(v, ".weight"), int_or(node, "transB", 0) == 0);
            for (auto& w : assignments.back().values) w *= float_or(node, "alpha", 1);
            if (node.input_size() > 2 && !node.input(2).empty()) {
                bias(n, v, node.input(2), float_or(node, "beta", 1));
            } else if (has_bias(v)) {
                fail(n, v, "it has no bias, the layer has one");
            }
            return node.output(0);
        }
        expect(n, v, "MatMul");
        if (node.input_size() < 2) fail(n, v, "it has no weight input");
        assign(n, v, node.input(1), slot(v, ".weight"), true);
        std::string y = node.output(0);
        std::string after = y;
        if (const auto add = next_node(after); add && g_.node(*add).op_type() == "Add") {
            const auto& a = g_.node(*add);
            if (a.input_size() != 2) fail(*add, v, "an Add of a bias has 2 inputs");
            const std::string other = a.input(0) == after ? a.input(1) : a.input(0);
            if (g_.is_constant(other)) {
                used_[std::size_t(*add)] = true;
                bias(*add, v, other);
                return a.output(0);
            }
        }
        if (has_bias(v)) fail(n, v, "no Add of a bias follows it, and the layer has a bias");
        return y;
    }

    void batch_norm(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        if (node.input_size() != 5) fail(n, v, "it should have 5 inputs (X, scale, B, mean, var)");
        const double eps = float_or(node, "epsilon", 1e-5);
        if (std::abs(eps - v.epsilon) > 1e-6 * v.epsilon)
            fail(n, v, fmt::format("its epsilon is {}, the layer's {}", eps, v.epsilon));
        if (int_or(node, "training_mode", 0) != 0) fail(n, v, "it is in training mode (training_mode=1)");
        assign(n, v, node.input(1), slot(v, ".weight"));
        assign(n, v, node.input(2), slot(v, ".bias"));
        assign(n, v, node.input(3), slot(v, ".running_mean"));
        assign(n, v, node.input(4), slot(v, ".running_var"));
        // The bias of the layer before, which has none: normalizing x + b with mean m is
        // normalizing x with mean m - b.
        if (bias_) {
            auto& mean = assignments[assignments.size() - 2].values;
            for (std::size_t c = 0; c < mean.size(); ++c) mean[c] -= bias_->values[c];
            bias_.reset();
        }
    }

    // A batch norm the exporter folded into the layer before: it passes values on, adding
    // that layer's bias when the layer has none of its own.
    void fold_identity_batch_norm(const layer_view& v) {
        const std::size_t channels = v.input_dims[0];
        std::vector<double> shift(channels, 0.0);
        if (bias_) shift = std::exchange(bias_, std::nullopt)->values;
        assignments.push_back({slot(v, ".weight"), std::vector<double>(channels, 1.0)});
        assignments.push_back({slot(v, ".bias"), shift});
        assignments.push_back({slot(v, ".running_mean"), std::vector<double>(channels, 0.0)});
        assignments.push_back({slot(v, ".running_var"), std::vector<double>(channels, 1.0 - v.epsilon)});
    }

    // A bias waiting for a folded batch norm that is not `next`: the layer had no room for it.
    void settle_bias(const layer_view* next) {
        if (!bias_ || (next && next->kind.starts_with("batch_norm"))) return;
        const auto b = *std::exchange(bias_, std::nullopt);
        throw model_fault(fmt::format("{} has a bias, but {} has none (no_bias) and no batch norm follows it",
                                      g_.node_text(b.node), b.layer));
    }

    void pool(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        check_window(n, v, true);
        if (v.kind.starts_with("avg_pool")) {
            bool any_padding = false;
            for (const auto* a : v.spatial_axes()) any_padding = any_padding || a->pad_before || a->pad_after - a->ceil_extra;
            if (any_padding && (int_or(node, "count_include_pad", 0) != 0) != v.count_padding)
                fail(n, v, fmt::format("count_include_pad={}, the layer {} the padding in its divisor",
                                       int_or(node, "count_include_pad", 0), v.count_padding ? "counts" : "excludes"));
        }
    }

    // A global or adaptive pool: GlobalAveragePool, ReduceMean over the spatial axes, or a
    // pool whose windows tile the input.
    void adaptive_pool(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        const bool average = v.kind.find("avg") != std::string::npos;
        const std::size_t spatial = v.input_dims.size() - 1;
        bool global = true;
        for (std::size_t i = 1; i <= spatial; ++i) global = global && v.output_dims[i] == 1;
        const std::string op = node.op_type();
        if (op == (average ? "GlobalAveragePool" : "GlobalMaxPool") && global) return;
        if (op == (average ? "ReduceMean" : "ReduceMax") && global && int_or(node, "keepdims", 1) == 1) {
            auto axes_of = ints_or(node, "axes", {});
            if (axes_of.empty() && node.input_size() > 1)
                for (double a : g_.read_constant(node.input(1), n).values) axes_of.push_back(g_.whole_number(a, n));
            for (auto& a : axes_of) a = a < 0 ? a + std::int64_t(spatial + 2) : a;
            std::sort(axes_of.begin(), axes_of.end());
            std::vector<std::int64_t> want;
            for (std::size_t i = 0; i < spatial; ++i) want.push_back(std::int64_t(i + 2));
            if (axes_of == want) return;
            fail(n, v, fmt::format("it reduces axes [{}], the layer the spatial ones", fmt::join(axes_of, ",")));
        }
        if (op == (average ? "AveragePool" : "MaxPool")) {
            std::vector<std::int64_t> window;
            for (std::size_t i = 1; i <= spatial; ++i) {
                if (v.input_dims[i] % v.output_dims[i] != 0)
                    fail(n, v, "an adaptive pool is a fixed pool only where the output size divides the input's");
                window.push_back(std::int64_t(v.input_dims[i] / v.output_dims[i]));
            }
            const auto zeros = std::vector<std::int64_t>(2 * spatial, 0);
            if (ints_or(node, "kernel_shape", {}) == window && ints_or(node, "strides", {}) == window &&
                ints_or(node, "pads", zeros) == zeros && int_or(node, "ceil_mode", 0) == 0)
                return;
            fail(n, v, fmt::format("an adaptive pool from ({}) is a pool of kernel_shape and strides [{}] without pads",
                                   fmt::join(v.input_dims, ", "), fmt::join(window, ",")));
        }
        fail(n, v, fmt::format("the layer is an ONNX {}", average ? "GlobalAveragePool, ReduceMean or AveragePool"
                                                                 : "GlobalMaxPool, ReduceMax or MaxPool"));
    }

    void flatten(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        std::size_t size = 1;
        for (auto d : v.input_dims) size *= d;
        if (node.op_type() == "Flatten") {
            if (int_or(node, "axis", 1) != 1) fail(n, v, "a flatten keeps the batch axis alone (axis=1)");
            return;
        }
        expect(n, v, "Reshape");
        if (node.input_size() < 2) fail(n, v, "it has no shape input");
        const auto c = g_.read_constant(node.input(1), n);
        const bool fits = c.values.size() == 2 && (c.values[0] == 0 || c.values[0] == -1 || c.values[0] >= 1) &&
                          (c.values[1] == -1 || c.values[1] == double(size)) && !(c.values[0] == -1 && c.values[1] == -1);
        if (!fits)
            fail(n, v, fmt::format("it reshapes to [{}]; a flatten of ({}) gives (N, {})", fmt::join(c.values, ","),
                                   fmt::join(v.input_dims, ", "), size));
    }

    void activation(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        static const std::map<std::string, std::string> ops{{"relu", "Relu"},       {"sigmoid", "Sigmoid"},
                                                            {"tanh", "Tanh"},       {"leaky_relu", "LeakyRelu"},
                                                            {"relu6", "Clip"},      {"elu", "Elu"}};
        const auto it = ops.find(v.kind);
        if (it == ops.end()) fail(n, v, fmt::format("typenet cannot yet read a {} layer from ONNX", v.kind));
        expect(n, v, it->second);
        if (v.kind == "leaky_relu" && std::abs(float_or(node, "alpha", 0.01) - v.slope) > 1e-6 * v.slope)
            fail(n, v, fmt::format("its alpha is {}, the layer's slope {}", float_or(node, "alpha", 0.01), v.slope));
        if (v.kind == "elu" && std::abs(float_or(node, "alpha", 1) - v.alpha) > 1e-6 * v.alpha)
            fail(n, v, fmt::format("its alpha is {}, the layer's {}", float_or(node, "alpha", 1), v.alpha));
        if (v.kind == "relu6") {
            const auto [low, high] = g_.clip_range(n);
            if (low != 0 || high != 6) fail(n, v, fmt::format("it clips to [{}, {}], relu6 to [0, 6]", low, high));
        }
    }

    // A Softmax or LogSoftmax over the channels, or one over the last axis between two
    // Transposes that put the channels there and back (PyTorch before opset 13).
    std::string softmax(int n, const layer_view& v) {
        const std::string op = v.kind == "softmax" ? "Softmax" : "LogSoftmax";
        const auto& node = g_.node(n);
        if (node.op_type() == "Transpose") {
            const auto found = g_.softmax_between_transposes(n, v.input_dims.size() + 1);
            if (!found || g_.node(found->first).op_type() != op)
                fail(n, v, fmt::format("a Transpose is read only where it puts the channels last for a {} over the last "
                                       "axis, and a Transpose back follows",
                                       op));
            used_[std::size_t(found->first)] = used_[std::size_t(found->second)] = true;
            return g_.node(found->second).output(0);
        }
        expect(n, v, op);
        if (!g_.softmax_over_channels(n, v.input_dims))
            fail(n, v, fmt::format("its axis{} in opset {} is not over the channels (axis 1) alone, the layer's",
                                   find_attribute(node, "axis") ? fmt::format(" {}", int_or(node, "axis", 0)) : "",
                                   g_.opset()));
        return node.output(0);
    }

    // A Pad of zeros on the spatial axes, by the layer's amounts.
    void zero_pad(int n, const layer_view& v) {
        const auto padding = g_.zero_padding(n, v.input_dims.size() + 1);
        if (!padding) fail(n, v, "a zero_pad layer is a Pad of zeros on the spatial axes only");
        auto want = axes(v, [](const typenet::detail::axis& a) { return a.pad_before; });
        const auto after = axes(v, [](const typenet::detail::axis& a) { return a.pad_after; });
        want.insert(want.end(), after.begin(), after.end());
        if (*padding != want)
            fail(n, v, fmt::format("its spatial pads are [{}], the layer's [{}]", fmt::join(*padding, ","),
                                   fmt::join(want, ",")));
    }

    // The slope, broadcast to (N, C, ...) as ONNX does (from the right): one value, or one
    // per channel.
    void prelu(int n, const layer_view& v) {
        const auto& node = g_.node(n);
        if (node.input_size() < 2) fail(n, v, "it has no slope input");
        auto c = g_.read_constant(node.input(1), n);
        const std::size_t slopes = slot(v, ".weight").dims[0];
        if (g_.prelu_slopes(c, v.input_dims) != slopes)
            fail(n, v, fmt::format("its slope \"{}\" has dimensions ({}); the layer has {} on (N, {})", node.input(1),
                                   fmt::join(c.dims, ", "), slopes == 1 ? "one slope" : "one slope per channel",
                                   fmt::join(v.input_dims, ", ")));
        assignments.push_back({slot(v, ".weight"), std::move(c.values)});
    }

    // The network's output is the graph's, and no node is left out.
    void finish(const std::string& output, const layer_view& net) const {
        for (int i = 0; i < g_.node_count(); ++i) {
            const auto op = g_.node(i).op_type();
            if (!used_[std::size_t(i)] && op != "Identity" && !g_.makes_constant(i))
                throw model_fault(fmt::format("{} is not part of the network: the network ends at its last layer, {}, "
                                              "whose output is \"{}\"",
                                              g_.node_text(i), net.inside.empty() ? net.text() : last_layer(net).text(),
                                              output));
        }
        std::string y = output;
        for (bool moved = true; moved;) {  // an output may be an Identity of the last value
            moved = false;
            for (int i : g_.consumers(y))
                if (g_.node(i).op_type() == "Identity") y = g_.node(i).output(0), moved = true;
        }
        const auto& outs = g_.proto().output();
        if (outs.size() != 1 || (outs[0].name() != y && outs[0].name() != output)) {
            std::vector<std::string> names;
            for (const auto& o : outs) names.push_back(o.name());
            throw model_fault(fmt::format("the graph's outputs are [{}]; the network's output is \"{}\"",
                                          fmt::join(names, ", "), output));
        }
    }

    static const layer_view& last_layer(const layer_view& v) {
        return v.inside.empty() || v.kind_of_block != layer_view::form::sequence ? v : last_layer(v.inside.back());
    }
};

}  // namespace typenet::onnx::detail
