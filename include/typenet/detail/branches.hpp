/// Defines `typenet::detail::branches_block`: layers that all read one input and whose
/// outputs become one, added (`residual`) or concatenated along channels (`concat`); and
/// `infer_branches`, which checks them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <fmt/format.h>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/block.hpp>
#include <typenet/detail/plan.hpp>
#include <typenet/detail/walk.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/identity.hpp>

namespace typenet::detail {

/// How the outputs of the branches become the block's output.
enum class merge {
    add,       // one shape, summed: a residual connection
    channels,  // one size but for the channels, concatenated along them: an Inception module
};

// One branch walked on the block's input: its output shape, or the error of the layer in
// it that failed, with the branch's number first in its path.
template <std::size_t K, class Walked>
struct branch_walk;

template <std::size_t K, class In, class Out, class Bound>
struct branch_walk<K, walk_ok<In, Out, Bound>> {
    using output_shape = Out;
    using error = void;
};

template <std::size_t K, std::size_t Position, std::size_t... Path, class L, class Got, class Why>
struct branch_walk<K, walk_failed<invalid_layer<layer<Position, Path...>, L, Got, Why>>> {
    using error = invalid_layer<layer<K, Path...>, L, Got, Why>;
};

template <class... Walks>
struct first_failure {
    using type = void;
};
template <class Walk, class... Rest>
struct first_failure<Walk, Rest...> {
    using type = std::conditional_t<std::is_void_v<typename Walk::error>, typename first_failure<Rest...>::type,
                                    typename Walk::error>;
};

/// What `Spec` (residual, concat) makes of `Branches` on an `In`: the first error inside a
/// branch, or else `Spec::merged<output shapes…>()`, a shape or a rejection.
template <class Spec, class In, class... Branches>
constexpr auto infer_branches() {
    return []<std::size_t... K>(std::index_sequence<K...>) {
        using failure = typename first_failure<branch_walk<K, walk<In, Branches>>...>::type;
        if constexpr (!std::is_void_v<failure>)
            return failure{};
        else
            return Spec::template merged<typename branch_walk<K, walk<In, Branches>>::output_shape...>();
    }(std::index_sequence_for<Branches...>{});
}

/// What merging the branches' `Outputs` gives: `merged()` when `Agrees[k]` holds for every
/// branch k (its output fits beside branch 0's), else the rejection
/// `because<Differ<branch_output<0, …>, branch_output<k, …>>>` for the first k that does not.
template <template <class, class> class Differ, auto Agrees, class... Outputs, class Merged>
constexpr auto merge_or_reject(Merged merged) {
    constexpr std::size_t other = std::size_t(std::find(Agrees.begin(), Agrees.end(), false) - Agrees.begin());
    if constexpr (other == Agrees.size())
        return merged();
    else
        return rejection<because<Differ<branch_output<0, std::tuple_element_t<0, std::tuple<Outputs...>>>,
                                        branch_output<other, std::tuple_element_t<other, std::tuple<Outputs...>>>>>>{};
}

// Offsets, per branch, into a block's working memory or its training storage.
template <std::size_t N>
struct branch_places {
    std::array<std::size_t, N> first{}, second{};
    std::size_t size = 0;
};

/// `Branches` bound to `In`, run one after another, their outputs merged as `Spec::how`
/// says. A compute layer: an element-wise layer after it runs in the merge's loop.
template <class Spec, class In, class... Branches>
struct branches_block {
    static constexpr merge how = Spec::how;
    static constexpr std::size_t branch_count = sizeof...(Branches);
    using input_shape = In;
    using output_shape = decltype(infer_branches<Spec, In, Branches...>());
    using layers = boost::hana::tuple<boost::hana::type<bind<Branches, In>>...>;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t layer_count = branch_count;
    static constexpr std::size_t parameter_count = (bind<Branches, In>::parameter_count + ... + 0);
    static constexpr std::size_t buffer_count = (layer_traits<bind<Branches, In>>::buffer_count + ... + 0);
    static constexpr std::size_t flops =
        (bind<Branches, In>::flops + ... + 0) + (how == merge::add ? (branch_count - 1) * output_shape::size : 0);
    // The branches' activations, then the merged output.
    static constexpr std::size_t activation_size =
        (activation_size_of<bind<Branches, In>>() + ... + 0) + output_shape::size;
    // No branch runs in another's loop.
    static constexpr std::array<bool, branch_count> fused{};

