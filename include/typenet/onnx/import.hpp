/// Defines `typenet::onnx::load`: the parameters (and batch norm's running statistics) of
/// an ONNX model, such as `torch.onnx.export` writes, into a network of the matching type,
/// every node checked against the layer it becomes. Needs the ONNX library and protobuf
/// (Debian: libonnx-dev, libprotobuf-dev; link onnx_proto and protobuf, define
/// ONNX_ML=1 and ONNX_NAMESPACE=onnx); the rest of typenet does not.
///
///     using net = typenet::models::lenet5<>;
///     auto model = std::make_unique<net>();
///     typenet::onnx::load(*model, "lenet5.onnx");
///
/// The graph is walked from its input along the network's layers: a convolution is a
/// Conv (its kernel, strides, pads or auto_pad, dilations and group checked, a Pad node
/// before it joining its padding), a dense layer a Gemm (alpha 1, transA 0, either transB)
/// or a MatMul and an Add of the bias, a batch norm a BatchNormalization (its epsilon
/// checked) or nothing where the exporter folded it into the convolution or dense layer
/// before it (it then passes values on, the folded bias in its own when the layer has
/// none), a flatten a Flatten or a Reshape to (N, -1), a residual block an Add of its
/// branches, a concat a Concat along the channels. Identity nodes are passed; dropout
/// matches a Dropout node or none. Every other node of the graph must be one of those.
///
/// A mismatch is an `import_error` naming the file, the node (index, name, operator,
/// attributes) and the layer (path, description, shapes), and the network is unchanged:
///
///     lenet5.onnx: node #0 "/0/Conv" (Conv: dilations=[1,1], group=1, kernel_shape=[5,5],
///     pads=[2,2,2,2], strides=[2,2]) does not match layer 0 "conv2d 6 5x5 pad 2"
///     (1, 28, 28) -> (6, 28, 28): its strides are [2,2], the layer's [1,1]
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/onnx/detail/graph.hpp>
#include <typenet/onnx/detail/layer_view.hpp>
#include <typenet/onnx/detail/match.hpp>
#include <typenet/onnx/model_file.hpp>

namespace typenet::onnx {

/// Loads the ONNX model in `bytes` (read from `file`, which names it in errors) into `net`.
template <class Net>
void load(Net& net, std::span<const std::uint8_t> bytes, const std::filesystem::path& file) {
    using T = typename Net::scalar_type;
    const ::onnx::ModelProto model = read_model(bytes, file);

    std::vector<detail::assignment> assignments;
    try {
        const detail::graph g(model);
        assignments = detail::matcher(g, detail::network_view<Net>()).assignments;
    } catch (const detail::model_fault& fault) {
        throw import_error(file, fault.what());
    }
    for (const auto& a : assignments)
        for (std::size_t i = 0; i < a.values.size(); ++i)
            if (!std::isfinite(a.values[i]) || std::abs(a.values[i]) > double(std::numeric_limits<T>::max()))
                throw import_error(file, fmt::format("tensor {} holds {} at index {}: a network with it computes NaN",
                                                     a.slot.name, a.values[i], i));
    // All is checked: only now does the network change.
    auto params = net.parameters();
    auto buffers = net.buffers();
    for (const auto& a : assignments) {
        T* out = (a.slot.buffer ? buffers.data() : params.data()) + a.slot.offset;
        for (std::size_t i = 0; i < a.values.size(); ++i) out[i] = static_cast<T>(a.values[i]);
    }
}

/// Loads the ONNX model file `file` into `net`. A file that cannot be read is an
/// `io_error`; a model that cannot be loaded, an `import_error` (an `io_error` too).
template <class Net>
void load(Net& net, const std::filesystem::path& file) {
    const auto bytes = read_model_bytes(file);
    load(net, std::span<const std::uint8_t>(bytes), file);
}

}  // namespace typenet::onnx
