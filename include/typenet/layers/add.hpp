/// Defines `typenet::add`.
#pragma once

#include <array>
#include <string>
#include <tuple>
#include <type_traits>

#include <typenet/detail/branches.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet {

/// Branches that all read the block's input, their outputs (of one shape) added:
/// `sum(b(x) for b in branches)`. `residual<Body, Shortcut>` is the two-branch case with
/// the names ResNet gives them (and, like it, adds in the loop of the first branch's last
/// convolution when there are two). An element-wise layer after it runs in the addition's loop.
///
///     add<conv2d<32, kernel<3>, pad<1>>, conv2d<32, kernel<5>, pad<2>>, identity>
///
/// Branch k of the block at position 3 is `layer<3, k>`.
template <class... Branches>
struct add : detail::branches_spec<add<Branches...>, Branches...> {
    static constexpr detail::merge how = detail::merge::add;
    static std::string label() { return "add"; }

    template <class... Outputs>
    static constexpr auto merged() {
        if constexpr (sizeof...(Outputs) == 0) {
            return rejection<because<add_takes_at_least_1_branch>>{};
        } else {
            using first = std::tuple_element_t<0, std::tuple<Outputs...>>;
            return detail::merge_or_reject<added_branches_differ_in_shape, std::array{std::is_same_v<first, Outputs>...},
                                           Outputs...>([] { return first{}; });
        }
    }
};

}  // namespace typenet