    static std::string describe() {
        return fmt::format("{} ({} branches{})", Spec::label(), branch_count,
                           adds_in_body ? ", added in the body's last loop" : "");
    }

private:
    using Out = output_shape;
    // An identity branch is not run: its output is the block's input.
    static constexpr std::array<bool, branch_count> passes_input{std::is_same_v<Branches, identity>...};
    static constexpr std::array<std::size_t, branch_count> output_sizes{bind<Branches, In>::output_shape::size...};
    // Where each branch's output starts in the block's: its channels, when concatenated.
    static constexpr auto output_offset = how == merge::channels ? starts_of(output_sizes)
                                                                   : std::array<std::size_t, branch_count>{};

    static constexpr auto steps = []<std::size_t... K>(std::index_sequence<K...>) {
        constexpr auto offsets = starts_of(std::array<std::size_t, branch_count>{bind<Branches, In>::parameter_count...});
        constexpr auto buffer_offsets =
            starts_of(std::array<std::size_t, branch_count>{layer_traits<bind<Branches, In>>::buffer_count...});
        return boost::hana::make_tuple(
            boost::hana::type_c<step<K, offsets[K], buffer_offsets[K], bind<Branches, In>>>...);
    }(std::index_sequence_for<Branches...>{});

    // Inference: a sum's later terms each in a buffer of their own (the first is written
    // into the output), then the branches' scratch, which they share.
    // first[k]: branch k's term buffer; second[k]: its scratch.
    static constexpr auto inference_places = [] {
        branch_places<branch_count> places;
        for (std::size_t k = 1; k < branch_count; ++k)
            if (how == merge::add && !passes_input[k]) {
                places.first[k] = places.size;
                places.size += whole_lines(Out::size);
            }
        places.second.fill(places.size);
        places.size += std::max({whole_lines(layer_traits<bind<Branches, In>>::scratch_size)...});
        return places;
    }();
    // Where each branch keeps its values between passes.
    static constexpr auto kept_offset =
        starts_of(std::array<std::size_t, branch_count>{whole_lines(layer_traits<bind<Branches, In>>::kept_size)...});

public:
    // In training too, when the body's last training step can add (no layer runs after it
    // in its loop, and its backward pass reads only its input): the block's output is then
    // the body's, and the body's own output is never kept.
    static constexpr bool adds_in_training_body = how == merge::add && branch_count == 2 && !passes_input[0] &&
                                                  decltype(+boost::hana::at_c<0>(steps))::type::adds_in_training_loop;

private:

    // Training keeps, per sample, each branch's output (the merge overwrites nothing a
    // branch's backward pass reads; a body that adds writes the block's output instead)
    // and each branch's own storage.
    // first[k]: branch k's output; second[k]: its storage.
    static constexpr auto training_places = [] {
        const std::array<std::size_t, branch_count> own{layer_traits<bind<Branches, In>>::training_size...};
        branch_places<branch_count> places;
        for (std::size_t k = 0; k < branch_count; ++k) {
            places.first[k] = places.size;
            if (!passes_input[k] && !(k == 0 && adds_in_training_body)) places.size += output_sizes[k];
            places.second[k] = places.size;
            places.size += own[k];
        }
        return places;
    }();
    static constexpr std::size_t widest_output = *std::max_element(output_sizes.begin(), output_sizes.end());

public:
    static constexpr std::size_t scratch_size = inference_places.size;
    static constexpr std::size_t kept_size = (whole_lines(layer_traits<bind<Branches, In>>::kept_size) + ... + 0);
    static constexpr std::size_t training_size = training_places.size;
    // One branch's output gradient, one branch's input gradient before it is added, and
    // what the branches need.
    static constexpr std::size_t backward_scratch_size =
        whole_lines(widest_output) + whole_lines(In::size) +
        std::max({std::size_t(0), layer_traits<bind<Branches, In>>::backward_scratch_size...});

