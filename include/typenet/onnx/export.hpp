/// Defines `typenet::onnx::save`: a typenet network, trained or not, as an ONNX model
/// (float32 weights, any batch size) that runtimes read: `onnx.checker` accepts it and
/// OpenCV's dnn module runs it (tests/onnx/check_exports.py checks both). The opset is 10,
/// the last whose Clip (relu6) takes its bounds as attributes: OpenCV 4.6 reads no other.
///
///     typenet::onnx::save(*net, "lenet5.onnx");
///
/// Each layer becomes the node PyTorch's exporter writes for it: Conv, Gemm (transB=1; a
/// MatMul without bias),
/// BatchNormalization (with its running statistics), MaxPool, AveragePool, GlobalAveragePool,
/// GlobalMaxPool, ConvTranspose, Flatten, Pad (zero_pad), Relu, LeakyRelu, PRelu, Elu, Clip (relu6), Sigmoid,
/// Tanh, Softmax and LogSoftmax (over the channels of an image or a signal: between two
/// Transposes, as PyTorch writes it before opset 13); a
/// residual block is an Add of its branches, a concat a Concat; dropout and identity
/// write nothing. `typenet::onnx::load` reads the file back into the same type. Nodes and
/// values are named by the layer's path ("/3.0.1/Conv"), initializers by PyTorch's
/// state_dict key ("3.0.1.weight").
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <typenet/onnx/detail/graph.hpp>
#include <typenet/onnx/detail/layer_view.hpp>
#include <typenet/onnx/model_file.hpp>
#include <typenet/serialize.hpp>

namespace typenet::onnx {

namespace detail {

/// Writes the nodes and initializers of a network's layers into an ONNX graph.
class graph_writer {
public:
    graph_writer(::onnx::GraphProto& g, std::span<const float> params, std::span<const float> buffers)
        : g_(g), params_(params), buffers_(buffers) {}

    /// The layers of `v` on value `x`; returns the value of their output.
    std::string write(const layer_view& v, const std::string& x) {
        switch (v.kind_of_block) {
            case layer_view::form::sequence: {
                std::string y = x;
                for (const auto& inner : v.inside) y = write(inner, y);
                return y;
            }
            case layer_view::form::add:
            case layer_view::form::concat: {
                std::vector<std::string> outputs;
                for (const auto& branch : v.inside) outputs.push_back(write(branch, x));
                auto& merge = node(v.kind_of_block == layer_view::form::add ? "Add" : "Concat", v, std::move(outputs));
                if (v.kind_of_block == layer_view::form::concat) integer(merge, "axis", 1);
                return v.path;
            }
            case layer_view::form::layer: return layer(v, x);
        }
        return x;
    }

private:
    ::onnx::GraphProto& g_;
    std::span<const float> params_, buffers_;

    // A node named after the layer, its output the layer's path; `inputs` first.
    ::onnx::NodeProto& node(std::string_view op, const layer_view& v, std::vector<std::string> inputs) {
        auto* n = g_.add_node();
        n->set_op_type(std::string(op));
        n->set_name(fmt::format("/{}/{}", v.path, op));
        for (auto& i : inputs) n->add_input(std::move(i));
        n->add_output(v.path);
        return *n;
    }

    static void ints(::onnx::NodeProto& n, std::string_view name, const std::vector<std::int64_t>& values) {
        auto* a = n.add_attribute();
        a->set_name(std::string(name));
        a->set_type(::onnx::AttributeProto::INTS);
        for (auto v : values) a->add_ints(v);
    }
    static void integer(::onnx::NodeProto& n, std::string_view name, std::int64_t value) {
        auto* a = n.add_attribute();
        a->set_name(std::string(name));
        a->set_type(::onnx::AttributeProto::INT);
        a->set_i(value);
    }
    static void real(::onnx::NodeProto& n, std::string_view name, double value) {
        auto* a = n.add_attribute();
        a->set_name(std::string(name));
        a->set_type(::onnx::AttributeProto::FLOAT);
        a->set_f(float(value));
    }

