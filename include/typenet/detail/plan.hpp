/// Defines `typenet::detail::steps_of` (fusion) and `typenet::detail::arena_plan`
/// (static memory): how a block's bound layers become a few loops over one arena.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include <boost/hana/append.hpp>
#include <boost/hana/back.hpp>
#include <boost/hana/drop_back.hpp>
#include <boost/hana/fold_left.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/conv_pool_layer.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// One loop of the forward pass: layer `Head`, followed by the element-wise layers
/// `Fused...` that run inside its output loop. `Offset` locates Head's parameters.
template <std::size_t Index, std::size_t Offset, class Head, class... Fused>
struct step {
    static constexpr std::size_t index = Index, offset = Offset;
    using head = Head;
    using fused_epilogue = epilogue<Fused...>;
    // The layers after the head that run in this step: its fused ones, and those a
    // composite head (conv_pool_layer) stands for.
    static constexpr std::size_t fused_count = [] {
        if constexpr (requires { Head::absorbed; }) return Head::absorbed + sizeof...(Fused);
        else return sizeof...(Fused);
    }();
    static constexpr std::size_t in_size = Head::input_shape::size;
    static constexpr std::size_t out_size = Head::output_shape::size;
    // An element-wise or in-place loop may write over its input; the others need a new buffer.
    static constexpr bool may_alias = Head::role == layer_role::elementwise || Head::role == layer_role::in_place;
    static constexpr bool takes_epilogue = Head::role == layer_role::compute || Head::role == layer_role::elementwise;
    static constexpr std::size_t scratch_size = layer_traits<Head>::scratch_size;
    static constexpr bool keeps_scratch = layer_traits<Head>::keeps_scratch;
    // Whether the head runs many samples in one pass (a dense layer: its weights read once).
    static constexpr bool batches = layer_traits<Head>::batches;

    template <class Next>
    using fuse = step<Index, Offset, Head, Fused..., Next>;

    template <class T>
    static void run(const T* params, const T* in, T* out, T* scratch) {
        Head::forward(params + Offset, in, out, scratch, epilogue<Fused...>{});
    }

    template <class T>
    static void run_batch(const T* params, batch_rows<const T> in, batch_rows<T> out, std::size_t count) {
        Head::forward_batch(params + Offset, in, out, count, epilogue<Fused...>{});
    }

    // Training: the head's own storage (a nested block's activations) lives in `store`.
    static constexpr std::size_t training_size = layer_traits<Head>::training_size;
    static constexpr std::size_t backward_scratch_size = layer_traits<Head>::backward_scratch_size;

    // A head whose training pass differs from its inference (dropout, a block of
    // branches) has a forward_train; one that fuses layers after it takes their epilogue.
    template <class T>
    static void run_train(const T* params, const T* in, T* out, T* store, train_context ctx) {
        if constexpr (requires { Head::forward_train(params, in, out, store, ctx, epilogue<Fused...>{}); })
            Head::forward_train(params + Offset, in, out, store, ctx, epilogue<Fused...>{});
        else if constexpr (requires { Head::forward_train(params, in, out, store, ctx); })
            Head::forward_train(params + Offset, in, out, store, ctx);
        else
            Head::forward(params + Offset, in, out, store, epilogue<Fused...>{});
    }

    // `grad_out` holds dL/dout of the whole step and is overwritten.
    template <class T>
    static void backward(const T* params, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context ctx) {
        epilogue<Fused...>::chain_rule(out, grad_out, out_size);
        Head::backward(params + Offset, in, out, store, grad_out, grad_in, grad_params + Offset, scratch, ctx);
    }

    template <class T>
    static void backward_batch(const T* params, batch_rows<const T> in, batch_rows<const T> out,
                               batch_rows<T> grad_out, batch_rows<T> grad_in, T* grad_params, std::size_t count) {
        for (std::size_t n = 0; n < count; ++n) epilogue<Fused...>::chain_rule(out[n], grad_out[n], out_size);
        Head::backward_batch(params + Offset, in, grad_out, grad_in, grad_params + Offset, count);
    }
};

/// Which element-wise layers a step may run in its loop.
enum class fusion {
    inference,  // any, after a compute or element-wise layer; dropout is the identity
    training,   // one, after a compute layer, if its derivative follows from its output
};

template <fusion Policy, class Last, class Next>
constexpr bool fuses() {
    if constexpr (Next::role != layer_role::elementwise)
        return false;
    else if constexpr (Policy == fusion::inference)
        return Last::takes_epilogue;
    else
        return Last::head::role == layer_role::compute && Last::fused_count == 0 &&
               requires(float y) { Next::derivative(y); };
}

