/// Defines `typenet::detail::block`: the layers of a `sequential` (or of a whole network)
/// that fit together, scheduled as fused loops for inference and for training.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/reverse.hpp>
#include <boost/hana/unpack.hpp>
#include <fmt/format.h>

#include <typenet/detail/batch_sync.hpp>
#include <typenet/detail/plan.hpp>
#include <typenet/detail/walk.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// Where a block's training pass keeps each step's output and storage, per sample.
template <std::size_t N>
struct training_layout {
    std::array<std::size_t, N> out_offset{}, store_offset{};
    std::size_t size = 0, largest_output = 0, nested_scratch = 0;
};

// The first step that runs many samples at once, or the number of steps.
template <class Steps>
constexpr std::size_t first_batched_step(Steps steps) {
    return boost::hana::unpack(steps, [](auto... s) {
        const std::array<bool, sizeof...(s)> batches{decltype(s)::type::batches...};
        return std::size_t(std::find(batches.begin(), batches.end(), true) - batches.begin());
    });
}

// What `flag(step)` says of the last step, false with no steps.
template <class Steps, class Flag>
constexpr bool last_step_has(Steps steps, Flag flag) {
    return boost::hana::unpack(steps, [flag](auto... s) {
        const std::array<bool, sizeof...(s) + 1> flags{flag(s)..., false};
        return sizeof...(s) > 0 && flags[sizeof...(s) - 1];
    });
}

// The largest sample (in or out) of the steps from `first` on: the rows of a batch buffer.
template <class Steps>
constexpr std::size_t widest_step_from(std::size_t first, Steps steps) {
    return boost::hana::unpack(steps, [first](auto... s) {
        const std::array<std::size_t, sizeof...(s)> widths{
            std::max(decltype(s)::type::in_size, decltype(s)::type::out_size)...};
        return first < widths.size() ? *std::max_element(widths.begin() + long(first), widths.end()) : 0;
    });
}

// The outputs a layer adds to a block's activations: a block's are its layers'.
template <class Bound>
constexpr std::size_t activation_size_of() {
    if constexpr (nests_layers<Bound>)
        return Bound::activation_size;
    else
        return Bound::output_shape::size;
}

template <class Walked>
struct block;

// The layers of a block that fit together, scheduled as fused steps over one arena.
template <class In, class Out, class... Bound>
struct block<walk_ok<In, Out, Bound...>> {
    using input_shape = In;
    using output_shape = Out;
    using layers = boost::hana::tuple<boost::hana::type<Bound>...>;
    static constexpr layer_role role = layer_role::block;
    static constexpr std::size_t layer_count = sizeof...(Bound);
    static constexpr std::size_t parameter_count = (Bound::parameter_count + ... + 0);
    static constexpr std::size_t buffer_count = (layer_traits<Bound>::buffer_count + ... + 0);
    static constexpr std::size_t flops = (Bound::flops + ... + 0);
    // Every layer's output, a nested block's layers one by one: what training keeps for the
    // backward pass.
    static constexpr std::size_t activation_size = (activation_size_of<Bound>() + ... + 0);

    static constexpr auto steps = steps_of_bound<fusion::inference, Bound...>(std::index_sequence_for<Bound...>{});
    static constexpr std::size_t step_count = decltype(boost::hana::length(steps))::value;
    static constexpr auto plan = boost::hana::unpack(steps, [](auto... s) {
        return plan_arena(std::array<step_sizes, sizeof...(s)>{
            step_sizes{decltype(s)::type::in_size, decltype(s)::type::out_size, decltype(s)::type::scratch_size,
                       decltype(s)::type::kept_size, decltype(s)::type::may_alias}...});
    });
    // Which layers run inside the loop of the layer before them: the steps' fused tails.
    static constexpr auto fused = boost::hana::unpack(steps, [](auto... s) {
        std::array<bool, layer_count> f{};
        std::size_t at = 0;
        [[maybe_unused]] auto mark = [&](std::size_t tail) {
            for (++at; tail > 0; --tail) f[at++] = true;
        };
        (mark(decltype(s)::type::fused_count), ...);
        return f;
    });

    /// Working memory of one forward pass, in elements; the caller's input and output excluded.
    static constexpr std::size_t scratch_size = plan.size;
    /// What the steps keep between passes, derived from their weights (in `weights::kept`).
    static constexpr std::size_t kept_size = plan.kept;

    static std::string describe() { return fmt::format("sequential ({} layers)", layer_count); }

