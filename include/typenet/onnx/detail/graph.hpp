/// Defines `typenet::onnx::detail::graph`, an ONNX model's graph as the importer reads it:
/// its nodes, who consumes each value, constant tensors, attributes, and the text that
/// names a node in an error.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/onnx_pb.h>

#include <typenet/onnx/detail/constant_folding.hpp>
#include <typenet/onnx/detail/node_values.hpp>

namespace typenet::onnx::detail {

/// The ONNX graph of a model, with the links the importer follows.
class graph {
public:
    explicit graph(const ::onnx::ModelProto& model) : graph(model.graph(), default_domain_opset(model)) {}

    graph(const ::onnx::GraphProto& g, std::int64_t opset) : g_(g), opset_(opset) {
        for (const auto& t : g.initializer()) constants_.emplace(t.name(), &t);
        for (int i = 0; i < g.node_size(); ++i) {
            const auto& n = g.node(i);
            if (n.output_size() == 0) throw model_fault(fmt::format("{} has no output", node_text(i)));
            for (const auto& input : n.input()) consumers_[input].push_back(i);
            if (n.op_type() == "Constant")
                for (const auto& a : n.attribute())
                    if (a.name() == "value" && a.type() == ::onnx::AttributeProto::TENSOR && n.output_size() == 1) {
                        constants_.emplace(n.output(0), &a.t());
                        makes_constant_.insert(i);
                    }
            // What an exporter computed from constants and left unfolded (a transposed
            // weight, PyTorch's padding amounts) is a constant too.
            if (n.output_size() == 1 && !makes_constant_.count(i)) {
                auto value = fold_constant(n, opset_, [&](const std::string& v) -> std::optional<constant> {
                    if (!is_constant(v)) return std::nullopt;
                    return read_constant(v, i);
                });
                if (value) {
                    folded_.insert_or_assign(n.output(0), std::move(*value));
                    makes_constant_.insert(i);
                }
            }
        }
    }

    const ::onnx::GraphProto& proto() const { return g_; }
    /// The version of the ONNX operators the model uses: some changed meaning (Softmax's
    /// axis in 13).
    std::int64_t opset() const { return opset_; }

    static std::int64_t default_domain_opset(const ::onnx::ModelProto& model) {
        for (const auto& o : model.opset_import())
            if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
        return 1;
    }

    /// Whether Softmax or LogSoftmax node `n`, on a value of one sample's `dims`, works
    /// over the channels (axis 1) alone, as typenet's do. Before opset 13 the axis is where
    /// the input is cut into rows: axis 1 then spans every axis after the batch.
    bool softmax_over_channels(int n, const std::vector<std::size_t>& dims) const {
        const auto rank = std::int64_t(dims.size() + 1);
        auto axis = int_or(g_.node(n), "axis", opset_ < 13 ? 1 : -1);
        if (axis < 0) axis += rank;
        std::size_t positions = 1;
        for (std::size_t i = 1; i < dims.size(); ++i) positions *= dims[i];
        return axis == 1 && (opset_ >= 13 || positions == 1);
    }

    /// How many slopes a PRelu's `slope` gives a value of one sample's `dims`: 1, or one
    /// per channel; none when it broadcasts (from the right, as ONNX does since opset 7) to
    /// anything else. Before opset 7 a slope of one value per channel was just that.
    std::optional<std::size_t> prelu_slopes(const constant& slope, const std::vector<std::size_t>& dims) const {
        const std::size_t rank = dims.size() + 1;
        if (opset_ < 7 && slope.dims.size() == 1 && std::size_t(slope.dims[0]) == dims[0]) return dims[0];
        if (slope.dims.size() > rank) return std::nullopt;
        for (std::size_t i = 0; i < slope.dims.size(); ++i) {
            const std::size_t axis = rank - slope.dims.size() + i;
            if (slope.dims[i] != 1 && !(axis == 1 && std::size_t(slope.dims[i]) == dims[0])) return std::nullopt;
        }
        return slope.values.size();
    }

