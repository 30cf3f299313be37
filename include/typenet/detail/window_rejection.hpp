/// Defines `typenet::detail::window_rejection`, which turns a window fault into the
/// reason a convolution or pooling layer gives for rejecting its input.
#pragma once

#include <type_traits>

#include <typenet/detail/window.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet::detail {

template <window_fault F, bool Signal, bool Pool>
constexpr auto window_rejection() {
    using enum window_fault;
    auto reject = []<class Reason>(Reason*) { return rejection<because<Reason>>{}; };
    if constexpr (F == kernel_count)
        return reject((std::conditional_t<Signal, kernel_takes_1_size_for_a_signal, kernel_takes_1_or_2_sizes>*)nullptr);
    else if constexpr (F == kernel_below_1)
        return reject((std::conditional_t<Pool, window_must_be_at_least_1, kernel_must_be_at_least_1>*)nullptr);
    else if constexpr (F == stride_count)
        return reject((stride_takes_1_or_2_values*)nullptr);
    else if constexpr (F == stride_below_1)
        return reject((stride_must_be_at_least_1*)nullptr);
    else if constexpr (F == dilation_count)
        return reject((dilation_takes_1_or_2_values*)nullptr);
    else if constexpr (F == dilation_below_1)
        return reject((dilation_must_be_at_least_1*)nullptr);
    else if constexpr (F == padding_count)
        return reject((std::conditional_t<Signal, padding_takes_1_or_2_values_for_a_signal,
                                          padding_takes_1_2_or_4_values>*)nullptr);
    else if constexpr (F == padding_negative)
        return reject((padding_must_not_be_negative*)nullptr);
    else if constexpr (F == window_reads_only_padding)
        return reject((padding_leaves_a_window_without_input*)nullptr);
    else
        return reject((std::conditional_t<Pool, window_is_larger_than_the_padded_input,
                                          kernel_is_larger_than_the_padded_input>*)nullptr);
}

}  // namespace typenet::detail
