/// Defines the loads of part of a network: `typenet::load_parameters` with a
/// `typenet::partial_load` (from a parameter file of another network, PyTorch's
/// `load_state_dict(strict=False)` with every shape checked), and `typenet::copy_first_layers`
/// and `typenet::copy_layer` (from another network, checked at compile time). Each says what
/// it copied and what it left in a `typenet::load_report`.
///
///     // A pretrained backbone under a new head: the first 9 layers are the same type.
///     using pretrained = network<input<1, 28, 28>, features..., dense<5>>;
///     using fine_tuned = network<input<1, 28, 28>, features..., dense<10>>;
///     auto report = typenet::load_parameters(net, "pretrained.tnet", {.first_layers = 9});
///     auto same   = typenet::copy_first_layers<9>(pretrained_net, net);
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <typenet/detail/visit.hpp>
#include <typenet/layout.hpp>
#include <typenet/serialize.hpp>

namespace typenet {

/// What a partial load did, by tensor name (PyTorch's state_dict keys, "3.weight").
struct load_report {
    std::vector<std::string> loaded;       ///< the network's tensors it copied
    std::vector<std::string> initialized;  ///< the network's tensors it left as they were
    std::vector<std::string> unused;       ///< the source's tensors that went nowhere

    /// One line per list, the names of each: what PyTorch's load_state_dict returns, as text.
    std::string describe() const {
        const auto line = [](std::string_view what, const std::vector<std::string>& names) {
            return fmt::format("{} {} tensor{}{}{}\n", what, names.size(), names.size() == 1 ? "" : "s",
                               names.empty() ? "" : ": ", fmt::join(names, ", "));
        };
        return line("loaded", loaded) + line("left as initialized", initialized) + line("not used from the source", unused);
    }
};

/// Which tensors `load_parameters(net, file, partial_load{…})` takes from a file saved from
/// another network. By default, every tensor of the network whose name is in the file: a
/// tensor missing from the file stays as it is. With `first_layers` or `layers`, only those
/// layers' tensors, and each of them must be in the file. Every tensor taken must have the
/// network's shape: a head of another size is left out by choosing the layers below it.
struct partial_load {
    static constexpr std::size_t all = std::numeric_limits<std::size_t>::max();
    /// The first layers of the network (positions 0 to first_layers - 1, blocks whole).
    std::size_t first_layers = all;
    /// Layers or blocks by path ("0", "3.1"), besides the first layers.
    std::vector<std::string> layers = {};
    load_options values = {};

    bool selects_all() const { return first_layers == all && layers.empty(); }
};

namespace detail {

// The path of the layer a tensor belongs to: "3.1" of "3.1.weight".
inline std::string_view layer_path_of(std::string_view tensor) { return tensor.substr(0, tensor.rfind('.')); }

// Whether `path` is one of `chosen` or inside one of them.
inline bool inside_any(std::string_view path, const std::vector<std::string>& chosen) {
    return std::ranges::any_of(chosen, [&](const std::string& c) {
        return path == c || (path.size() > c.size() && path.starts_with(c) && path[c.size()] == '.');
    });
}

inline bool selected(const partial_load& which, std::string_view tensor) {
    if (which.selects_all()) return true;
    const std::string_view path = layer_path_of(tensor);
    const std::size_t position = std::stoul(std::string(path.substr(0, path.find('.'))));
    return (which.first_layers != partial_load::all && position < which.first_layers) || inside_any(path, which.layers);
}

// A partial file may come from a network much larger than this one: only a bound that no
// parameter file reaches keeps a pipe from being read forever.
inline constexpr std::size_t largest_source_file = std::size_t(1) << 40;

// The first `Count` layers of two networks, or those at `From` and `To`: the first
// position where they differ, or `Count` if none.
template <class A, class B, std::size_t Count>
constexpr std::size_t first_different_layer() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        // One more, so that the array is not empty when Count is 0.
        const bool same[] = {std::is_same_v<typename A::template layer_at<I>, typename B::template layer_at<I>>..., true};
        return std::size_t(std::find(same, same + Count, false) - same);
    }(std::make_index_sequence<Count>{});
}

// A named trait, so that the compiler prints the position with the error.
template <std::size_t Position>
struct layer_differs_between_the_two_networks_at {
    static constexpr bool value = false;
};

// Copies the values of `from`'s layers in `from_values` into `to`'s in `to_values`, and
// reports them.
template <class From, class To>
load_report copy_values(const From& from, To& to, layer_values from_values, layer_values to_values) {
    std::copy(from.parameters().begin() + std::ptrdiff_t(from_values.params.first),
              from.parameters().begin() + std::ptrdiff_t(from_values.params.last),
              to.parameters().begin() + std::ptrdiff_t(to_values.params.first));
    std::copy(from.buffers().begin() + std::ptrdiff_t(from_values.buffers.first),
              from.buffers().begin() + std::ptrdiff_t(from_values.buffers.last),
              to.buffers().begin() + std::ptrdiff_t(to_values.buffers.first));
    // Where a tensor's values are tells whether it was copied.
    const auto inside = [](auto values, const auto& whole, index_range params, index_range buffers) {
        const bool in_params = values.data() >= whole.parameters().data() &&
                               values.data() < whole.parameters().data() + whole.parameters().size();
        const std::size_t at = std::size_t(values.data() - (in_params ? whole.parameters().data() : whole.buffers().data()));
        const index_range r = in_params ? params : buffers;
        return at >= r.first && at < r.last;
    };
    load_report report;
    for_each_parameter_tensor(to, [&](const std::string& name, const tensor_desc&, auto values) {
        (inside(values, to, to_values.params, to_values.buffers) ? report.loaded : report.initialized).push_back(name);
    });
    for_each_parameter_tensor(from, [&](const std::string& name, const tensor_desc&, auto values) {
        if (!inside(values, from, from_values.params, from_values.buffers)) report.unused.push_back(name);
    });
    return report;
}

}  // namespace detail

