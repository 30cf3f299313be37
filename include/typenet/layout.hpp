/// Defines `typenet::for_each_parameter_tensor`: the one place where typenet's tensor
/// layout meets PyTorch's.
///
/// The mapping, for exchanging weights:
/// - Activations are channels first, one sample after another: PyTorch's NCHW for images
///   (`input<C, H, W>`), NCL for signals (`input<C, L>`), NC for vectors.
/// - conv2d's weight is PyTorch's `Conv2d.weight`, OIHW `(filters, channels, kh, kw)`;
///   conv1d's is OIW; dense's is `Linear.weight`, `(units, inputs)`; each bias follows
///   its weight. `flatten` keeps C·H·W order, as `torch.flatten(x, 1)` does.
/// - `network::parameters()` holds every layer's tensors in order: for an
///   `nn.Sequential` with the same layers (input left out), it equals
///   `torch.cat([p.flatten() for p in model.parameters()])`, and the tensor names below
///   are the keys of its `state_dict()` ("0.weight", "0.bias", "3.1.weight" for the
///   second layer inside a block at position 3).
/// - `network::buffers()` holds the state saved but not trained, PyTorch's buffers:
///   batch norm's `running_mean` and `running_var` (its `num_batches_tracked` is not kept).
///   The tensors below include them, each layer's after its parameters, as in `state_dict()`.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include <typenet/detail/visit.hpp>
#include <typenet/layer.hpp>

namespace typenet {

namespace detail {

/// Calls `f(hana::type_c<Bound>, name, desc, values)` for every tensor of `net`, its
/// parameters and buffers, in the order of PyTorch's state_dict, with the layer it belongs
/// to (for its fan-in, say).
template <class Net, class F>
void for_each_layer_tensor(Net& net, F&& f) {
    auto params = net.parameters();
    auto buffers = net.buffers();
    visit_layers<typename Net::block>([&](auto t, const layer_site& site) {
        using bound = typename decltype(t)::type;
        if constexpr (!nests_layers<bound>) {
            std::size_t offset = site.parameter_offset;
            for (const tensor_desc& d : layer_traits<bound>::parameter_tensors) {
                f(t, site.path + "." + std::string(d.name), d, params.subspan(offset, d.size()));
                offset += d.size();
            }
            offset = site.buffer_offset;
            for (const tensor_desc& d : layer_traits<bound>::buffer_tensors) {
                f(t, site.path + "." + std::string(d.name), d, buffers.subspan(offset, d.size()));
                offset += d.size();
            }
        }
    });
}

}  // namespace detail

/// Calls `f(name, desc, values)` for every tensor of `net` (parameters and buffers), in
/// order, where `name` is PyTorch's state_dict key, `desc` the shape and `values` a span
/// into the network's parameters or buffers.
template <class Net, class F>
void for_each_parameter_tensor(Net& net, F&& f) {
    detail::for_each_layer_tensor(net, [&](auto, const std::string& name, const tensor_desc& d, auto values) {
        f(name, d, values);
    });
}

}  // namespace typenet