    /// Whether element-wise layers after the block can run in the loop of its last step
    /// (at inference: the block is then the head of a step that fuses them).
    static constexpr bool takes_epilogue =
        last_step_has(steps, [](auto s) { return decltype(s)::type::takes_epilogue; });
    /// Whether the last step can add a tensor to its output in its loop: a residual
    /// block whose body this is adds its shortcut there.
    static constexpr bool adds_in_loop = last_step_has(steps, [](auto s) { return decltype(s)::type::adds_in_loop; });

    /// One sample; the last step's loop also runs `finish`: the element-wise layers fused
    /// after the block (an epilogue), or a residual block's shortcut (an adding_epilogue,
    /// when adds_in_loop).
    template <class T, class Finish>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Finish finish) {
        if constexpr (step_count == 0) {
            static_assert(Finish::count == 0, "typenet: an empty block fuses no layer");
            std::copy(in, in + In::size, out);
        } else {
            run_steps<step_count>(w, in, out, scratch, finish);
        }
    }

    // A batch runs sample by sample up to the first step that takes many samples at once;
    // from there on, step by step over chunks of samples held in two buffers after the arena.
    static constexpr std::size_t first_batched = first_batched_step(steps);
    static constexpr bool batched_tail = first_batched < step_count;
    static constexpr std::size_t tail_width = widest_step_from(first_batched, steps);
    // Samples per chunk: enough to reuse the weights, few enough that the buffers stay in L2.
    static constexpr std::size_t batch_chunk =
        batched_tail ? std::clamp((std::size_t(1) << 18) / tail_width, std::size_t(1), std::size_t(64)) : 1;
    /// Working memory of a forward pass over any number of samples.
    static constexpr std::size_t batch_scratch_size = plan.size + (batched_tail ? 2 * batch_chunk * tail_width : 0);

    /// `count` samples, one after another in `in` and `out`.
    template <class T>
    static void forward_batch(weights<T> w, const T* in, T* out, std::size_t count, T* scratch) {
        if constexpr (batched_tail) {
            if (count > 1) {
                for (std::size_t first = 0; first < count; first += batch_chunk)
                    run_chunk(w, in + first * In::size, out + first * Out::size, std::min(batch_chunk, count - first),
                              scratch);
                return;
            }
        }
        for (std::size_t n = 0; n < count; ++n)
            forward(w, in + n * In::size, out + n * Out::size, scratch, epilogue<>{});
    }

    // Training keeps every step's output (but the last, which is the caller's) and each
    // nested block's own storage, one sample after another.
    static constexpr auto train_steps =
        steps_of_bound<fusion::training, Bound...>(std::index_sequence_for<Bound...>{});
    static constexpr std::size_t train_step_count = decltype(boost::hana::length(train_steps))::value;
    static constexpr auto train_layout = boost::hana::unpack(train_steps, [](auto... s) {
        training_layout<sizeof...(s)> layout;
        std::size_t i = 0, cursor = 0;
        [[maybe_unused]] auto place = [&](std::size_t out, std::size_t own, std::size_t scratch) {
            layout.out_offset[i] = cursor;
            if (i + 1 < sizeof...(s)) cursor += out;
            layout.store_offset[i] = cursor;
            cursor += own;
            layout.largest_output = std::max(layout.largest_output, out);
            layout.nested_scratch = std::max(layout.nested_scratch, scratch);
            ++i;
        };
        (place(decltype(s)::type::out_size, decltype(s)::type::training_size, decltype(s)::type::backward_scratch_size),
         ...);
        layout.size = cursor;
        return layout;
    });
    /// Values a training pass keeps per sample inside this block.
    static constexpr std::size_t training_size = train_layout.size;
    /// Two gradient buffers, ping-pong, and what nested blocks need.
    static constexpr std::size_t backward_scratch_size = 2 * train_layout.largest_output + train_layout.nested_scratch;

    /// Whether a layer inside needs the whole batch at once in training (batch norm): the
    /// block's training pass then goes layer by layer over the batch, and its parent's too.
    static constexpr bool synchronizes =
        boost::hana::unpack(train_steps, [](auto... s) { return (decltype(s)::type::synchronizes || ... || false); });
    static constexpr std::size_t sync_width = boost::hana::unpack(
        train_steps, [](auto... s) { return std::max({std::size_t(0), decltype(s)::type::sync_width...}); });
    /// Whether the last training step can add a tensor to its output in its loop.
    static constexpr bool adds_in_training_loop =
        last_step_has(train_steps, [](auto s) { return decltype(s)::type::adds_in_training_loop; });

    /// One sample; the last step's loop also adds `finish`'s addend when it is an
    /// adding_epilogue (a residual block's shortcut, when adds_in_training_loop).
    template <class T, class Finish = epilogue<>>
    static void forward_train(weights<T> w, const T* in, T* out, T* store, train_context ctx, Finish finish = {}) {
        if constexpr (train_step_count == 0) {
            static_assert(Finish::count == 0, "typenet: an empty block fuses no layer");
            std::copy(in, in + In::size, out);
        } else {
            forward_train_steps<train_step_count>(w, in, out, store, ctx, finish);
        }
    }

    template <class T>
    static void backward(weights<T> w, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                         T* grad_params, T* scratch, train_context ctx) {
        if constexpr (train_step_count == 0) {
            if (grad_in) std::copy(grad_out, grad_out + In::size, grad_in);
        } else {
            backward_steps<train_step_count>(w, in, out, store, grad_out, grad_in, grad_params, scratch, ctx);
        }
    }

    // A training batch, like an inference batch, goes layer by layer from the first step
    // that runs many samples at once (from the first step, when a layer synchronizes); the
    // steps before it run sample by sample.
    static constexpr std::size_t first_train_batched = synchronizes ? 0 : first_batched_step(train_steps);
    static constexpr std::size_t train_tail_width = widest_step_from(first_train_batched, train_steps);
    /// What backward_train_batch needs in `rows`, per sample: dL/d(output) of the steps
    /// that run layer by layer, twice, and what the blocks inside need.
    static constexpr std::size_t batch_rows_size =
        2 * train_tail_width +
        boost::hana::unpack(train_steps, [](auto... s) { return std::max({std::size_t(0), decltype(s)::type::batch_rows_size...}); });

    /// The training pass over `count` samples, sample n read from in[n], written to out[n],
    /// its storage (training_size values) at store[n]; `contexts(n)` is its train_context.
    /// The last step's loop also adds `finish`'s addends when it is an adding_rows_epilogue.
    template <class T, class Contexts, class Finish = epilogue<>>
    static void forward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<T> out, batch_rows<T> store,
                                    std::size_t count, const Contexts& contexts, Finish finish = {}) {
        static_assert(Finish::count == 0 || (Finish::adds && adds_in_training_loop),
                      "typenet: a block fuses no layer after it");
        if constexpr (train_step_count == 0)
            for (std::size_t n = 0; n < count; ++n) std::copy(in[n], in[n] + In::size, out[n]);
        else if constexpr (first_train_batched > 0)
            for (std::size_t n = 0; n < count; ++n) {
                const auto sample_finish = [&] {
                    if constexpr (first_train_batched == train_step_count) return finish.sample(n);
                    else return epilogue<>{};
                }();
                forward_train_steps<first_train_batched>(w, in[n], unbatched_output(n, out, store), store[n],
                                                         contexts(n), sample_finish);
            }
        boost::hana::for_each(train_steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            constexpr bool finishes = i + 1 == train_step_count && Finish::adds;
            if constexpr (i >= first_train_batched) {
                const auto [source, target] = stored_rows<i>(in, out, store);
                if constexpr (S::synchronizes && finishes)
                    S::run_train_batch_finishing(w, source, target, own_store<i>(store), count, contexts.at(i), finish);
                else if constexpr (S::synchronizes)
                    S::run_train_batch(w, source, target, own_store<i>(store), count, contexts.at(i));
                else if constexpr (S::batches)  // a dense layer: training folds nothing, needs no scratch
                    S::run_batch(w, source, target, count, static_cast<T*>(nullptr));
                else if constexpr (finishes)
                    for (std::size_t n = 0; n < count; ++n)
                        S::run_train_finishing(w, source[n], target[n], own_store<i>(store)[n], contexts(n).at(i),
                                               finish.sample(n));
                else
                    for (std::size_t n = 0; n < count; ++n)
                        S::run_train(w, source[n], target[n], own_store<i>(store)[n], contexts(n).at(i));
            }
        });
    }

    /// The backward pass of forward_train_batch, from dL/d(out) in `grad_out` (overwritten):
    /// adds the gradient of every parameter, summed over the samples, to grad_params, and
    /// writes dL/d(in) of each sample into `grad_in` unless its data is null.
    /// `scratch` holds backward_scratch_size values, `rows` count·batch_rows_size.
    template <class T, class Contexts>
    static void backward_train_batch(weights<T> w, batch_rows<const T> in, batch_rows<const T> out,
                                     batch_rows<const T> store, batch_rows<T> grad_out, batch_rows<T> grad_in,
                                     T* grad_params, T* scratch, T* rows, std::size_t count, const Contexts& contexts) {
        batch_rows<T> current = grad_out;
        int next = 0;
        T* const nested_rows = rows + 2 * count * train_tail_width;
        const std::size_t lowest = lowest_backward_step(w, grad_in.data != nullptr);
        boost::hana::for_each(boost::hana::reverse(train_steps), [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            if constexpr (i >= first_train_batched) {
                if (i < lowest) return;
                const auto [source, target] = stored_rows<i>(in, out, store);
                const batch_rows<T> into =
                    i == 0 ? grad_in
                           : batch_rows<T>{i == lowest ? nullptr : rows + next * count * train_tail_width, train_tail_width};
                if constexpr (S::synchronizes) {
                    S::backward_train_batch(w, source, target, own_store<i>(store), current, into, grad_params,
                                            scratch + 2 * train_layout.largest_output, nested_rows, count,
                                            contexts.at(i));
                } else if constexpr (S::batches) {
                    S::backward_batch(w, source, target, current, into, grad_params, count);
                } else {
                    for (std::size_t n = 0; n < count; ++n)
                        S::backward(w, source[n], target[n], own_store<i>(store)[n], current[n],
                                    into.data ? into[n] : nullptr, grad_params,
                                    scratch + 2 * train_layout.largest_output, contexts(n).at(i));
                }
                current = into;
                next ^= 1;
            }
        });
        if constexpr (first_train_batched > 0)
            for (std::size_t n = 0; n < count && lowest < first_train_batched; ++n)
                backward_steps<first_train_batched>(w, in[n], unbatched_output(n, out, store), store[n], current[n],
                                                    grad_in.data ? grad_in[n] : nullptr, grad_params, scratch,
                                                    contexts(n));
    }