/// Loads the tensors `which` selects from a parameter file that `save_parameters` wrote for
/// any network (a pretrained one with another head, say), matching them by name. Throws
/// `io_error` and leaves `net` as it was when the file cannot be read or is corrupt, when a
/// selected tensor is not in the file, or when a tensor's shape differs from the network's
/// (naming the tensor and both shapes); std::invalid_argument for a path that names no layer.
///
///     auto report = typenet::load_parameters(net, "pretrained.tnet", {.first_layers = 9});
///     fmt::print("{}", report.describe());
template <class Net>
load_report load_parameters(Net& net, const std::filesystem::path& file, const partial_load& which) {
    using T = typename Net::scalar_type;
    for (const std::string& path : which.layers)
        if (!detail::find_layer<typename Net::block>(path))
            throw std::invalid_argument(fmt::format(
                "typenet: load_parameters: partial_load's layer \"{}\" is not a layer of the network (paths are "
                "PyTorch's module names: \"3\", or \"3.1\" inside the block at 3)",
                path));
    const std::vector<std::uint8_t> bytes = detail::read_file_prefix(file, detail::largest_source_file);
    if (bytes.size() > detail::largest_source_file)
        throw io_error(file, fmt::format("too long: over {} bytes, more than any parameter file", detail::largest_source_file));
    const detail::stored_parameters stored = detail::read_parameter_file(file, bytes);
    std::map<std::string_view, const detail::stored_tensor*> by_name;
    for (const detail::stored_tensor& t : stored.tensors) by_name.emplace(t.name, &t);

    // Decoded aside first, so that an error leaves the network untouched.
    std::vector<std::pair<std::span<T>, std::vector<T>>> taken;
    load_report report;
    for_each_parameter_tensor(net, [&](const std::string& name, const tensor_desc& desc, std::span<T> into) {
        const auto found = by_name.find(name);
        if (!detail::selected(which, name) || (found == by_name.end() && which.selects_all())) {
            report.initialized.push_back(name);
            return;
        }
        const std::vector<std::uint64_t> dims(desc.dims.begin(), desc.dims.begin() + std::ptrdiff_t(desc.rank));
        if (found == by_name.end())
            throw io_error(file, fmt::format("tensor {} {} is to be loaded, but the file has no tensor of that name",
                                             name, detail::dims_text(dims)));
        const detail::stored_tensor& t = *found->second;
        if (t.dims != dims)
            throw io_error(file, fmt::format("tensor {} is {} in the file but {} in the network", name,
                                             detail::dims_text(t.dims), detail::dims_text(dims)));
        std::vector<T> values(desc.size());
        detail::decode_values(file, t, stored.scalar_code, which.values, values.data());
        taken.emplace_back(into, std::move(values));
        report.loaded.push_back(name);
        by_name.erase(found);
    });
    for (const auto& [into, values] : taken) std::ranges::copy(values, into.begin());
    for (const detail::stored_tensor& t : stored.tensors)
        if (by_name.contains(t.name)) report.unused.emplace_back(t.name);
    return report;
}

/// Copies the parameters and buffers of the first `Count` layers of `from` into `to`. The
/// two networks' first `Count` layers must be the same layers on the same shapes, which is
/// checked at compile time; their scalar types may differ.
///
///     auto report = typenet::copy_first_layers<9>(pretrained, fine_tuned);
template <std::size_t Count, class From, class To>
load_report copy_first_layers(const From& from, To& to) {
    static_assert(Count <= From::layer_count && Count <= To::layer_count,
                  "typenet: copy_first_layers<Count>: a network has fewer layers than Count");
    constexpr std::size_t differ = detail::first_different_layer<From, To, Count>();
    static_assert(differ == Count || detail::layer_differs_between_the_two_networks_at<differ>::value,
                  "typenet: copy_first_layers<Count>: the networks' first Count layers must be the same layers on the "
                  "same input shapes; the position printed with this error is the first that differs");
    return detail::copy_values(from, to, detail::first_layers<typename From::block>(Count),
                               detail::first_layers<typename To::block>(Count));
}

/// Copies the parameters and buffers of `from`'s layer (or block) at position `FromPosition`
/// into `to`'s at `ToPosition`: the same layer on the same input shape, checked at compile time.
///
///     auto report = typenet::copy_layer<0, 0>(pretrained, fine_tuned);   // a block of features
template <std::size_t FromPosition, std::size_t ToPosition, class From, class To>
load_report copy_layer(const From& from, To& to) {
    static_assert(FromPosition < From::layer_count && ToPosition < To::layer_count,
                  "typenet: copy_layer<FromPosition, ToPosition>: a network has no layer at that position");
    static_assert(std::is_same_v<typename From::template layer_at<FromPosition>, typename To::template layer_at<ToPosition>>,
                  "typenet: copy_layer<FromPosition, ToPosition>: the two layers differ, or their input shapes do");
    return detail::copy_values(from, to, *detail::find_layer<typename From::block>(std::to_string(FromPosition)),
                               *detail::find_layer<typename To::block>(std::to_string(ToPosition)));
}

}  // namespace typenet
