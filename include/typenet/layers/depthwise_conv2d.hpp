/// Defines `typenet::depthwise_conv2d` and `typenet::depthwise_conv1d`.
#pragma once

#include <tuple>
#include <type_traits>

#include <typenet/diagnostics.hpp>
#include <typenet/layers/conv1d.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/options.hpp>

namespace typenet {

namespace detail {

// The convolution a depthwise one is: `multiplier` outputs per channel, one group per
// channel, the other options as given.
template <template <int, class, class...> class Conv, class Kernel, class Kept>
struct depthwise_as;
template <template <int, class, class...> class Conv, class Kernel, class... Kept>
struct depthwise_as<Conv, Kernel, std::tuple<Kept...>> {
    template <int Channels, int Multiplier>
    using type = Conv<Channels * Multiplier, Kernel, groups<Channels>, Kept...>;
};

/// A convolution of each input channel alone into `multiplier<M>` outputs (default 1).
template <template <int, class, class...> class Conv, std::size_t Rank, class Kernel, class... Options>
struct depthwise_spec {
    static constexpr int factor = values_or<multiplier, 1, Options...>()[0];
    using kept = decltype(std::tuple_cat(
        std::conditional_t<is_option_v<multiplier, Options>, std::tuple<>, std::tuple<Options>>{}...));
    template <class In>
    using conv = typename depthwise_as<Conv, Kernel, kept>::template type<int(In::dims[0]), factor>;

    template <class In>
    static constexpr auto infer() {
        using repeated = typename first_repeated_option<Options...>::type;
        if constexpr (In::rank != Rank)
            return rejection<expected<any_shape_of_rank<Rank>>>{};
        else if constexpr (factor < 1)
            return rejection<because<multiplier_must_be_at_least_1>>{};
        else if constexpr (!std::is_void_v<repeated>)
            return repeated{};
        else if constexpr ((is_option_v<groups, Options> || ...))
            return rejection<because<is_not_an_option_of_this_layer<
                typename find_option<groups, Options...>::type>>>{};
        else
            return conv<In>::template infer<In>();
    }

    template <class In>
    struct on : conv<In>::template on<In> {};
};

}  // namespace detail

/// A convolution of each channel of a `shape<C, H, W>` alone, into `multiplier<M>`
/// outputs each (default 1): PyTorch's `Conv2d(C, C·M, kernel, groups=C)`, MobileNet's
/// depthwise layer, with a kernel of its own (it is bound by memory, not arithmetic).
/// Options: those of `conv2d` but `groups`, and `multiplier<M>`.
///
///     depthwise_conv2d<kernel<3>, stride<2>, pad<1>>     // C → C channels
///     depthwise_conv2d<kernel<5>, pad<2>, multiplier<2>, no_bias>
template <class Kernel, class... Options>
struct depthwise_conv2d : detail::depthwise_spec<conv2d, 3, Kernel, Options...> {};

/// `depthwise_conv2d` for a signal `shape<C, L>`: PyTorch's `Conv1d(C, C·M, kernel, groups=C)`.
template <class Kernel, class... Options>
struct depthwise_conv1d : detail::depthwise_spec<conv1d, 2, Kernel, Options...> {};

}  // namespace typenet
