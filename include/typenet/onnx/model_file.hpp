/// Defines `typenet::onnx::import_error` and `read_model`: an ONNX model file parsed,
/// what the importer and the type generator start from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <typenet/serialize.hpp>

namespace typenet::onnx {

/// An ONNX model that cannot be read, or does not describe the network at hand. The
/// message names the file first.
struct import_error : io_error {
    using io_error::io_error;
};

/// The model in `bytes` (read from `file`, which names it in errors), with a graph.
inline ::onnx::ModelProto read_model(std::span<const std::uint8_t> bytes, const std::filesystem::path& file) {
    ::onnx::ModelProto model;
    if (bytes.size() > std::size_t(std::numeric_limits<int>::max()) ||
        !model.ParseFromArray(bytes.data(), int(bytes.size())))
        throw import_error(file, fmt::format("not an ONNX model: protobuf cannot parse its {} bytes", bytes.size()));
    if (!model.has_graph()) throw import_error(file, "not an ONNX model: it has no graph");
    return model;
}

/// The bytes of the model file `file`. A file that cannot be read is an `io_error`.
inline std::vector<std::uint8_t> read_model_bytes(const std::filesystem::path& file) {
    // 2 GiB: protobuf's limit for one message, and ONNX's for a model without external data.
    return typenet::detail::read_file_prefix(file, std::size_t{1} << 31);
}

}  // namespace typenet::onnx
