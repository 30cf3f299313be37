/// Defines `typenet::onnx::detail::fold_constant`: the value of a node whose inputs are
/// all constants, for the small computations exporters leave in a graph. PyTorch writes a
/// padding's amounts as ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast of
/// constants (torch.onnx does not fold a Slice with step -1), and a weight as a Transpose
/// of one.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include <typenet/onnx/detail/node_values.hpp>

namespace typenet::onnx::detail {

namespace folding {

// The values of a tensor with these dimensions, if it could be held at all.
inline std::optional<std::size_t> count_of(const std::vector<std::int64_t>& dims) {
    std::size_t n = 1;
    for (const auto d : dims) {
        if (d < 0 || (d > 0 && n > (std::size_t{1} << 40) / std::size_t(d))) return std::nullopt;
        n *= std::size_t(d);
    }
    return n;
}

// More values than the amounts and shapes exporters compute make: a ConstantOfShape or a
// Concat (whose inputs may repeat) larger than this is left unfolded, and its reader then
// says it is no constant. The other operators give at most the values of their input, a
// weight as large as the file holds.
inline constexpr std::size_t most_made_values = std::size_t{1} << 20;

// Row-major strides of `dims`.
inline std::vector<std::size_t> strides_of(const std::vector<std::int64_t>& dims) {
    std::vector<std::size_t> s(dims.size(), 1);
    for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * std::size_t(dims[i]);
    return s;
}

// Whole numbers of a constant: shapes, axes, indices.
inline std::optional<std::vector<std::int64_t>> whole_numbers(const constant& c) {
    std::vector<std::int64_t> v;
    for (const double x : c.values) {
        // Within int64's range: -2^63 is, 2^63 is not.
        if (!(x >= -0x1p63 && x < 0x1p63) || x != std::floor(x)) return std::nullopt;
        v.push_back(std::int64_t(x));
    }
    return v;
}

inline std::optional<constant> transpose(const constant& x, std::vector<std::int64_t> perm) {
    const std::size_t rank = x.dims.size();
    if (perm.empty())
        for (std::size_t i = rank; i-- > 0;) perm.push_back(std::int64_t(i));
    std::vector<bool> seen(rank, false);
    if (perm.size() != rank) return std::nullopt;
    for (const auto p : perm) {
        if (p < 0 || std::size_t(p) >= rank || seen[std::size_t(p)]) return std::nullopt;
        seen[std::size_t(p)] = true;
    }
    constant y{std::vector<std::int64_t>(rank), std::vector<double>(x.values.size())};
    for (std::size_t i = 0; i < rank; ++i) y.dims[i] = x.dims[std::size_t(perm[i])];
    const auto from = strides_of(x.dims);
    const auto to = strides_of(y.dims);
    for (std::size_t k = 0; k < y.values.size(); ++k) {
        std::size_t source = 0;
        for (std::size_t i = 0; i < rank; ++i) source += (k / to[i]) % std::size_t(y.dims[i]) * from[std::size_t(perm[i])];
        y.values[k] = x.values[source];
    }
    return y;
}

inline std::optional<constant> concat(const std::vector<constant>& parts, std::int64_t axis) {
    if (parts.empty()) return std::nullopt;
    const auto rank = std::int64_t(parts[0].dims.size());
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return std::nullopt;
    const auto a = std::size_t(axis);
    constant y{parts[0].dims, {}};
    y.dims[a] = 0;
    for (const auto& p : parts) {
        if (p.dims.size() != y.dims.size()) return std::nullopt;
        for (std::size_t i = 0; i < p.dims.size(); ++i)
            if (i != a && p.dims[i] != y.dims[i]) return std::nullopt;
        y.dims[a] += p.dims[a];
    }
    if (const auto n = count_of(y.dims); !n || *n > most_made_values) return std::nullopt;
    std::size_t outer = 1;
    for (std::size_t i = 0; i < a; ++i) outer *= std::size_t(y.dims[i]);
    for (std::size_t o = 0; o < outer; ++o)
        for (const auto& p : parts) {
            const std::size_t chunk = outer ? p.values.size() / outer : 0;
            y.values.insert(y.values.end(), p.values.begin() + long(o * chunk), p.values.begin() + long((o + 1) * chunk));
        }
    return y;
}

inline std::optional<constant> reshape(constant x, const std::vector<std::int64_t>& shape) {
    std::vector<std::int64_t> dims(shape.size());
    std::size_t known = 1;
    std::optional<std::size_t> free;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        dims[i] = shape[i] == 0 && i < x.dims.size() ? x.dims[i] : shape[i];
        if (dims[i] == -1 && !free) free = i;
        else if (dims[i] < 0) return std::nullopt;
        else known *= std::size_t(dims[i]);
    }
    if (free) {
        if (known == 0 || x.values.size() % known) return std::nullopt;
        dims[*free] = std::int64_t(x.values.size() / known);
    }
    if (count_of(dims) != x.values.size()) return std::nullopt;
    x.dims = std::move(dims);
    return x;
}

// ONNX's Slice: for each of `axes`, elements start, start + step, ... before end.
inline std::optional<constant> slice(const constant& x, const std::vector<std::int64_t>& starts,
                                     const std::vector<std::int64_t>& ends, std::vector<std::int64_t> axes,
                                     std::vector<std::int64_t> steps) {
    const auto rank = std::int64_t(x.dims.size());
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(std::int64_t(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) return std::nullopt;
    std::vector<std::int64_t> first(x.dims.size(), 0), step(x.dims.size(), 1), dims = x.dims;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        const std::int64_t axis = axes[k] < 0 ? axes[k] + rank : axes[k];
        if (axis < 0 || axis >= rank || steps[k] == 0) return std::nullopt;
        const std::int64_t size = x.dims[std::size_t(axis)];
        // A step longer than the axis takes its first element alone, as one of size + 1 does:
        // so the arithmetic below cannot overflow.
        const std::int64_t s = std::clamp<std::int64_t>(steps[k], -(size + 1), size + 1);
        auto clamp = [&](std::int64_t v) {
            if (v < 0) v = v < -size ? -1 : v + size;  // beyond the start: before index 0
            return s > 0 ? std::clamp<std::int64_t>(v, 0, size) : std::clamp<std::int64_t>(v, -1, size - 1);
        };
        const std::int64_t b = clamp(starts[k]), e = clamp(ends[k]);
        const std::int64_t n = s > 0 ? (e > b ? (e - b + s - 1) / s : 0) : (b > e ? (b - e - s - 1) / -s : 0);
        first[std::size_t(axis)] = b;
        step[std::size_t(axis)] = s;
        dims[std::size_t(axis)] = n;
    }
    constant y{dims, {}};
    const auto count = count_of(dims);
    if (!count) return std::nullopt;
    const auto from = strides_of(x.dims), to = strides_of(dims);
    y.values.resize(*count);
    for (std::size_t k = 0; k < *count; ++k) {
        std::int64_t source = 0;
        for (std::size_t i = 0; i < dims.size(); ++i)
            source += (first[i] + std::int64_t(k / to[i] % std::size_t(dims[i])) * step[i]) * std::int64_t(from[i]);
        y.values[k] = x.values[std::size_t(source)];
    }
    return y;
}

}  // namespace folding