    // A body and one other term (a residual block): the body's last layer adds the other
    // term in its own loop, and runs the layers fused after the block there too.
    static constexpr bool adds_in_body = how == merge::add && branch_count == 2 && !passes_input[0] &&
                                         decltype(+boost::hana::at_c<0>(steps))::type::adds_in_loop;

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue) {
        // The shortcut first, into its buffer; then the body, adding it as it stores.
        if constexpr (adds_in_body) {
            using body = typename decltype(+boost::hana::at_c<0>(steps))::type;
            using other = typename decltype(+boost::hana::at_c<1>(steps))::type;
            const T* addend = in;
            if constexpr (!passes_input[1]) {
                T* const term = scratch + inference_places.first[1];
                other::run(w.kept_at(kept_offset[1]), in, term, scratch + inference_places.second[1]);
                addend = term;
            }
            body::run_finishing(w.kept_at(kept_offset[0]), in, out, scratch + inference_places.second[0],
                                adding_epilogue<T, epilogue<>, Epilogue>{addend, out});
        } else {
            run_and_merge<Epilogue>(
                in, out,
                [&](std::size_t k) {
                    return how == merge::channels ? out + output_offset[k]
                           : k == 0              ? out
                                                 : scratch + inference_places.first[k];
                },
                [&](auto s, T* target) {
                    using S = typename decltype(s)::type;
                    S::run(w.kept_at(kept_offset[S::index]), in, target, scratch + inference_places.second[S::index]);
                });
        }
    }

    template <class T, class Epilogue>
    static void forward_train(weights<T> w, const T* in, T* out, T* store, train_context ctx, Epilogue) {
        // As forward: the shortcut first, then the body, adding it as it stores.
        if constexpr (adds_in_training_body) {
            using body = typename decltype(+boost::hana::at_c<0>(steps))::type;
            using other = typename decltype(+boost::hana::at_c<1>(steps))::type;
            const T* addend = in;
            if constexpr (!passes_input[1]) {
                T* const term = store + training_places.first[1];
                other::run_train(w, in, term, store + training_places.second[1], ctx.at(1));
                addend = term;
            }
            body::run_train_finishing(w, in, out, store + training_places.second[0], ctx.at(0),
                                      adding_epilogue<T, epilogue<>, Epilogue>{addend, out});
        } else {
            run_and_merge<Epilogue>(
                in, out, [&](std::size_t k) { return store + training_places.first[k]; },
                [&](auto s, T* target) {
                    using S = typename decltype(s)::type;
                    S::run_train(w, in, target, store + training_places.second[S::index], ctx.at(S::index));
                });
        }
    }