    /// The pads and output padding of ConvTranspose node `n` on an input of spatial sizes
    /// `in`: its `pads` and `output_padding`, or what its `output_shape` or `auto_pad`
    /// implies (ONNX's rule: the odd one after for SAME_UPPER, before otherwise; an output
    /// larger than the window gives is padded after).
    std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> transposed_pads(
        int n, const std::vector<std::int64_t>& in, const std::vector<std::int64_t>& kernel) const {
        const auto& node = g_.node(n);
        const std::size_t spatial = in.size();
        const std::vector<std::int64_t> ones(spatial, 1), zeros(spatial, 0);
        const auto strides = ints_or(node, "strides", ones), dilations = ints_or(node, "dilations", ones);
        auto extra = ints_or(node, "output_padding", zeros);
        const std::string auto_pad = string_or(node, "auto_pad", "NOTSET");
        auto wanted = ints_or(node, "output_shape", {});
        using values = const std::vector<std::int64_t>*;
        for (values v : std::initializer_list<values>{&in, &kernel, &strides, &dilations, &extra, &wanted})
            for (const auto x : *v)
                if (x > (1 << 24) || x < -(1 << 24))
                    throw model_fault(fmt::format("{}: its sizes are beyond any network's (2^24)", node_text(n)));
        if (wanted.empty() && (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER"))
            for (std::size_t i = 0; i < spatial && i < strides.size(); ++i) wanted.push_back(in[i] * strides[i]);
        if (wanted.empty()) return {ints_or(node, "pads", std::vector<std::int64_t>(2 * spatial, 0)), extra};
        if (wanted.size() != spatial || strides.size() != spatial || dilations.size() != spatial ||
            extra.size() != spatial || kernel.size() != spatial)
            throw model_fault(fmt::format("{}: its output_shape, strides, dilations or output_padding do not have one "
                                          "value per spatial axis",
                                          node_text(n)));
        std::vector<std::int64_t> pads(2 * spatial);
        for (std::size_t i = 0; i < spatial; ++i) {
            const std::int64_t total =
                strides[i] * (in[i] - 1) + extra[i] + (kernel[i] - 1) * dilations[i] + 1 - wanted[i];
            const std::int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);  // rounded down
            pads[i] = auto_pad == "SAME_UPPER" ? half : total - half;
            pads[spatial + i] = total - pads[i];
            if (pads[spatial + i] < 0) extra[i] -= std::exchange(pads[spatial + i], 0);
        }
        return {pads, extra};
    }

    /// A softmax over the channels as PyTorch exports it before opset 13: node `n` a
    /// Transpose that puts axis 1 last, a Softmax or LogSoftmax over the last axis, and the
    /// Transpose back. The softmax node and the last Transpose.
    std::optional<std::pair<int, int>> softmax_between_transposes(int n, std::size_t rank) const {
        const auto& first = g_.node(n);
        const auto perm = ints_or(first, "perm", {});
        if (first.op_type() != "Transpose" || perm.size() != rank || perm[0] != 0 || perm[rank - 1] != 1)
            return std::nullopt;
        const auto only_reader = [&](const std::string& value) -> std::optional<int> {
            const auto& r = consumers(value);
            return r.size() == 1 ? std::optional<int>(r[0]) : std::nullopt;
        };
        const auto s = only_reader(first.output(0));
        if (!s || (g_.node(*s).op_type() != "Softmax" && g_.node(*s).op_type() != "LogSoftmax")) return std::nullopt;
        auto axis = int_or(g_.node(*s), "axis", opset_ < 13 ? 1 : -1);
        if (axis < 0) axis += std::int64_t(rank);
        const auto t = only_reader(g_.node(*s).output(0));
        if (axis != std::int64_t(rank) - 1 || !t || g_.node(*t).op_type() != "Transpose") return std::nullopt;
        const auto back = ints_or(g_.node(*t), "perm", {});
        if (back.size() != rank) return std::nullopt;
        for (std::size_t i = 0; i < rank; ++i)
            if (back[i] < 0 || back[i] >= std::int64_t(rank) || perm[std::size_t(back[i])] != std::int64_t(i))
                return std::nullopt;
        return std::pair{*s, *t};
    }
    int node_count() const { return g_.node_size(); }
    const ::onnx::NodeProto& node(int i) const { return g_.node(i); }

    /// Nodes that read `value`, in the graph's order.
    const std::vector<int>& consumers(const std::string& value) const {
        static const std::vector<int> none;
        const auto it = consumers_.find(value);
        return it == consumers_.end() ? none : it->second;
    }

    bool is_constant(const std::string& value) const { return constants_.count(value) || folded_.count(value); }
    /// Whether node `i` only makes a constant (Constant, or a computation on constants).
    bool makes_constant(int i) const { return makes_constant_.count(i) != 0; }

    /// The constant called `value`, or an error naming the node that reads it.
    constant read_constant(const std::string& value, int reader) const {
        if (const auto t = folded_.find(value); t != folded_.end()) return t->second;
        const auto it = constants_.find(value);
        if (it == constants_.end())
            throw model_fault(fmt::format("{}: its input \"{}\" is not a constant (an initializer or a Constant node)",
                                          node_text(reader), value));
        return decode_tensor(*it->second, node_text(reader));
    }

    /// The graph's one input that is not a weight: the network's.
    const ::onnx::ValueInfoProto& network_input() const {
        std::vector<const ::onnx::ValueInfoProto*> inputs;
        for (const auto& i : g_.input())
            if (!is_constant(i.name())) inputs.push_back(&i);
        if (inputs.size() != 1)
            throw model_fault(fmt::format("the graph has {} inputs besides its weights; a typenet network takes one",
                                          inputs.size()));
        return *inputs[0];
    }

    /// The one value of the constant called `value` (a Clip's bound, a Pad's value).
    double read_scalar(const std::string& value, int reader) const {
        const constant c = read_constant(value, reader);
        if (c.values.size() != 1)
            throw model_fault(fmt::format("{}: its input \"{}\" should be one value but holds {}", node_text(reader),
                                          value, c.values.size()));
        return c.values[0];
    }

    /// A Clip node's [min, max]: inputs since opset 11, attributes before.
    std::pair<double, double> clip_range(int n) const {
        const auto& node = g_.node(n);
        const auto bound = [&](int input, std::string_view name, double fallback) {
            return node.input_size() > input && !node.input(input).empty() ? read_scalar(node.input(input), n)
                                                                            : float_or(node, name, fallback);
        };
        return {bound(1, "min", -INFINITY), bound(2, "max", INFINITY)};
    }

    /// The spatial padding of Pad node `n` on an input of `rank` axes (batch and channels
    /// first): the begins, then the ends; none unless it adds zeros on those axes only.
    std::optional<std::vector<std::int64_t>> zero_padding(int n, std::size_t rank) const {
        const auto& node = g_.node(n);
        std::vector<std::int64_t> pads;
        if (node.input_size() > 1 && !node.input(1).empty())
            for (double p : read_constant(node.input(1), n).values) pads.push_back(whole_number(p, n));
        else
            pads = ints_or(node, "pads", {});
        const double value = node.input_size() > 2 && !node.input(2).empty() ? read_scalar(node.input(2), n)
                                                                              : float_or(node, "value", 0);
        if (string_or(node, "mode", "constant") != "constant" || value != 0 || pads.size() != 2 * rank || pads[0] ||
            pads[1] || pads[rank] || pads[rank + 1])
            return std::nullopt;
        std::vector<std::int64_t> spatial(pads.begin() + 2, pads.begin() + long(rank));
        spatial.insert(spatial.end(), pads.begin() + long(rank) + 2, pads.end());
        return spatial;
    }

    /// A constant's value `v` as an index or a count: a whole number, not beyond 2^40.
    std::int64_t whole_number(double v, int reader) const {
        if (!(std::abs(v) <= double(std::int64_t{1} << 40)) || v != std::floor(v))
            throw model_fault(fmt::format("{}: {} is not a whole number of a size a network can have", node_text(reader), v));
        return std::int64_t(v);
    }

    /// "node #3 "/conv1/Conv" (Conv: kernel_shape=[5,5], strides=[1,1])"
    std::string node_text(int i) const {
        const auto& n = g_.node(i);
        std::vector<std::string> attributes;
        for (const auto& a : n.attribute()) attributes.push_back(attribute_text(a));
        return fmt::format("node #{} \"{}\" ({}{}{})", i, n.name(), n.op_type(), attributes.empty() ? "" : ": ",
                           fmt::join(attributes, ", "));
    }

private:
    const ::onnx::GraphProto& g_;
    std::map<std::string, const ::onnx::TensorProto*> constants_;
    std::map<std::string, std::vector<int>> consumers_;
    std::map<std::string, constant> folded_;  // computed from constants
    std::set<int> makes_constant_;
    std::int64_t opset_;
};

}  // namespace typenet::onnx::detail
