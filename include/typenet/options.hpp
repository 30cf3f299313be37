/// Defines the options layers take: `kernel`, `stride`, `dilation`, `pad`, `same`,
/// `valid`, `output_padding`, `no_bias`, `groups`, `multiplier`, `exclude_padding`,
/// `ceil_mode`, `width`, `eps` and `momentum`, each at most once in a layer.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include <typenet/diagnostics.hpp>

namespace typenet {

/// Kernel size: `kernel<3>` is 3×3 for conv2d and 3 for conv1d; `kernel<3, 5>` is 3 high, 5 wide.
template <int... Sizes>
struct kernel {};

/// Step between windows: `stride<2>` or `stride<2, 1>` (height, width). Default 1 for
/// convolutions and the window size for pooling.
template <int... Steps>
struct stride {};

/// Spacing of kernel taps: `dilation<2>` or `dilation<2, 1>`. Default 1.
template <int... Spacing>
struct dilation {};

/// Zero padding: `pad<1>` on every side, `pad<PH, PW>` (height, width), or
/// `pad<top, bottom, left, right>`; for a signal `pad<P>` or `pad<left, right>`.
template <int... Amounts>
struct pad {};

/// Pad so that the output has ceil(input / stride) positions, the extra row or column
/// going to the bottom or right, as Keras and TensorFlow do.
struct same {};

/// No padding (the default).
struct valid {};

/// Rows and columns a `conv_transpose2d` adds to the bottom and right of its output, to
/// pick one of the input sizes a strided convolution maps to the same output:
/// `output_padding<1>` or `output_padding<1, 0>` (height, width). Default 0. Each must be
/// smaller than the stride or the dilation on its axis (PyTorch's `output_padding`).
template <int... Amounts>
struct output_padding {};

/// A convolution or dense layer without a bias term.
struct no_bias {};

/// Splits a convolution's channels and filters into `Count` groups, each convolved apart
/// (PyTorch's `groups`): `groups<C>` on C channels is a depthwise convolution.
template <int Count>
struct groups {};

/// Outputs per input channel of a `depthwise_conv2d` (PyTorch's out_channels / in_channels).
template <int Factor>
struct multiplier {};

/// `avg_pool` divides by the number of real input elements in the window, not counting
/// the padding (PyTorch's `count_include_pad=False`).
struct exclude_padding {};

/// A pool adds one more window where a partial one is left at the end (bottom, right),
/// if it starts inside the input or its padding before: PyTorch's `ceil_mode=True`. The
/// part of it past the input is neither a maximum nor counted in a mean.
struct ceil_mode {};

/// A pool's window width where it differs from its height: `max_pool<3, width<2>>` is 3
/// high and 2 wide (PyTorch's `kernel_size=(3, 2)`). Images only.
template <int... Width>
struct width {};

/// Batch norm's ε, added to the variance: the fraction `Numerator / Denominator`
/// (`eps<1, 1000>` is 0.001). Default 1e-5, as PyTorch's.
template <int... NumeratorDenominator>
struct eps {};

/// Batch norm's momentum, the weight of a new batch in the running statistics: the
/// fraction `Numerator / Denominator`. Default 0.1, as PyTorch's.
template <int... NumeratorDenominator>
struct momentum {};

namespace detail {

/// The first option of template `Opt` among `Options`, or `void`.
template <template <int...> class Opt, class... Options>
struct find_option {
    using type = void;
};
template <template <int...> class Opt, int... V, class... Rest>
struct find_option<Opt, Opt<V...>, Rest...> {
    using type = Opt<V...>;
};
template <template <int...> class Opt, class First, class... Rest>
struct find_option<Opt, First, Rest...> : find_option<Opt, Rest...> {};

template <class Option>
struct option_values {
    static constexpr std::array<int, 0> value{};
};
template <template <int...> class Opt, int... V>
struct option_values<Opt<V...>> {
    static constexpr std::array<int, sizeof...(V)> value{V...};
};

/// The values of the `Opt<…>` option, or `{fallback}` when it is absent.
template <template <int...> class Opt, int Fallback, class... Options>
constexpr auto values_or() {
    using found = typename find_option<Opt, Options...>::type;
    if constexpr (std::is_void_v<found>)
        return std::array<int, 1>{Fallback};
    else
        return option_values<found>::value;
}

template <template <int...> class Opt, class T>
inline constexpr bool is_option_v = false;
template <template <int...> class Opt, int... V>
inline constexpr bool is_option_v<Opt, Opt<V...>> = true;

template <class... Options>
inline constexpr int padding_option_count =
    ((is_option_v<pad, Options> || std::is_same_v<Options, same> || std::is_same_v<Options, valid>) + ... + 0);

/// Whether `Flag` is among `Options`.
template <class Flag, class... Options>
inline constexpr bool has_v = (std::is_same_v<Flag, Options> || ...);

/// The first of `Options` that `Accepts` refuses, as a rejection; `void` if none.
template <template <class> class Accepts, class... Options>
struct first_unknown_option {
    using type = void;
};
template <template <class> class Accepts, class First, class... Rest>
struct first_unknown_option<Accepts, First, Rest...> {
    using type = std::conditional_t<Accepts<First>::value, typename first_unknown_option<Accepts, Rest...>::type,
                                    rejection<because<is_not_an_option_of_this_layer<First>>>>;
};

// Whether two options set the same thing: the same flag, or one template (`stride<2>`,
// `stride<1>`) whatever its values.
template <class A, class B>
inline constexpr bool same_option_v = std::is_same_v<A, B>;
template <template <int...> class Opt, int... A, int... B>
inline constexpr bool same_option_v<Opt<A...>, Opt<B...>> = true;

// The first of `Ts` that is not void, or void.
template <class... Ts>
struct first_non_void {
    using type = void;
};
template <class T, class... Ts>
struct first_non_void<T, Ts...> {
    using type = std::conditional_t<std::is_void_v<T>, typename first_non_void<Ts...>::type, T>;
};

/// The first option that `Options` give twice, as a rejection naming both; `void` if none.
/// Else the first would silently win: `conv2d<8, kernel<3>, stride<2>, stride<1>>`.
/// (Two different padding options are `give_at_most_one_padding_option`.)
template <class... Options>
struct first_repeated_option {
    using type = void;
};
template <class First, class... Rest>
struct first_repeated_option<First, Rest...> {
    using type = typename first_non_void<
        std::conditional_t<same_option_v<First, Rest>, rejection<because<option_is_given_twice<First, Rest>>>, void>...,
        typename first_repeated_option<Rest...>::type>::type;
};

}  // namespace detail
}  // namespace typenet
