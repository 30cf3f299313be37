/// Defines `typenet::onnx::detail::layer_view`, a network's layers as plain data: what
/// an ONNX graph is checked against. Only this walk is a template; the checks are
/// compiled once, whatever the network.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/hana/for_each.hpp>

#include <typenet/detail/branches.hpp>
#include <typenet/detail/grouped_conv_layer.hpp>
#include <typenet/detail/window.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/dropout.hpp>
#include <typenet/layers/elu.hpp>
#include <typenet/layers/leaky_relu.hpp>
#include <typenet/summary.hpp>

namespace typenet::onnx::detail {

/// Where a tensor of the network lives: in its parameters or its buffers.
struct tensor_slot {
    std::string name;  // PyTorch's state_dict key: "3.0.weight"
    std::vector<std::size_t> dims;
    bool buffer = false;
    std::size_t offset = 0;  // into the parameters or the buffers
};

/// One layer, or a block and the layers inside it.
struct layer_view {
    enum class form { layer, sequence, add, concat };

    form kind_of_block = form::layer;
    std::string path;         // "3.0.1", PyTorch's module name
    std::string description;  // as in typenet::summary: "conv2d 16 5x5"
    std::string kind;         // its first word: "conv2d"
    std::vector<std::size_t> input_dims, output_dims;  // one sample's
    std::vector<layer_view> inside;                   // a block's layers or branches
    std::vector<tensor_slot> tensors;                 // parameters, then buffers

    // A convolution's or a pool's window; a signal's is its `w`, a volume's also `depth`.
    bool has_window = false;
    typenet::detail::window win{};
    typenet::detail::axis depth{};
    long groups = 1;
    std::array<long, 2> output_padding{};  // a transposed convolution's (height, width)
    bool count_padding = true;  // an average pool's divisor
    double epsilon = 0;         // batch norm
    double slope = 0;           // leaky_relu
    double alpha = 0;           // elu
    double ratio = 0;           // dropout

    /// The window's axes in ONNX's order of the spatial axes.
    std::vector<const typenet::detail::axis*> spatial_axes() const {
        switch (input_dims.size()) {
            case 2: return {&win.w};
            case 3: return {&win.h, &win.w};
            default: return {&depth, &win.h, &win.w};
        }
    }

    std::string text() const {
        return fmt::format("layer {} \"{}\" {} -> {}", path.empty() ? "(network)" : path, description,
                           fmt::format("({})", fmt::join(input_dims, ", ")),
                           fmt::format("({})", fmt::join(output_dims, ", ")));
    }
};

template <class Shape>
std::vector<std::size_t> dims_of() {
    return {Shape::dims.begin(), Shape::dims.end()};
}

// The convolutions' bound layers all derive from conv_layer_for, whose arguments say the rest.
template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
void read_convolution(const typenet::detail::conv_layer_for<Group, Groups, In, Out, Spatial>*, layer_view& v) {
    v.has_window = true;
    v.win = Group.win;
    v.groups = Groups;
}
inline void read_convolution(const void*, layer_view&) {}

template <class Op>
struct elementwise_facts {
    static void read(layer_view&) {}
};
template <int N, int D>
struct elementwise_facts<leaky_relu<N, D>> {
    static void read(layer_view& v) { v.slope = double(N) / double(D); }
};
template <int N, int D>
struct elementwise_facts<elu<N, D>> {
    static void read(layer_view& v) { v.alpha = double(N) / double(D); }
};
template <int N, int D>
struct elementwise_facts<dropout<N, D>> {
    static void read(layer_view& v) { v.ratio = double(N) / double(D); }
};

/// `Bound`, at `path` with its tensors at these offsets, as plain data.
template <class Bound>
layer_view view_of(const std::string& path, std::size_t offset, std::size_t buffer_offset) {
    layer_view v;
    v.path = path;
    v.description = Bound::describe();
    v.kind = v.description.substr(0, v.description.find(' '));
    v.input_dims = dims_of<typename Bound::input_shape>();
    v.output_dims = dims_of<typename Bound::output_shape>();
    if constexpr (typenet::detail::nests_layers<Bound>) {
        if constexpr (requires { Bound::how; })
            v.kind_of_block = Bound::how == typenet::detail::merge::add ? layer_view::form::add : layer_view::form::concat;
        else
            v.kind_of_block = layer_view::form::sequence;
        std::size_t index = 0;
        boost::hana::for_each(typename Bound::layers{}, [&](auto t) {
            using inner = typename decltype(t)::type;
            v.inside.push_back(view_of<inner>((path.empty() ? "" : path + ".") + std::to_string(index++), offset,
                                              buffer_offset));
            offset += inner::parameter_count;
            buffer_offset += typenet::detail::layer_traits<inner>::buffer_count;
        });
    } else {
        for (const tensor_desc& d : typenet::detail::layer_traits<Bound>::parameter_tensors) {
            v.tensors.push_back({path + "." + std::string(d.name), {d.dims.begin(), d.dims.begin() + d.rank}, false, offset});
            offset += d.size();
        }
        for (const tensor_desc& d : typenet::detail::layer_traits<Bound>::buffer_tensors) {
            v.tensors.push_back(
                {path + "." + std::string(d.name), {d.dims.begin(), d.dims.begin() + d.rank}, true, buffer_offset});
            buffer_offset += d.size();
        }
        read_convolution(static_cast<const Bound*>(nullptr), v);
        if constexpr (requires { Bound::geometry.win.d; }) {  // conv3d, max_pool3d, avg_pool3d
            v.has_window = true;
            v.depth = Bound::geometry.win.d;
            v.win = {Bound::geometry.win.h, Bound::geometry.win.w};
            if constexpr (requires { Bound::geometry.count_padding; }) v.count_padding = Bound::geometry.count_padding;
            if constexpr (requires { Bound::geometry.groups; }) v.groups = Bound::geometry.groups;
        } else if constexpr (requires { Bound::geometry.win; }) {  // max_pool, avg_pool
            v.has_window = true;
            v.win = Bound::geometry.win;
            v.count_padding = Bound::geometry.count_padding;
        }
        if constexpr (requires { Bound::input_window; }) {  // conv_transpose2d
            v.has_window = true;
            v.win = Bound::input_window;
            v.output_padding = Bound::output_padding_amounts;
            v.groups = Bound::group_count;
        }
        if constexpr (requires { Bound::padding.h; }) {  // zero_pad
            v.has_window = true;
            v.win = Bound::padding;
        }
        if constexpr (requires { Bound::epsilon; }) v.epsilon = Bound::epsilon;
        if constexpr (requires { typename Bound::operation; }) elementwise_facts<typename Bound::operation>::read(v);
    }
    return v;
}

/// `Net`'s layers, as one sequence.
template <class Net>
layer_view network_view() {
    return view_of<typename Net::block>("", 0, 0);
}

}  // namespace typenet::onnx::detail
