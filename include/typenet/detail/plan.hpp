/// Defines `typenet::detail::steps_of_bound` (fusion) and `typenet::detail::arena_plan`
/// (static memory): how a block's bound layers become a few loops over one arena.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/conv_pool_layer.hpp>
#include <typenet/detail/folded_batch_norm.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// One loop of the forward pass: layer `Head`, followed by the element-wise layers
/// `Fused...` that run inside its output loop. `Offset` and `BufferOffset` locate Head's
/// parameters and buffers.
template <std::size_t Index, std::size_t Offset, std::size_t BufferOffset, class Head, class... Fused>
struct step {
    static constexpr std::size_t index = Index, offset = Offset;
    using head = Head;
    using fused_epilogue = epilogue<fused_operation<Fused>...>;
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
    // Whether element-wise layers after it can run in its loop: a compute or element-wise
    // head's, or a block's whose last step can.
    static constexpr bool takes_epilogue = [] {
        if constexpr (Head::role == layer_role::block) return bool(Head::takes_epilogue);
        else return Head::role == layer_role::compute || Head::role == layer_role::elementwise;
    }();
    static constexpr std::size_t scratch_size = layer_traits<Head>::scratch_size;
    static constexpr std::size_t kept_size = layer_traits<Head>::kept_size;
    // Whether the head runs many samples in one pass (a dense layer: its weights read once).
    static constexpr bool batches = layer_traits<Head>::batches;
    // Whether the head's training pass takes the whole batch at once (batch norm).
    static constexpr bool synchronizes = layer_traits<Head>::synchronizes;
    static constexpr std::size_t batch_rows_size = layer_traits<Head>::batch_rows_size;
    static constexpr std::size_t sync_width = layer_traits<Head>::sync_width;

    template <class Next>
    using fuse = step<Index, Offset, BufferOffset, Head, Fused..., Next>;

    // What the head is given of the weights: a pointer to its parameters, or its weights
    // when it has buffers or layers inside.
    template <class T>
    static auto own(weights<T> w) {
        if constexpr (takes_weights<Head>) return w.at(Offset, BufferOffset);
        else return w.params + Offset;
    }

    template <class T>
    static void run(weights<T> w, const T* in, T* out, T* scratch) {
        Head::forward(own(w), in, out, scratch, fused_epilogue{});
    }

    // Whether the step can add a tensor to its output in its loop (an adding_epilogue).
    static constexpr bool adds_in_loop = layer_traits<Head>::adds_in_loop;

    // run, the step's loop also running `finish` after its fused layers: the element-wise
    // layers after the block that ends with this step (an epilogue), or the shortcut of the
    // residual block whose body it ends (an adding_epilogue, for adds_in_loop steps).
    template <class T, class Finish>
    static void run_finishing(weights<T> w, const T* in, T* out, T* scratch, Finish finish) {
        if constexpr (Head::role == layer_role::block) {
            static_assert(sizeof...(Fused) == 0, "typenet: a block's fused layers run in its last step");
            Head::forward(own(w), in, out, scratch, finish);
        } else if constexpr (Finish::adds) {
            Head::forward(own(w), in, out, scratch,
                          adding_epilogue<T, fused_epilogue, typename Finish::after>{finish.addend, finish.out});
        } else {
            Head::forward(own(w), in, out, scratch, typename fused_epilogue::template then<Finish>{});
        }
    }

