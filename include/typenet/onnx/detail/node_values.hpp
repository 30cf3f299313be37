/// Defines what the ONNX importer reads a model with: `model_fault`, `constant` (a tensor
/// as doubles) and `decode_tensor`, and the readers of a node's attributes.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/onnx_pb.h>

namespace typenet::onnx::detail {

/// What is wrong with the model, without the file's name (the importer adds it).
struct model_fault : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A constant tensor of the model (an initializer or a Constant node's value), as doubles.
struct constant {
    std::vector<std::int64_t> dims;
    std::vector<double> values;
};

inline std::string attribute_text(const ::onnx::AttributeProto& a) {
    using A = ::onnx::AttributeProto;
    switch (a.type()) {
        case A::INT: return fmt::format("{}={}", a.name(), a.i());
        case A::FLOAT: return fmt::format("{}={}", a.name(), a.f());
        case A::STRING: return fmt::format("{}={}", a.name(), a.s());
        case A::INTS: return fmt::format("{}=[{}]", a.name(), fmt::join(a.ints(), ","));
        case A::FLOATS: return fmt::format("{}=[{}]", a.name(), fmt::join(a.floats(), ","));
        default: return fmt::format("{}=(…)", a.name());
    }
}

/// A node's attribute, if it has it.
inline const ::onnx::AttributeProto* find_attribute(const ::onnx::NodeProto& n, std::string_view name) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

inline std::vector<std::int64_t> ints_or(const ::onnx::NodeProto& n, std::string_view name,
                                         std::vector<std::int64_t> fallback) {
    const auto* a = find_attribute(n, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}
inline std::int64_t int_or(const ::onnx::NodeProto& n, std::string_view name, std::int64_t fallback) {
    const auto* a = find_attribute(n, name);
    return a ? a->i() : fallback;
}
inline double float_or(const ::onnx::NodeProto& n, std::string_view name, double fallback) {
    const auto* a = find_attribute(n, name);
    return a ? double(a->f()) : fallback;
}
inline std::string string_or(const ::onnx::NodeProto& n, std::string_view name, std::string fallback) {
    const auto* a = find_attribute(n, name);
    return a ? a->s() : fallback;
}

/// The values of `t`, as doubles; `reader` (a node's text) names it in errors.
inline constant decode_tensor(const ::onnx::TensorProto& t, const std::string& reader) {
    using T = ::onnx::TensorProto;
    constant c{{t.dims().begin(), t.dims().end()}, {}};
    std::size_t count = 1;
    for (const auto d : c.dims) {
        if (d < 0 || (d > 0 && count > (std::size_t{1} << 40) / std::size_t(d)))
            throw model_fault(fmt::format("{}: tensor \"{}\" has dimensions [{}]", reader, t.name(),
                                          fmt::join(c.dims, ",")));
        count *= std::size_t(d);
    }
    if (t.data_location() == T::EXTERNAL)
        throw model_fault(fmt::format("{}: tensor \"{}\" is stored in an external file, which typenet does not read",
                                      reader, t.name()));
    const bool is_float = t.data_type() == T::FLOAT, is_double = t.data_type() == T::DOUBLE,
               is_int64 = t.data_type() == T::INT64;
    if (!is_float && !is_double && !is_int64)
        throw model_fault(fmt::format("{}: tensor \"{}\" has ONNX data type {}; typenet reads FLOAT, DOUBLE and INT64",
                                      reader, t.name(), int(t.data_type())));
    const std::size_t width = is_float ? 4 : 8;
    const std::size_t stored = t.has_raw_data() ? t.raw_data().size() / width
                               : is_float       ? std::size_t(t.float_data_size())
                               : is_double      ? std::size_t(t.double_data_size())
                                                : std::size_t(t.int64_data_size());
    if (stored != count || (t.has_raw_data() && t.raw_data().size() % width != 0))
        throw model_fault(fmt::format("{}: tensor \"{}\" of dimensions [{}] should hold {} values but holds {}",
                                      reader, t.name(), fmt::join(c.dims, ","), count,
                                      t.has_raw_data() ? fmt::format("{} bytes", t.raw_data().size())
                                                       : fmt::format("{}", stored)));
    c.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (t.has_raw_data()) {  // little-endian, as ONNX says
            std::uint64_t bits = 0;
            for (std::size_t b = 0; b < width; ++b)
                bits |= std::uint64_t(static_cast<unsigned char>(t.raw_data()[i * width + b])) << (8 * b);
            c.values[i] = is_float    ? double(std::bit_cast<float>(std::uint32_t(bits)))
                          : is_double ? std::bit_cast<double>(bits)
                                      : double(std::int64_t(bits));
        } else {
            c.values[i] = is_float ? double(t.float_data(int(i)))
                          : is_double ? t.double_data(int(i))
                                      : double(t.int64_data(int(i)));
        }
    }
    return c;
}


/// The `rows` × `cols` matrix `m` (row after row), transposed.
template <class T>
std::vector<T> transpose(std::span<const T> m, std::size_t rows, std::size_t cols) {
    std::vector<T> t(m.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t k = 0; k < cols; ++k) t[k * rows + r] = m[r * cols + k];
    return t;
}

}  // namespace typenet::onnx::detail
