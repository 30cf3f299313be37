/// Defines `typenet::add`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>

#include <typenet/detail/branches.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet {

/// Branches that all read the block's input, their outputs (of one shape) added:
/// `sum(b(x) for b in branches)`. `residual<Body, Shortcut>` is the two-branch case with
/// the names ResNet gives them. An element-wise layer after it runs in the addition's loop.
///
///     add<conv2d<32, kernel<3>, pad<1>>, conv2d<32, kernel<5>, pad<2>>, identity>
///
/// Branch k of the block at position 3 is `layer<3, k>`.
template <class... Branches>
struct add {
    static constexpr detail::merge how = detail::merge::add;
    static std::string label() { return "add"; }

    template <class... Outputs>
    static constexpr auto merged() {
        if constexpr (sizeof...(Outputs) == 0) {
            return rejection<because<add_takes_at_least_1_branch>>{};
        } else {
            using first = std::tuple_element_t<0, std::tuple<Outputs...>>;
            constexpr std::array<bool, sizeof...(Outputs)> fits{std::is_same_v<first, Outputs>...};
            constexpr std::size_t other = std::size_t(std::find(fits.begin(), fits.end(), false) - fits.begin());
            if constexpr (other == fits.size())
                return first{};
            else
                return rejection<because<added_branches_differ_in_shape<
                    branch_output<0, first>, branch_output<other, std::tuple_element_t<other, std::tuple<Outputs...>>>>>>{};
        }
    }

    template <class In>
    static constexpr auto infer() {
        return detail::infer_branches<add, In, Branches...>();
    }

    template <class In>
    struct on : detail::branches_block<add, In, Branches...> {};
};

}  // namespace typenet