    // The tensor of `slot` as an initializer named by its state_dict key.
    // `transposed`: a matrix as its transpose, MatMul's (inputs, units).
    std::string initializer(const tensor_slot& slot, bool transposed = false) {
        auto* t = g_.add_initializer();
        t->set_name(slot.name);
        t->set_data_type(::onnx::TensorProto::FLOAT);
        std::size_t count = 1;
        for (auto d : slot.dims) count *= d;
        const auto values = (slot.buffer ? buffers_ : params_).subspan(slot.offset, count);
        if (!transposed) {
            for (auto d : slot.dims) t->add_dims(std::int64_t(d));
            for (float f : values) t->add_float_data(f);
            return slot.name;
        }
        t->add_dims(std::int64_t(slot.dims[1]));
        t->add_dims(std::int64_t(slot.dims[0]));
        for (float f : transpose(values, slot.dims[0], slot.dims[1])) t->add_float_data(f);
        return slot.name;
    }
    // kernel_shape, strides, pads and dilations in ONNX's order (begins, then ends).
    static void window(::onnx::NodeProto& n, const layer_view& v, bool pool) {
        const auto axes = v.spatial_axes();
        std::vector<std::int64_t> kernel, stride, dilation, pads;
        for (const auto* a : axes) {
            kernel.push_back(a->kernel);
            stride.push_back(a->stride);
            dilation.push_back(a->dilation);
            pads.push_back(a->pad_before);
        }
        for (const auto* a : axes) pads.push_back(a->pad_after - a->ceil_extra);
        ints(n, "kernel_shape", kernel);
        ints(n, "strides", stride);
        ints(n, "pads", pads);
        if (!pool || dilation != std::vector<std::int64_t>(dilation.size(), 1)) ints(n, "dilations", dilation);
        if (pool) integer(n, "ceil_mode", v.description.find("ceil-mode") != std::string::npos);
    }

    // Over the channels: on a vector, axis 1; else, as opset 10 has no single-axis softmax,
    // between two Transposes that swap the channels with the last axis, as PyTorch does.
    void softmax(const layer_view& v, const std::string& x) {
        const std::string op = v.kind == "softmax" ? "Softmax" : "LogSoftmax";
        const auto last = std::int64_t(v.input_dims.size());
        if (last == 1) {
            integer(node(op, v, {x}), "axis", 1);
            return;
        }
        std::vector<std::int64_t> swap(std::size_t(last) + 1);
        for (std::size_t i = 0; i < swap.size(); ++i) swap[i] = std::int64_t(i);
        std::swap(swap[1], swap[std::size_t(last)]);
        auto& to = node("Transpose", v, {x});
        to.set_output(0, v.path + "/channels_last");
        ints(to, "perm", swap);
        auto& s = node(op, v, {v.path + "/channels_last"});
        s.set_output(0, v.path + "/" + op);
        integer(s, "axis", last);
        auto& back = node("Transpose", v, {v.path + "/" + op});
        back.set_name(fmt::format("/{}/Transpose_back", v.path));
        ints(back, "perm", swap);
    }