    // dL/d(input) is the sum of what each branch passes back from its part of dL/d(out).
    template <class T>
    static void backward(weights<T> w, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context ctx) {
        T* const branch_gradient = scratch;
        T* const addend = scratch + whole_lines(widest_output);
        T* const nested = addend + whole_lines(In::size);
        boost::hana::for_each(steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t k = S::index;
            // A branch may overwrite the gradient it is given: a sum's branches but the
            // last get a copy, concatenated ones their own part.
            T* gradient = grad_out + output_offset[k];
            if constexpr (how == merge::add && k + 1 < branch_count) {
                std::copy(grad_out, grad_out + Out::size, branch_gradient);
                gradient = branch_gradient;
            }
            T* const into = grad_in == nullptr ? nullptr : k == 0 ? grad_in : addend;
            if constexpr (passes_input[k]) {
                if (into) std::copy(gradient, gradient + In::size, into);
            } else {
                S::backward(w, in, output_of<k>(out, store), store + training_places.second[k], gradient, into,
                            grad_params, nested, ctx.at(k));
            }
            if (grad_in != nullptr && k > 0)
                for (std::size_t i = 0; i < In::size; ++i) grad_in[i] += addend[i];
        });
    }

    // When a branch needs the whole batch at once in training (batch norm), so does the
    // block: each branch runs over the batch, then the outputs merge sample by sample.
    static constexpr bool synchronizes = (layer_traits<bind<Branches, In>>::synchronizes || ... || false);
    static constexpr std::size_t sync_width = std::max({std::size_t(0), layer_traits<bind<Branches, In>>::sync_width...});
    // A branch's output gradient and input gradient per sample, and what the branches need.
    static constexpr std::size_t batch_rows_size =
        Out::size + In::size + std::max({std::size_t(0), layer_traits<bind<Branches, In>>::batch_rows_size...});

    template <class T, class Contexts, class Epilogue>
    static void forward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, batch_rows<T> store,
                                    std::size_t count, const Contexts& contexts, Epilogue) {
        if constexpr (adds_in_training_body) {
            using body = typename decltype(+boost::hana::at_c<0>(steps))::type;
            using other = typename decltype(+boost::hana::at_c<1>(steps))::type;
            batch_rows<const T> addend = in;
            if constexpr (!passes_input[1]) {
                run_branch_batch<other>(w, in, rows_at(store, training_places.first[1]), store, count, contexts);
                addend = rows_at(store, training_places.first[1]);
            }
            const adding_rows_epilogue<T, epilogue<>, Epilogue> finish{addend, out};
            const batch_rows<T> own = rows_at(store, training_places.second[0]);
            if constexpr (body::synchronizes)
                body::run_train_batch_finishing(w, in, out, own, count, contexts.at(0), finish);
            else
                for (std::size_t n = 0; n < count; ++n)
                    body::run_train_finishing(w, in[n], out[n], own[n], contexts(n).at(0), finish.sample(n));
            return;
        }
        boost::hana::for_each(steps, [&](auto s) {
            using S = typename decltype(s)::type;
            if constexpr (!passes_input[S::index])
                run_branch_batch<S>(w, in, rows_at(store, training_places.first[S::index]), store, count, contexts);
        });
        for (std::size_t n = 0; n < count; ++n) {
            std::array<const T*, branch_count> outputs{};
            for (std::size_t k = 0; k < branch_count; ++k)
                outputs[k] = passes_input[k] ? in[n] : store[n] + training_places.first[k];
            merge_outputs<Epilogue>(outputs, out[n]);
        }
    }

    template <class T, class Contexts>
    static void backward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T> out,
                                     batch_rows<const T> store, batch_rows<T> grad_out, batch_rows<T> grad_in,
                                     T* grad_params, T* scratch, T* rows, std::size_t count, const Contexts& contexts) {
        const batch_rows<T> branch_gradient{rows, Out::size};
        const batch_rows<T> addend{rows + count * Out::size, In::size};
        T* const nested_rows = rows + count * (Out::size + In::size);
        T* const nested = scratch + whole_lines(widest_output) + whole_lines(In::size);
        boost::hana::for_each(steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t k = S::index;
            batch_rows<T> gradient = rows_at(grad_out, output_offset[k]);
            if constexpr (how == merge::add && k + 1 < branch_count) {
                for (std::size_t n = 0; n < count; ++n) std::copy(grad_out[n], grad_out[n] + Out::size, branch_gradient[n]);
                gradient = branch_gradient;
            }
            const batch_rows<T> into = grad_in.data == nullptr ? grad_in : k == 0 ? grad_in : addend;
            if constexpr (passes_input[k]) {
                if (into.data)
                    for (std::size_t n = 0; n < count; ++n) std::copy(gradient[n], gradient[n] + In::size, into[n]);
            } else if constexpr (S::synchronizes) {
                S::backward_train_batch(w, in, output_of<k>(out, store), rows_at(store, training_places.second[k]),
                                        gradient, into, grad_params, nested, nested_rows, count, contexts.at(k));
            } else {
                const batch_rows<const T> output = output_of<k>(out, store);
                for (std::size_t n = 0; n < count; ++n)
                    S::backward(w, in[n], output[n], store[n] + training_places.second[k], gradient[n],
                                into.data ? into[n] : nullptr, grad_params, nested, contexts(n).at(k));
            }
            if (grad_in.data != nullptr && k > 0)
                for (std::size_t n = 0; n < count; ++n)
                    for (std::size_t i = 0; i < In::size; ++i) grad_in[n][i] += addend[n][i];
        });
    }

