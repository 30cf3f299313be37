/// Defines `typenet::sequential`, a block of layers that is itself a layer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include <boost/hana/for_each.hpp>
#include <boost/hana/unpack.hpp>
#include <fmt/format.h>

#include <typenet/detail/plan.hpp>
#include <typenet/detail/walk.hpp>
#include <typenet/layer.hpp>

namespace typenet {

namespace detail {

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
    static constexpr std::size_t flops = (Bound::flops + ... + 0);
    // Every layer's output: what training keeps for the backward pass.
    static constexpr std::size_t activation_size = (Bound::output_shape::size + ... + 0);

    static constexpr auto steps = steps_of_bound<Bound...>(std::index_sequence_for<Bound...>{});
    static constexpr std::size_t step_count = decltype(boost::hana::length(steps))::value;
    static constexpr auto plan = boost::hana::unpack(steps, [](auto... s) {
        return plan_arena(std::array<step_sizes, sizeof...(s)>{step_sizes{
            decltype(s)::type::in_size, decltype(s)::type::out_size, decltype(s)::type::scratch_size,
            decltype(s)::type::may_alias}...});
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

    static std::string describe() { return fmt::format("sequential ({} layers)", layer_count); }

    template <class T, class Epilogue>
    static void forward(const T* params, const T* in, T* out, T* scratch, Epilogue) {
        if constexpr (step_count == 0) {
            std::copy(in, in + In::size, out);
        } else {
            boost::hana::for_each(steps, [&](auto s) {
                using S = typename decltype(s)::type;
                constexpr std::size_t i = S::index;
                T* const source = locate<plan.in[i], S::in_size>(const_cast<T*>(in), out, scratch);
                T* const target = locate<plan.out[i], S::out_size>(const_cast<T*>(in), out, scratch);
                S::run(params, source, target, scratch + plan.scratch_offset[i]);
            });
        }
    }

private:
    // The caller's input is only read: `place::input` is never a step's output.
    template <place P, std::size_t Size, class T>
    static T* locate(T* in, T* out, T* scratch) {
        if constexpr (P == place::input) return in;
        if constexpr (P == place::output) return out;
        if constexpr (P == place::low) return scratch;
        if constexpr (P == place::high) return scratch + plan.size - Size;
    }
};

}  // namespace detail

/// A block of layers that is itself a layer: use it inside a network or another block.
///
///     using features = sequential<conv2d<16, kernel<3>>, relu, max_pool<2>>;
///     using net = network<input<1, 28, 28>, features, flatten, dense<10>>;
template <class... Layers>
struct sequential {
    template <class In>
    static constexpr auto infer() {
        using walked = detail::walk<In, Layers...>;
        if constexpr (walked::ok)
            return typename walked::output_shape{};
        else
            return typename walked::error{};
    }

    template <class In>
    struct on : detail::block<detail::walk<In, Layers...>> {};
};

}  // namespace typenet
