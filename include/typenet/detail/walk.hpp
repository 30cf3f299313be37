/// Defines `typenet::detail::walk`, which follows an input shape through a list of layer
/// specs without asserting anything: it yields every layer bound to its input shape, or
/// the first `invalid_layer<…>`, to be reported in one place by the network.
#pragma once

#include <cstddef>

#include <typenet/diagnostics.hpp>
#include <typenet/layer.hpp>
#include <typenet/shape.hpp>

namespace typenet::detail {

/// The layers of a block that fit together: `Bound...` are the specs bound to their inputs.
template <class In, class Out, class... Bound>
struct walk_ok {
    static constexpr bool ok = true;
    using input_shape = In;
    using output_shape = Out;
    using error = void;
};

template <class Error>
struct walk_failed {
    static constexpr bool ok = false;
    using error = Error;
};

template <class L, class In>
constexpr auto infer_checked() {
    if constexpr (is_layer_spec<L>::value)
        return L::template infer<In>();
    else
        return rejection<because<is_not_a_typenet_layer>>{};
}

template <class First, class Done, std::size_t I, class In, class... L>
struct walk_from;

template <class Result, class First, class Done, std::size_t I, class In, class L, class... Rest>
struct walk_next;

template <class... Bound>
struct bound_list {};

template <class First, class... Done, std::size_t I, class In>
struct walk_from<First, bound_list<Done...>, I, In> {
    using type = walk_ok<First, In, Done...>;
};

template <class First, class... Done, std::size_t I, class In, class L, class... Rest>
struct walk_from<First, bound_list<Done...>, I, In, L, Rest...> {
    using type = typename walk_next<decltype(infer_checked<L, In>()), First, bound_list<Done...>, I, In, L,
                                    Rest...>::type;
};

// The layer accepts its input: bind it and go on with its output shape.
template <std::size_t... D, class First, class... Done, std::size_t I, class In, class L, class... Rest>
struct walk_next<shape<D...>, First, bound_list<Done...>, I, In, L, Rest...> {
    using type = typename walk_from<First, bound_list<Done..., bind<L, In>>, I + 1, shape<D...>, Rest...>::type;
};

// The layer rejects its input: this is the error.
template <class Why, class First, class Done, std::size_t I, class In, class L, class... Rest>
struct walk_next<rejection<Why>, First, Done, I, In, L, Rest...> {
    using type = walk_failed<invalid_layer<layer<I>, L, got<In>, Why>>;
};

// A layer inside this one (a nested block) rejects its input: prefix our position.
template <std::size_t... Path, class Inner, class Got, class Why, class First, class Done, std::size_t I, class In,
          class L, class... Rest>
struct walk_next<invalid_layer<layer<Path...>, Inner, Got, Why>, First, Done, I, In, L, Rest...> {
    using type = walk_failed<invalid_layer<layer<I, Path...>, Inner, Got, Why>>;
};

/// `walk_ok<In, Out, Bound...>` or `walk_failed<invalid_layer<…>>`.
template <class In, class... L>
using walk = typename walk_from<In, bound_list<>, 0, In, L...>::type;

}  // namespace typenet::detail
