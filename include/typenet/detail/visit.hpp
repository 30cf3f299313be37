/// Defines `typenet::detail::visit_layers`, a walk over the bound layers of a block and
/// of the blocks inside it, with each layer's position and parameter offset, and
/// `any_layer`, the same walk at compile time for a property of the layers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/hana/for_each.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/unpack.hpp>

#include <typenet/layer.hpp>

namespace typenet::detail {

/// What `visit_layers` tells about one layer.
struct layer_site {
    std::string path;              // "3" or "3.1" inside a block: PyTorch's module name
    std::size_t depth = 0;         // 0 for the network's own layers
    std::size_t parameter_offset;  // into the network's parameters
    std::size_t buffer_offset;     // into the network's buffers
    bool fused = false;            // runs inside the loop of the layer before it
};

/// Calls `f(hana::type_c<Bound>, site)` for every layer of `Block`, a block before the layers inside it.
template <class Block, class F>
void visit_layers(F&& f, const std::string& prefix = "", std::size_t depth = 0, std::size_t offset = 0,
                  std::size_t buffer_offset = 0) {
    std::size_t index = 0;
    boost::hana::for_each(typename Block::layers{}, [&](auto t) {
        using bound = typename decltype(t)::type;
        const std::string path = prefix + std::to_string(index);
        f(t, layer_site{path, depth, offset, buffer_offset, Block::fused[index]});
        if constexpr (nests_layers<bound>) visit_layers<bound>(f, path + ".", depth + 1, offset, buffer_offset);
        offset += bound::parameter_count;
        buffer_offset += layer_traits<bound>::buffer_count;
        ++index;
    });
}

/// The parameters and buffers of one layer (a block's: those of its layers), in the
/// network's arrays.
struct layer_values {
    index_range params, buffers;
};

/// Those of the layer of `Block` at `path` ("3", "3.1"), if a layer has that path.
template <class Block>
std::optional<layer_values> find_layer(std::string_view path) {
    std::optional<layer_values> found;
    visit_layers<Block>([&](auto t, const layer_site& site) {
        using bound = typename decltype(t)::type;
        if (site.path == path)
            found = layer_values{{site.parameter_offset, site.parameter_offset + bound::parameter_count},
                                 {site.buffer_offset, site.buffer_offset + layer_traits<bound>::buffer_count}};
    });
    return found;
}

/// Those of the first `count` layers of `Block` (all of them if it has fewer).
template <class Block>
layer_values first_layers(std::size_t count) {
    layer_values first;
    std::size_t position = 0;
    visit_layers<Block>([&](auto t, const layer_site& site) {
        using bound = typename decltype(t)::type;
        if (site.depth == 0 && position++ < count) {
            first.params.last = site.parameter_offset + bound::parameter_count;
            first.buffers.last = site.buffer_offset + layer_traits<bound>::buffer_count;
        }
    });
    return first;
}

/// Whether `Property<Bound>::value` holds for a layer of `Block` or of the blocks inside
/// it: a run-time walk for what only some networks have then costs the others no code.
template <template <class> class Property, class Block>
constexpr bool any_layer() {
    return boost::hana::unpack(typename Block::layers{}, [](auto... t) {
        return ([]<class Bound>(boost::hana::basic_type<Bound>) {
            if constexpr (nests_layers<Bound>)
                return Property<Bound>::value || any_layer<Property, Bound>();
            else
                return bool(Property<Bound>::value);
        }(t) || ... || false);
    });
}

}  // namespace typenet::detail