/// The value of node `n` when `input` gives each of its inputs as a constant, or none
/// where the node computes something else or its inputs do not fit it.
inline std::optional<constant> fold_constant(const ::onnx::NodeProto& n, std::int64_t opset,
                                             const std::function<std::optional<constant>(const std::string&)>& input) {
    using namespace folding;
    const std::string& op = n.op_type();
    if (op != "Transpose" && op != "ConstantOfShape" && op != "Concat" && op != "Reshape" && op != "Slice" &&
        op != "Cast" && op != "Unsqueeze" && op != "Squeeze")
        return std::nullopt;
    std::vector<constant> in;
    for (const auto& name : n.input()) {
        if (name.empty()) {
            in.push_back({});
            continue;
        }
        auto c = input(name);
        if (!c) return std::nullopt;
        in.push_back(std::move(*c));
    }
    if (in.empty()) return std::nullopt;
    auto numbers = [&](std::size_t k) { return k < in.size() ? whole_numbers(in[k]) : std::vector<std::int64_t>{}; };
    if (op == "Transpose") return folding::transpose(in[0], ints_or(n, "perm", {}));
    if (op == "Concat") return concat(in, int_or(n, "axis", 0));
    if (op == "Reshape") {
        const auto shape = numbers(1);
        return shape ? reshape(in[0], *shape) : std::nullopt;
    }
    if (op == "ConstantOfShape") {
        const auto shape = whole_numbers(in[0]);
        const auto count = shape ? count_of(*shape) : std::nullopt;
        if (!count || *count > most_made_values) return std::nullopt;
        double value = 0;
        if (const auto* a = find_attribute(n, "value"); a && a->has_t()) {
            const auto v = decode_tensor(a->t(), "");
            if (v.values.size() != 1) return std::nullopt;
            value = v.values[0];
        }
        return constant{*shape, std::vector<double>(*count, value)};
    }
    if (op == "Cast") {  // to a whole-number type, the values are cut to whole numbers
        const auto to = int_or(n, "to", ::onnx::TensorProto::FLOAT);
        if (to != ::onnx::TensorProto::FLOAT && to != ::onnx::TensorProto::DOUBLE)
            for (auto& v : in[0].values) v = std::trunc(v);
        return in[0];
    }
    if (op == "Slice") {
        if (opset < 10) return slice(in[0], ints_or(n, "starts", {}), ints_or(n, "ends", {}), ints_or(n, "axes", {}), {});
        const auto starts = numbers(1), ends = numbers(2), axes = numbers(3), steps = numbers(4);
        if (!starts || !ends || !axes || !steps) return std::nullopt;
        return slice(in[0], *starts, *ends, *axes, *steps);
    }
    // Unsqueeze and Squeeze: the values stay, ones come or go in the dimensions.
    auto axes = opset < 13 ? std::optional(ints_or(n, "axes", {})) : numbers(1);
    if (!axes) return std::nullopt;
    constant y = in[0];
    if (op == "Squeeze") {
        std::vector<std::int64_t> dims;
        const auto rank = std::int64_t(y.dims.size());
        for (std::int64_t i = 0; i < rank; ++i) {
            const bool named = std::any_of(axes->begin(), axes->end(), [&](std::int64_t a) { return a == i || a + rank == i; });
            if (y.dims[std::size_t(i)] != 1 || (!axes->empty() && !named)) dims.push_back(y.dims[std::size_t(i)]);
        }
        y.dims = dims;
        return y;
    }
    const auto rank = std::int64_t(y.dims.size() + axes->size());
    for (auto& a : *axes) a = a < 0 ? a + rank : a;
    std::sort(axes->begin(), axes->end());
    for (const auto a : *axes) {
        if (a < 0 || a > std::int64_t(y.dims.size())) return std::nullopt;
        y.dims.insert(y.dims.begin() + a, 1);
    }
    return y;
}

}  // namespace typenet::onnx::detail
