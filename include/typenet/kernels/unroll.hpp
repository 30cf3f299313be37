/// Defines `typenet::kernels::unroll`: a loop with a compile-time count, written out, so
/// that the kernels can index arrays of vector registers with constants.
#pragma once

#include <type_traits>
#include <utility>

namespace typenet::kernels {

/// Calls f(integral_constant<long, I>) for I in [0, N), unrolled.
template <long N, class F>
[[gnu::always_inline]] inline void unroll(F&& f) {
    // The inner lambda too: clang 14 leaves it a call otherwise, and the kernels' arrays
    // of vector registers go to memory. With it forced inline, g++ 12 stops inlining the
    // kernels' own lambdas on its own, so they are marked always_inline as well.
    [&]<long... I>(std::integer_sequence<long, I...>) __attribute__((always_inline)) {
        (f(std::integral_constant<long, I>{}), ...);
    }(std::make_integer_sequence<long, N>{});
}

}  // namespace typenet::kernels