    std::string layer(const layer_view& v, const std::string& x) {
        const std::string& k = v.kind;
        if (k == "identity" || k == "dropout") return x;
        if (k == "conv2d" || k == "conv1d" || k == "conv3d") {
            std::vector<std::string> inputs{x, initializer(v.tensors[0])};
            if (v.tensors.size() > 1) inputs.push_back(initializer(v.tensors[1]));
            auto& n = node("Conv", v, std::move(inputs));
            window(n, v, false);
            integer(n, "group", v.groups);
        } else if (k == "conv_transpose2d") {
            std::vector<std::string> inputs{x, initializer(v.tensors[0])};
            if (v.tensors.size() > 1) inputs.push_back(initializer(v.tensors[1]));
            auto& n = node("ConvTranspose", v, std::move(inputs));
            window(n, v, false);
            integer(n, "group", v.groups);
            ints(n, "output_padding", {v.output_padding[0], v.output_padding[1]});
        } else if (k == "dense") {  // opset 10's Gemm must have a bias: without one, a MatMul
            if (v.tensors.size() > 1)
                integer(node("Gemm", v, {x, initializer(v.tensors[0]), initializer(v.tensors[1])}), "transB", 1);
            else
                node("MatMul", v, {x, initializer(v.tensors[0], true)});
        } else if (k.starts_with("batch_norm")) {
            auto& n = node("BatchNormalization", v, {x});
            for (const auto& s : v.tensors) n.add_input(initializer(s));
            real(n, "epsilon", v.epsilon);
        } else if (k.starts_with("max_pool") || k.starts_with("avg_pool")) {  // and the 3-D ones
            const bool average = k.starts_with("avg_pool");
            auto& n = node(average ? "AveragePool" : "MaxPool", v, {x});
            window(n, v, true);
            if (average) integer(n, "count_include_pad", v.count_padding);
        } else if (k == "global_avg_pool" || k == "global_max_pool") {
            node(k == "global_avg_pool" ? "GlobalAveragePool" : "GlobalMaxPool", v, {x});
        } else if (k == "flatten") {
            integer(node("Flatten", v, {x}), "axis", 1);
        } else if (k == "relu" || k == "sigmoid" || k == "tanh") {
            node(k == "relu" ? "Relu" : k == "sigmoid" ? "Sigmoid" : "Tanh", v, {x});
        } else if (k == "softmax" || k == "log_softmax") {
            softmax(v, x);
        } else if (k == "prelu") {
            tensor_slot slope = v.tensors[0];  // broadcast from the right: (C, 1, 1) for an image
            if (slope.dims[0] != 1) slope.dims.resize(v.input_dims.size(), 1);
            node("PRelu", v, {x, initializer(slope)});
        } else if (k == "zero_pad") {
            auto& n = node("Pad", v, {x});
            std::vector<std::int64_t> pads{0, 0}, after{0, 0};
            for (const auto* a : v.spatial_axes()) {
                pads.push_back(a->pad_before);
                after.push_back(a->pad_after);
            }
            pads.insert(pads.end(), after.begin(), after.end());
            ints(n, "pads", pads);
        } else if (k == "leaky_relu") {
            real(node("LeakyRelu", v, {x}), "alpha", v.slope);
        } else if (k == "elu") {
            real(node("Elu", v, {x}), "alpha", v.alpha);
        } else if (k == "relu6") {
            auto& n = node("Clip", v, {x});
            real(n, "min", 0);
            real(n, "max", 6);
        } else {
            throw std::invalid_argument(
                fmt::format("typenet::onnx::save: no ONNX node for {} (its description: {})", v.text(), v.description));
        }
        return v.path;
    }
};

inline void value_info(::onnx::ValueInfoProto& info, const std::string& name, const std::vector<std::size_t>& dims) {
    info.set_name(name);
    auto* tensor = info.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(::onnx::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (auto d : dims) shape->add_dim()->set_dim_value(std::int64_t(d));
}

}  // namespace detail

/// `net` as the bytes of an ONNX model: opset 10, float32 weights, input "input" and
/// output "output" of any batch size. Throws std::invalid_argument for a layer ONNX has
/// no node for (an adaptive pool to more than 1×1).
template <class Net>
std::string model_bytes(const Net& net) {
    const auto params = net.parameters();
    const auto buffers = net.buffers();
    // Weights go out in float32, what runtimes read, whatever the network's scalar type.
    const std::vector<float> p(params.begin(), params.end()), b(buffers.begin(), buffers.end());
    const auto view = detail::network_view<Net>();

    ::onnx::ModelProto model;
    model.set_ir_version(5);
    model.set_producer_name("typenet");
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(10);
    auto* graph = model.mutable_graph();
    graph->set_name("typenet");
    detail::value_info(*graph->add_input(), "input", view.input_dims);
    const std::string last = detail::graph_writer(*graph, p, b).write(view, "input");
    // The output gets its name from an Identity: the last layer's value keeps its path.
    auto* out = graph->add_node();
    out->set_op_type("Identity");
    out->set_name("/output/Identity");
    out->add_input(last);
    out->add_output("output");
    detail::value_info(*graph->add_output(), "output", view.output_dims);
    std::string bytes;
    model.SerializeToString(&bytes);
    return bytes;
}

/// Writes `net` to `file` as an ONNX model (see model_bytes); an io_error if it cannot.
template <class Net>
void save(const Net& net, const std::filesystem::path& file) {
    const std::string bytes = model_bytes(net);
    typenet::detail::write_file_atomically(file, std::span<const std::uint8_t>(
                                                     reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace typenet::onnx