private:
    // Training steps [0, Last) of one sample, the last of them writing into `out` and
    // adding `finish`'s addend in its loop when it is an adding_epilogue.
    template <std::size_t Last, class T, class Finish>
    static void forward_train_steps(weights<T> w, const T* in, T* out, T* store, train_context ctx,
                                    [[maybe_unused]] Finish finish) {
        boost::hana::for_each(train_steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            if constexpr (i < Last) {
                const T* source = i == 0 ? in : store + train_layout.out_offset[i - 1];
                T* target = i + 1 == Last ? out : store + train_layout.out_offset[i];
                if constexpr (i + 1 == Last && Finish::adds)
                    S::run_train_finishing(w, source, target, store + train_layout.store_offset[i], ctx.at(i), finish);
                else
                    S::run_train(w, source, target, store + train_layout.store_offset[i], ctx.at(i));
            }
        });
    }

    // Back through training steps Last-1 … 0 of one sample, from dL/d(out), `out` being
    // what step Last-1 wrote.
    template <std::size_t Last, class T>
    static void backward_steps(weights<T> w, const T* in, const T* out, const T* store, T* grad_out, T* grad_in,
                               T* grad_params, T* scratch, train_context ctx) {
        T* const buffers[2] = {scratch, scratch + train_layout.largest_output};
        T* const nested = scratch + 2 * train_layout.largest_output;
        T* current = grad_out;
        int next = 0;
        const std::size_t lowest = lowest_backward_step(w, grad_in != nullptr);
        boost::hana::for_each(boost::hana::reverse(train_steps), [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            if constexpr (i < Last) {
                if (i < lowest) return;
                const T* source = i == 0 ? in : store + train_layout.out_offset[i - 1];
                const T* target = i + 1 == Last ? out : store + train_layout.out_offset[i];
                T* const into = i == 0 ? grad_in : i == lowest ? nullptr : buffers[next];
                S::backward(w, source, target, store + train_layout.store_offset[i], current, into, grad_params,
                            nested, ctx.at(i));
                current = into;
                next ^= 1;
            }
        });
    }

    // The lowest training step a backward pass runs: the first that trains a parameter
    // (network::freeze), or the first step when dL/d(input) is wanted. The steps below it
    // are skipped, and it computes no dL/d(its input) unless that is wanted.
    template <class T>
    static std::size_t lowest_backward_step(weights<T> w, bool input_gradient) {
        if (input_gradient) return 0;
        return boost::hana::unpack(train_steps, [&](auto... s) {
            const std::array<bool, sizeof...(s)> trains{decltype(s)::type::trains(w)...};
            return std::size_t(std::find(trains.begin(), trains.end(), true) - trains.begin());
        });
    }

    // Where the last step before the batched ones writes sample n.
    template <class P>
    static P* unbatched_output(std::size_t n, batch_rows<P> out, batch_rows<P> store) {
        if constexpr (first_train_batched == train_step_count)
            return out[n];
        else
            return store[n] + train_layout.out_offset[first_train_batched - 1];
    }

    // The storage of training step I's head, of each sample.
    template <std::size_t I, class P>
    static batch_rows<P> own_store(batch_rows<P> store) {
        return {store.data + train_layout.store_offset[I], store.stride};
    }

    // Where training step I of a batch reads its input and writes its output.
    template <std::size_t I, class T, class P>
    static auto stored_rows(batch_rows<const T> in, batch_rows<P> out, batch_rows<P> store) {
        batch_rows<const T> source = in;
        if constexpr (I > 0) source = {store.data + train_layout.out_offset[I - 1], store.stride};
        batch_rows<P> target = out;
        if constexpr (I + 1 < train_step_count) target = {store.data + train_layout.out_offset[I], store.stride};
        return std::pair{source, target};
    }

    // Steps [0, Last) of one sample, the last of them writing into `out` and running
    // `finish` in its loop.
    template <std::size_t Last, class T, class Finish = epilogue<>>
    static void run_steps(weights<T> w, const T* in, T* out, T* scratch, [[maybe_unused]] Finish finish = {}) {
        boost::hana::for_each(steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            if constexpr (i < Last) {
                T* const source = locate<plan.in[i], S::in_size>(const_cast<T*>(in), out, scratch);
                T* const target = i + 1 == Last ? out : locate<plan.out[i], S::out_size>(const_cast<T*>(in), out, scratch);
                if constexpr (i + 1 == Last && Finish::count > 0)
                    S::run_finishing(w.kept_at(plan.kept_offset[i]), source, target, scratch + plan.scratch_offset[i],
                                     finish);
                else
                    S::run(w.kept_at(plan.kept_offset[i]), source, target, scratch + plan.scratch_offset[i]);
            }
        });
    }

    // At most batch_chunk samples through every step.
    template <class T>
    static void run_chunk(weights<T> w, const T* in, T* out, std::size_t count, T* scratch) {
        T* const buffers[2] = {scratch + plan.size, scratch + plan.size + batch_chunk * tail_width};
        batch_rows<T> current{const_cast<T*>(in), In::size};  // only read while it is the caller's input
        bool in_buffer = false;
        int next = 0;
        if constexpr (first_batched > 0) {
            constexpr std::size_t width = decltype(+boost::hana::at_c<first_batched>(steps))::type::in_size;
            current = {buffers[next], width};
            for (std::size_t n = 0; n < count; ++n) run_steps<first_batched>(w, in + n * In::size, current[n], scratch);
            in_buffer = true;
            next ^= 1;
        }
        boost::hana::for_each(steps, [&](auto s) {
            using S = typename decltype(s)::type;
            constexpr std::size_t i = S::index;
            if constexpr (i >= first_batched) {
                batch_rows<T> target{out, Out::size};
                if constexpr (i + 1 < step_count) {
                    if (S::may_alias && in_buffer) {
                        target = current;
                    } else {
                        target = {buffers[next], S::out_size};
                        next ^= 1;
                    }
                }
                const weights<T> own = w.kept_at(plan.kept_offset[i]);
                if constexpr (S::batches)
                    S::run_batch(own, batch_rows<const T>(current), target, count, scratch + plan.scratch_offset[i]);
                else
                    for (std::size_t n = 0; n < count; ++n)
                        S::run(own, current[n], target[n], scratch + plan.scratch_offset[i]);
                current = target;
                in_buffer = true;
            }
        });
    }

    // The caller's input is only read: `place::input` is never a step's output.
    template <place P, std::size_t Size, class T>
    static T* locate(T* in, T* out, T* scratch) {
        if constexpr (P == place::input) return in;
        if constexpr (P == place::output) return out;
        if constexpr (P == place::low) return scratch;
        if constexpr (P == place::high) return scratch + plan.size - whole_lines(Size);
    }
};

}  // namespace typenet::detail