    template <class T>
    static void run_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, std::size_t count, T* scratch) {
        Head::forward_batch(own(w), in, out, count, scratch, fused_epilogue{});
    }

    // Training: the head's own storage (a nested block's activations) lives in `store`.
    static constexpr std::size_t training_size = layer_traits<Head>::training_size;
    static constexpr std::size_t backward_scratch_size = layer_traits<Head>::backward_scratch_size;

    // A head whose training pass differs from its inference (dropout, a block of
    // branches) has a forward_train; one that fuses layers after it takes their epilogue.
    template <class T>
    static void run_train(weights<T> w, const T* in, T* out, T* store, train_context ctx) {
        if constexpr (requires { Head::forward_train(own(w), in, out, store, ctx, fused_epilogue{}); })
            Head::forward_train(own(w), in, out, store, ctx, fused_epilogue{});
        else if constexpr (requires { Head::forward_train(own(w), in, out, store, ctx); })
            Head::forward_train(own(w), in, out, store, ctx);
        else
            Head::forward(own(w), in, out, store, fused_epilogue{});
    }

    // Whether the step's training pass can add a tensor to its output in its loop: no layer
    // runs after its head (its derivative would be read from the sum), or its head is a
    // block whose last step can.
    static constexpr bool adds_in_training_loop = [] {
        if constexpr (Head::role == layer_role::block) return bool(Head::adds_in_training_loop);
        else return layer_traits<Head>::adds_in_loop && sizeof...(Fused) == 0;
    }();

    // run_train, the head's loop also adding `finish`'s addend (an adding_epilogue), for
    // adds_in_training_loop steps.
    template <class T, class Finish>
    static void run_train_finishing(weights<T> w, const T* in, T* out, T* store, train_context ctx, Finish finish) {
        static_assert(adds_in_training_loop);
        if constexpr (requires { Head::forward_train(own(w), in, out, store, ctx, finish); })
            Head::forward_train(own(w), in, out, store, ctx, finish);
        else
            Head::forward(own(w), in, out, store, finish);
    }

    // Where the head adds its parameters' gradient: nowhere (null) if they are all frozen.
    // A block's layers decide each for itself.
    template <class T>
    static T* gradient_of_head(weights<T> w, T* grad_params) {
        if constexpr (nests_layers<Head>) return grad_params + Offset;
        else return w.trains(Offset, Head::parameter_count) ? grad_params + Offset : nullptr;
    }
    /// Whether the backward pass computes a gradient in this step: of a parameter, its own
    /// or that of a layer in its block.
    template <class T>
    static bool trains(weights<T> w) {
        return w.trains(Offset, Head::parameter_count);
    }

    // `grad_out` holds dL/dout of the whole step and is overwritten.
    template <class T>
    static void backward(weights<T> w, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context ctx) {
        fused_epilogue::chain_rule(out, grad_out, out_size);
        Head::backward(own(w), in, out, store, grad_out, grad_in, gradient_of_head(w, grad_params), scratch, ctx);
    }

    template <class T>
    static void backward_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T> out,
                               batch_rows<T> grad_out, batch_rows<T> grad_in, T* grad_params, std::size_t count) {
        for (std::size_t n = 0; n < count; ++n) fused_epilogue::chain_rule(out[n], grad_out[n], out_size);
        Head::backward_batch(own(w), in, grad_out, grad_in, gradient_of_head(w, grad_params), count);
    }

    // The training passes of a head that takes the whole batch at once.
    template <class T, class Contexts>
    static void run_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, batch_rows<T> store,
                                std::size_t count, const Contexts& contexts) {
        Head::forward_train_batch(own(w), in, out, store, count, contexts, fused_epilogue{});
    }

    // run_train_batch, sample n's loop adding `finish.sample(n)`'s addend.
    template <class T, class Contexts, class Finish>
    static void run_train_batch_finishing(weights<T> w, batch_rows<const T> in, batch_rows<T> out,
                                          batch_rows<T> store, std::size_t count, const Contexts& contexts,
                                          Finish finish) {
        static_assert(adds_in_training_loop);
        Head::forward_train_batch(own(w), in, out, store, count, contexts, finish);
    }

    template <class T, class Contexts>
    static void backward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T> out,
                                     batch_rows<const T> store, batch_rows<T> grad_out, batch_rows<T> grad_in,
                                     T* grad_params, T* scratch, T* rows, std::size_t count, const Contexts& contexts) {
        for (std::size_t n = 0; n < count; ++n) fused_epilogue::chain_rule(out[n], grad_out[n], out_size);
        Head::backward_train_batch(own(w), in, out, store, grad_out, grad_in, gradient_of_head(w, grad_params), scratch,
                                   rows, count, contexts);
    }
};

/// Which element-wise layers a step may run in its loop.
enum class fusion {
    inference,  // any, after a compute or element-wise layer; dropout is the identity
    training,   // one, after a compute layer, if its derivative follows from its output
};