// Inference runs a pool in the step of the convolution before it, when the pool can take
// the convolution's rows in bands; the element-wise layers between them stay fused.
template <fusion Policy, class Last, class Next>
constexpr bool pools_in_step() {
    if constexpr (Policy != fusion::inference) return false;
    else if constexpr (!requires { Last::head::rows_per_block; }) return false;
    else if constexpr (!requires { Next::takes_rows_in_bands; }) return false;
    else return Next::takes_rows_in_bands;
}

template <std::size_t I, std::size_t Offset, class Bound>
struct indexed {};

/// Groups bound layers into steps: an element-wise layer joins the step before it when
/// that step's loop can run it, and starts its own step otherwise.
template <fusion Policy, class... Indexed>
constexpr auto steps_of(Indexed...) {
    namespace hana = boost::hana;
    return hana::fold_left(hana::make_tuple(Indexed{}...), hana::make_tuple(), [](auto steps, auto item) {
        return [&]<std::size_t I, std::size_t Offset, class Bound>(indexed<I, Offset, Bound>) {
            constexpr std::size_t count = decltype(hana::length(steps))::value;
            if constexpr (count > 0) {
                using last = typename decltype(+hana::back(steps))::type;
                if constexpr (fuses<Policy, last, Bound>())
                    return hana::append(hana::drop_back(steps), hana::type_c<typename last::template fuse<Bound>>);
                else if constexpr (pools_in_step<Policy, last, Bound>())
                    return hana::append(
                        hana::drop_back(steps),
                        hana::type_c<step<last::index, last::offset,
                                          conv_pool_layer<typename last::head, typename last::fused_epilogue, Bound>>>);
                else
                    return hana::append(steps, hana::type_c<step<count, Offset, Bound>>);
            } else {
                return hana::append(steps, hana::type_c<step<count, Offset, Bound>>);
            }
        }(item);
    });
}

/// Where each of consecutive pieces of these sizes starts: 0, then the running sums.
template <std::size_t N>
constexpr std::array<std::size_t, N> starts_of(std::array<std::size_t, N> sizes) {
    std::array<std::size_t, N> start{};
    for (std::size_t k = 1; k < N; ++k) start[k] = start[k - 1] + sizes[k - 1];
    return start;
}

template <fusion Policy, class... Bound, std::size_t... I>
constexpr auto steps_of_bound(std::index_sequence<I...>) {
    [[maybe_unused]] constexpr auto offsets = starts_of(std::array<std::size_t, sizeof...(Bound)>{Bound::parameter_count...});
    return steps_of<Policy>(indexed<I, offsets[I], Bound>{}...);
}

/// Where a step's input or output lives: the caller's buffers, or one end of the arena.
enum class place : unsigned char { input, low, high, output };

/// A two-ended arena: each step reads from one end and writes to the other (or over its
/// input, when it may alias), so the arena needs only the largest in + out + scratch,
/// each in whole cache lines: that is `shared`. After it, each step that keeps its
/// scratch between passes has a region of its own.
template <std::size_t N>
struct arena_plan {
    std::array<place, N> in{}, out{};
    std::array<std::size_t, N> scratch_offset{};
    std::size_t shared = 0, size = 0;
};

struct step_sizes {
    std::size_t in, out, scratch;
    bool may_alias, keeps_scratch;
};

template <std::size_t N>
constexpr arena_plan<N> plan_arena(std::array<step_sizes, N> steps) {
    arena_plan<N> plan;
    place current = place::input;
    for (std::size_t i = 0; i < N; ++i) {
        plan.in[i] = current;
        if (i + 1 == N)
            current = place::output;
        else if (current == place::input)
            current = place::low;
        else if (!steps[i].may_alias)
            current = current == place::low ? place::high : place::low;
        plan.out[i] = current;
        std::size_t low = 0, high = 0;
        auto use = [&](place p, std::size_t n) {
            if (p == place::low) low = std::max(low, whole_lines(n));
            if (p == place::high) high = std::max(high, whole_lines(n));
        };
        use(plan.in[i], steps[i].in);
        use(plan.out[i], steps[i].out);
        plan.scratch_offset[i] = low;
        plan.shared = std::max(plan.shared, low + high + (steps[i].keeps_scratch ? 0 : whole_lines(steps[i].scratch)));
    }
    plan.size = plan.shared;
    for (std::size_t i = 0; i < N; ++i)
        if (steps[i].keeps_scratch) {
            plan.scratch_offset[i] = plan.size;
            plan.size += whole_lines(steps[i].scratch);
        }
    return plan;
}

}  // namespace typenet::detail