private:
    template <class P>
    static batch_rows<P> rows_at(batch_rows<P> rows, std::size_t offset) {
        return {rows.data + offset, rows.stride};
    }

    // What branch K's training pass wrote: the block's output for a body that added.
    template <std::size_t K, class T>
    static const T* output_of(const T* out, const T* store) {
        return K == 0 && adds_in_training_body ? out : store + training_places.first[K];
    }
    template <std::size_t K, class T>
    static batch_rows<const T> output_of(batch_rows<const T> out, batch_rows<const T> store) {
        return K == 0 && adds_in_training_body ? out : rows_at(store, training_places.first[K]);
    }

    // Training step S, a branch, over the batch, writing its output into `target`.
    template <class S, class T, class Contexts>
    static void run_branch_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> target, batch_rows<T> store,
                                 std::size_t count, const Contexts& contexts) {
        const batch_rows<T> own = rows_at(store, training_places.second[S::index]);
        if constexpr (S::synchronizes)
            S::run_train_batch(w, in, target, own, count, contexts.at(S::index));
        else
            for (std::size_t n = 0; n < count; ++n) S::run_train(w, in[n], target[n], own[n], contexts(n).at(S::index));
    }

    // Runs each branch but the identities, `run(step, target)`, branch k writing its output
    // at `target_of(k)`; then merges the outputs into `out`.
    template <class Epilogue, class T, class Target, class Run>
    static void run_and_merge(const T* in, T* out, Target target_of, Run run) {
        std::array<const T*, branch_count> outputs{};
        boost::hana::for_each(steps, [&](auto s) {
            constexpr std::size_t k = decltype(s)::type::index;
            if constexpr (passes_input[k]) {
                outputs[k] = in;
            } else {
                T* const target = target_of(k);
                run(s, target);
                outputs[k] = target;
            }
        });
        merge_outputs<Epilogue>(outputs, out);
    }

    // out = the branches' outputs added or concatenated, through the fused layers.
    template <class Epilogue, class T>
    static void merge_outputs(const std::array<const T*, branch_count>& outputs, T* out) {
        if constexpr (how == merge::add) {
            for (std::size_t i = 0; i < Out::size; ++i) {
                T sum = outputs[0][i];
                for (std::size_t k = 1; k < branch_count; ++k) sum += outputs[k][i];
                out[i] = Epilogue::apply(sum);
            }
        } else {
            for (std::size_t k = 0; k < branch_count; ++k)
                if (outputs[k] != out + output_offset[k])
                    std::copy(outputs[k], outputs[k] + output_sizes[k], out + output_offset[k]);
            Epilogue::apply_all(out, Out::size);
        }
    }
};

/// What a block of branches spec (`residual`, `add`, `concat`) shares: its shape rule and
/// its bound layer. `Spec` gives `how`, `label()` and `merged<Outputs...>()`.
template <class Spec, class... Branches>
struct branches_spec {
    template <class In>
    static constexpr auto infer() {
        return infer_branches<Spec, In, Branches...>();
    }

    template <class In>
    struct on : branches_block<Spec, In, Branches...> {};
};

}  // namespace typenet::detail