/// What deciding a layer's step needs to know of it.
struct fusion_facts {
    bool elementwise = false;    // may run in the loop of the step before it
    bool has_derivative = false; // its derivative follows from its output (training fuses it)
    bool compute = false;        // reads `in`, writes a new `out`, takes an epilogue
    bool row_blocks = false;     // a convolution that computes its rows in blocks
    bool takes_bands = false;    // a pool that can take a convolution's rows in bands
    bool takes_norm = false;     // a convolution or dense layer a batch norm after it can be folded into
    bool folds = false;          // a batch norm, folded into the layer before it
    bool block_takes_epilogue = false;  // a block whose last step can run element-wise layers after it
};

template <class Bound>
constexpr fusion_facts facts_of() {
    fusion_facts f;
    f.elementwise = Bound::role == layer_role::elementwise;
    f.has_derivative = requires(float y) { Bound::derivative(y); };
    f.compute = Bound::role == layer_role::compute;
    f.row_blocks = requires { Bound::rows_per_block; };
    if constexpr (requires { Bound::takes_rows_in_bands; }) f.takes_bands = Bound::takes_rows_in_bands;
    f.takes_norm = requires { typename Bound::with_bias; };
    f.folds = requires { Bound::folds_into_the_layer_before; };
    if constexpr (Bound::role == layer_role::block) f.block_takes_epilogue = Bound::takes_epilogue;
    return f;
}

/// Layers [first, last) of a block as one step: the first is its head; at inference, a
/// pool at `pool` (if not `none`) runs in the head convolution's step (conv_pool_layer),
/// the layers between them in the convolution's loop and those after it in the pool's;
/// or a batch norm right after the convolution (or dense layer), `norm`, is folded into
/// it (folded_batch_norm), the layers after it in that layer's loop.
struct step_span {
    static constexpr std::size_t none = std::size_t(-1);
    std::size_t first = 0, last = 0, pool = none, norm = none;
};

template <std::size_t N>
struct step_spans {
    std::array<step_span, N> spans{};
    std::size_t count = 0;
};

/// Groups N layers into steps, in one pass: an element-wise layer joins the step before
/// it when that step's loop can run it (any number after a compute or element-wise head
/// at inference; one after a compute head in training, if its derivative follows from its
/// output), a pool joins a convolution's step at inference, so does a batch norm right
/// after a convolution or dense layer, and every other layer starts a step. Values, not types, so that
/// the cost stays linear in the depth.
template <fusion Policy, std::size_t N>
constexpr step_spans<N> group_steps(const std::array<fusion_facts, N>& layers) {
    step_spans<N> plan;
    bool takes_epilogue = false, compute_head = false, row_blocks = false, takes_norm = false;
    std::size_t fused = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const fusion_facts& f = layers[i];
        step_span* last = plan.count > 0 ? &plan.spans[plan.count - 1] : nullptr;
        const bool fuse = last && f.elementwise &&
                          (Policy == fusion::inference ? takes_epilogue
                                                       : compute_head && fused == 0 && f.has_derivative);
        if (fuse) {
            ++fused;
            takes_norm = false;
        } else if (last && Policy == fusion::inference && takes_norm && f.folds) {
            last->norm = i;  // the step's head becomes a folded_batch_norm: a compute layer
            takes_norm = row_blocks = false;
        } else if (last && Policy == fusion::inference && row_blocks && f.takes_bands) {
            last->pool = i;  // the step's head becomes a conv_pool_layer: a compute layer
            takes_epilogue = compute_head = true;
            row_blocks = takes_norm = false;
        } else {
            plan.spans[plan.count++] = step_span{i, i, step_span::none};
            takes_epilogue = f.compute || f.elementwise || (Policy == fusion::inference && f.block_takes_epilogue);
            compute_head = f.compute;
            row_blocks = f.row_blocks;
            takes_norm = f.takes_norm;
            fused = 0;
        }
        plan.spans[plan.count - 1].last = i + 1;
    }
    return plan;
}

