/// Defines `typenet::concat`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>

#include <typenet/detail/branches.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {

template <class A, class B>
constexpr bool same_beyond_channels() {
    if constexpr (A::rank != B::rank || A::rank == 0)
        return false;
    else
        return std::equal(A::dims.begin() + 1, A::dims.end(), B::dims.begin() + 1);
}

}  // namespace detail

/// Branches that all read the block's input, their outputs concatenated along the
/// channels in order: `torch.cat([b(x) for b in branches], 1)`, GoogLeNet's Inception
/// module. The outputs must agree in everything but their channels (a vector's
/// units are its channels). Each branch writes straight into its part of the output.
///
///     using inception = concat<conv2d<64, kernel<1>>,
///                              sequential<conv2d<96, kernel<1>>, relu, conv2d<128, kernel<3>, pad<1>>>,
///                              sequential<conv2d<16, kernel<1>>, relu, conv2d<32, kernel<5>, pad<2>>>,
///                              sequential<max_pool<3, stride<1>, pad<1>>, conv2d<32, kernel<1>>>>;
///
/// Branch k of the block at position 3 is `layer<3, k>`; its layers' parameters are named
/// "3.k.0.weight" and so on.
template <class... Branches>
struct concat : detail::branches_spec<concat<Branches...>, Branches...> {
    static constexpr detail::merge how = detail::merge::channels;
    static std::string label() { return "concat"; }

    template <class... Outputs>
    static constexpr auto merged() {
        if constexpr (sizeof...(Outputs) == 0) {
            return rejection<because<concat_takes_at_least_1_branch>>{};
        } else if constexpr (std::tuple_element_t<0, std::tuple<Outputs...>>::rank == 0) {
            return rejection<expected<any_shape_of_rank<1>>>{};  // a shape with no channels
        } else {
            using first = std::tuple_element_t<0, std::tuple<Outputs...>>;
            return detail::merge_or_reject<concatenated_branches_differ_beyond_channels,
                                           std::array{detail::same_beyond_channels<first, Outputs>()...}, Outputs...>(
                [] { return typename detail::with_channels<(Outputs::dims[0] + ...), first>::type{}; });
        }
    }
};

}  // namespace typenet
