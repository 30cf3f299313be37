/// Defines `typenet::detail::grouped_conv_layer`, `depthwise_conv_layer` and
/// `conv_layer_for`, which picks between them and `conv_layer`: convolutions whose
/// channels and filters are split into groups (PyTorch's `groups`).
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/conv_layer.hpp>
#include <typenet/detail/parallel.hpp>
#include <typenet/kernels/depthwise_conv2d.hpp>
#include <typenet/kernels/loops.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

/// What every grouped convolution has: `Groups` groups of geometry `Group` (its channels
/// and filters those of one group), PyTorch's parameters and initialisation fans.
template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
struct grouped_conv_base {
    using input_shape = In;
    using output_shape = Out;
    static constexpr layer_role role = layer_role::compute;
    static constexpr long filters = Group.filters * Groups;
    static constexpr std::size_t weight_count = std::size_t(Groups * Group.weight_size());
    static constexpr std::size_t parameter_count = weight_count + (Group.bias ? std::size_t(filters) : 0);
    static constexpr std::size_t taps = std::size_t(Group.win.h.kernel * Group.win.w.kernel);
    // torch.nn.init's fans of the weight (F, C/groups, KH, KW).
    static constexpr std::size_t fan_in = std::size_t(Group.channels) * taps;
    static constexpr std::size_t fan_out = std::size_t(filters) * taps;
    static constexpr std::size_t flops = 2 * fan_in * Out::size + (Group.bias ? Out::size : 0);
    static constexpr auto parameter_tensors = conv_parameter_tensors<Group, Groups, Spatial>();
};

/// One input channel per group (groups = channels), `Group.filters` outputs from each:
/// the depthwise kernel, bound by memory, not a dense kernel over groups of one.
template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
struct depthwise_conv_layer : grouped_conv_base<Group, Groups, In, Out, Spatial> {
    using base = grouped_conv_base<Group, Groups, In, Out, Spatial>;

    template <class T, class Epilogue>
    static void forward(const T* params, const T* in, T* out, T*, Epilogue) {
        split_rows(base::filters, base::flops, [&](long first, long last) {
            kernels::depthwise::conv2d_forward<Group, T, Epilogue>(in, params, params + base::weight_count, out, first,
                                                                   last);
        });
    }

    template <class T>
    static void backward(const T* params, const T* in, const T*, const T*, T* grad_out, T* grad_in, T* grad_params,
                         T*, train_context) {
        kernels::depthwise::conv2d_backward<Group>(Groups, in, params, grad_out, grad_in, grad_params,
                                                   gradient_at(grad_params, base::weight_count));
    }
};

/// Several channels per group: each group is a dense convolution of its own (the fast
/// kernels, without bias), then one pass adds the biases and runs the fused layers.
template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
struct grouped_conv_layer : grouped_conv_base<Group, Groups, In, Out, Spatial> {
    using base = grouped_conv_base<Group, Groups, In, Out, Spatial>;
    static constexpr kernels::conv_geometry unbiased{Group.channels, Group.filters, Group.win, false};
    using one_group = conv_layer<unbiased, typename with_channels<std::size_t(Group.channels), In>::type,
                                 typename with_channels<std::size_t(Group.filters), Out>::type, Spatial>;
    static constexpr std::size_t group_in = one_group::input_shape::size, group_out = one_group::output_shape::size;
    static constexpr std::size_t group_weights = one_group::weight_count;

    // Each group keeps its own packed weights; they share one scratch.
    static constexpr std::size_t group_kept = whole_lines(one_group::kept_size);
    static constexpr std::size_t kept_size = Groups * group_kept;
    static constexpr std::size_t scratch_size = one_group::scratch_size;
    static constexpr std::size_t group_store = whole_lines(layer_traits<one_group>::training_size);
    static constexpr std::size_t training_size = Groups * group_store;
    static constexpr std::size_t backward_scratch_size = layer_traits<one_group>::backward_scratch_size;

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue) {
        run_groups<Epilogue>(w.params, in, out, [&](long g, const T* group_in, T* group_out) {
            one_group::forward(w.at(g * group_weights, 0).kept_at(g * group_kept), group_in, group_out, scratch,
                               epilogue<>{});
        });
    }

    // Training keeps each group's storage (double's unrolled input) for the backward pass.
    template <class T, class Epilogue>
    static void forward_train(weights<T> w, const T* in, T* out, T* store, train_context ctx, Epilogue) {
        run_groups<Epilogue>(w.params, in, out, [&](long g, const T* group_in, T* group_out) {
            one_group::forward_train(w.at(g * group_weights, 0), group_in, group_out, store + g * group_store, ctx,
                                     epilogue<>{});
        });
    }

    template <class T>
    static void backward(weights<T> w, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context ctx) {
        if (Group.bias && grad_params) {
            constexpr std::size_t plane = Out::size / std::size_t(base::filters);
            T* grad_bias = grad_params + base::weight_count;
            for (long f = 0; f < base::filters; ++f) grad_bias[f] += kernels::sum<plane>(grad_out + std::size_t(f) * plane);
        }
        for (long g = 0; g < Groups; ++g)
            one_group::backward(w.at(g * group_weights, 0), in + g * group_in, out + g * group_out,
                                store + g * group_store, grad_out + g * group_out,
                                grad_in ? grad_in + g * group_in : nullptr, gradient_at(grad_params, g * group_weights), scratch,
                                ctx);
    }

private:
    // Each group by `run(g, its input, its output)`, then the biases and fused layers.
    template <class Epilogue, class T, class Run>
    static void run_groups(const T* params, const T* in, T* out, Run&& run) {
        for (long g = 0; g < Groups; ++g) run(g, in + g * group_in, out + g * group_out);
        if constexpr (Group.bias || Epilogue::count > 0) {
            constexpr std::size_t plane = Out::size / std::size_t(base::filters);
            for (long f = 0; f < base::filters; ++f) {
                const T b = Group.bias ? params[base::weight_count + std::size_t(f)] : T(0);
                T* o = out + std::size_t(f) * plane;
                for (std::size_t p = 0; p < plane; ++p) o[p] = Epilogue::apply(o[p] + b);
            }
        }
    }
};

constexpr kernels::conv_geometry biased(kernels::conv_geometry g) {
    g.bias = true;
    return g;
}

/// The bound layer of a convolution of `Groups` groups of geometry `Group`. `with_bias` is
/// the same convolution with a bias, what a batch norm after it is folded into.
template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
struct conv_layer_for : conv_layer<Group, In, Out, Spatial> {
    using with_bias = conv_layer_for<biased(Group), Groups, In, Out, Spatial>;
};

template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
    requires(Groups > 1 && Group.channels == 1)
struct conv_layer_for<Group, Groups, In, Out, Spatial> : depthwise_conv_layer<Group, Groups, In, Out, Spatial> {
    using with_bias = conv_layer_for<biased(Group), Groups, In, Out, Spatial>;
};

template <kernels::conv_geometry Group, long Groups, class In, class Out, std::size_t Spatial>
    requires(Groups > 1 && Group.channels > 1)
struct conv_layer_for<Group, Groups, In, Out, Spatial> : grouped_conv_layer<Group, Groups, In, Out, Spatial> {
    using with_bias = conv_layer_for<biased(Group), Groups, In, Out, Spatial>;
};

}  // namespace typenet::detail
