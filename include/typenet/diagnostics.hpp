/// Defines the vocabulary of typenet's build errors: `invalid_layer`, `layer`, `got`,
/// `expected`, `because`, and every reason a layer can reject its input.
#pragma once

#include <cstddef>

namespace typenet {

/// Where a layer stands: `layer<3>` is the fourth layer after `input`; `layer<3, 1>` is
/// the second layer inside the block at position 3.
template <std::size_t... Path>
struct layer {};

/// The input shape a layer was given.
template <class Shape>
struct got {};

/// The input a layer needs, e.g. `expected<any_shape_of_rank<1>>`.
template <class Shape>
struct expected {};

/// Why a layer refuses its parameters or its input: `because<stride_must_be_at_least_1>`.
template <class Reason>
struct because {};

/// A layer's answer when it cannot take an input: `Why` is `expected<…>` or `because<…>`.
template <class Why>
struct rejection {};

/// The output shapes of a `residual`'s body and shortcut, and of a `concat`'s branch
/// number `Branch`, as a build error shows them.
template <class Shape>
struct body_output {};
template <class Shape>
struct shortcut_output {};
template <std::size_t Branch, class Shape>
struct branch_output {};

/// What a build error shows: the layer's position, the layer as written, its input
/// shape, and why it does not fit.
template <class Where, class Layer, class Got, class Why>
struct invalid_layer {};

// Every reason a layer can give. The names are the message: keep them full sentences.
struct filters_must_be_at_least_1;
struct units_must_be_at_least_1;
struct kernel_must_be_at_least_1;
struct kernel_takes_1_or_2_sizes;
struct kernel_takes_1_size_for_a_signal;
struct kernel_is_larger_than_the_padded_input;
struct window_must_be_at_least_1;
struct window_is_larger_than_the_padded_input;
struct stride_must_be_at_least_1;
struct stride_takes_1_or_2_values;
struct dilation_must_be_at_least_1;
struct dilation_takes_1_or_2_values;
struct padding_must_not_be_negative;
struct padding_takes_1_2_or_4_values;
struct padding_takes_1_or_2_values_for_a_signal;
struct kernel_takes_1_or_3_sizes;
struct stride_takes_1_or_3_values;
struct dilation_takes_1_or_3_values;
struct padding_takes_1_3_or_6_values;
struct padding_leaves_a_window_without_input;
struct give_at_most_one_padding_option;
struct dimensions_must_be_at_least_1;
struct rate_must_be_in_0_to_1_excluding_1;
struct slope_denominator_must_not_be_0;
struct slope_must_not_be_negative;
struct alpha_denominator_must_not_be_0;
struct alpha_must_not_be_negative;
struct prelu_takes_1_parameter_or_1_per_channel;
struct output_padding_takes_1_or_2_values;
struct output_padding_must_not_be_negative;
struct output_padding_must_be_smaller_than_stride_or_dilation;
struct is_not_a_typenet_layer;
template <class Option>
struct is_not_an_option_of_this_layer;
template <class First, class Second>
struct option_is_given_twice;
template <class BodyOutput, class ShortcutOutput>
struct shortcut_output_differs_from_body_output;
template <class FirstOutput, class OtherOutput>
struct concatenated_branches_differ_beyond_channels;
struct concat_takes_at_least_1_branch;
template <class FirstOutput, class OtherOutput>
struct added_branches_differ_in_shape;
struct add_takes_at_least_1_branch;
struct output_size_must_be_at_least_1;
struct groups_must_be_at_least_1;
struct groups_must_divide_the_channels;
struct groups_must_divide_the_filters;
struct multiplier_must_be_at_least_1;
struct output_size_takes_1_or_2_values;
struct output_size_takes_1_value_for_a_signal;
struct eps_takes_a_numerator_and_a_denominator;
struct eps_must_be_more_than_0;
struct momentum_takes_a_numerator_and_a_denominator;
struct momentum_must_be_in_0_to_1;

}  // namespace typenet