// Type K of a pack, found by overload resolution against indexed bases: no recursive
// instantiation per lookup.
template <std::size_t K, class T>
struct indexed_type {
    using type = T;
};
template <class Indices, class... T>
struct indexed_types;
template <std::size_t... K, class... T>
struct indexed_types<std::index_sequence<K...>, T...> : indexed_type<K, T>... {};
template <std::size_t K, class T>
indexed_type<K, T> pick(const indexed_type<K, T>&);
template <std::size_t K, class List>
using type_at = typename decltype(pick<K>(std::declval<List>()))::type;

// Step `J`, of layers `S` of `List`, its head's parameters at `Offset`, buffers at `BufferOffset`.
template <std::size_t J, std::size_t Offset, std::size_t BufferOffset, step_span S, class List>
constexpr auto make_step() {
    if constexpr (S.norm != step_span::none)
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            using head = folded_batch_norm<type_at<S.first, List>, type_at<S.norm, List>>;
            return boost::hana::type_c<step<J, Offset, BufferOffset, head, type_at<S.norm + 1 + K, List>...>>;
        }(std::make_index_sequence<S.last - S.norm - 1>{});
    else if constexpr (S.pool == step_span::none)
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            return boost::hana::type_c<step<J, Offset, BufferOffset, type_at<S.first, List>, type_at<S.first + 1 + K, List>...>>;
        }(std::make_index_sequence<S.last - S.first - 1>{});
    else
        return [&]<std::size_t... K, std::size_t... A>(std::index_sequence<K...>, std::index_sequence<A...>) {
            using head = conv_pool_layer<type_at<S.first, List>, epilogue<type_at<S.first + 1 + K, List>...>,
                                         type_at<S.pool, List>>;
            return boost::hana::type_c<step<J, Offset, BufferOffset, head, type_at<S.pool + 1 + A, List>...>>;
        }(std::make_index_sequence<S.pool - S.first - 1>{}, std::make_index_sequence<S.last - S.pool - 1>{});
}

/// Where each of consecutive pieces of these sizes starts: 0, then the running sums.
template <std::size_t N>
constexpr std::array<std::size_t, N> starts_of(std::array<std::size_t, N> sizes) {
    std::array<std::size_t, N> start{};
    for (std::size_t k = 1; k < N; ++k) start[k] = start[k - 1] + sizes[k - 1];
    return start;
}

/// The steps of a block's bound layers, a hana tuple of `type_c<step<…>>`.
template <fusion Policy, class... Bound, std::size_t... I>
constexpr auto steps_of_bound(std::index_sequence<I...>) {
    constexpr auto offsets = starts_of(std::array<std::size_t, sizeof...(Bound)>{Bound::parameter_count...});
    constexpr auto buffer_offsets =
        starts_of(std::array<std::size_t, sizeof...(Bound)>{layer_traits<Bound>::buffer_count...});
    constexpr auto plan = group_steps<Policy>(std::array<fusion_facts, sizeof...(Bound)>{facts_of<Bound>()...});
    using list = indexed_types<std::index_sequence<I...>, Bound...>;
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return boost::hana::make_tuple(
            make_step<J, offsets[plan.spans[J].first], buffer_offsets[plan.spans[J].first], plan.spans[J], list>()...);
    }(std::make_index_sequence<plan.count>{});
}

/// Where a step's input or output lives: the caller's buffers, or one end of the arena.
enum class place : unsigned char { input, low, high, output };

/// A two-ended arena: each step reads from one end and writes to the other (or over its
/// input, when it may alias), so the arena needs only the largest in + out + scratch,
/// each in whole cache lines. What steps keep between passes (kept_size) lies outside
/// it, each step's region after the one before.
template <std::size_t N>
struct arena_plan {
    std::array<place, N> in{}, out{};
    std::array<std::size_t, N> scratch_offset{}, kept_offset{};
    std::size_t size = 0, kept = 0;
};

struct step_sizes {
    std::size_t in, out, scratch, kept;
    bool may_alias;
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
        plan.size = std::max(plan.size, low + high + whole_lines(steps[i].scratch));
        plan.kept_offset[i] = plan.kept;
        plan.kept += whole_lines(steps[i].kept);
    }
    return plan;
}

}  // namespace typenet::detail
