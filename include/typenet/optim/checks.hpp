/// Defines `typenet::detail::check_at_least_0` and the other checks of the options of
/// optimizers and schedules, which throw std::invalid_argument with one sentence.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace typenet::detail {

/// Throws "typenet: adam: eps must be greater than 0 (got 0)".
[[noreturn]] inline void reject_option(std::string_view owner, std::string_view option, std::string_view rule,
                                       double got) {
    throw std::invalid_argument(fmt::format("typenet: {}: {} {} (got {})", owner, option, rule, got));
}

// The checks are written so that NaN fails them all.

inline void check_at_least_0(std::string_view owner, std::string_view option, double value) {
    if (!(std::isfinite(value) && value >= 0)) reject_option(owner, option, "must be finite and at least 0", value);
}

inline void check_greater_than_0(std::string_view owner, std::string_view option, double value) {
    if (!(std::isfinite(value) && value > 0)) reject_option(owner, option, "must be finite and greater than 0", value);
}

/// A decay rate such as Adam's betas: in [0, 1).
inline void check_below_1(std::string_view owner, std::string_view option, double value) {
    if (!(value >= 0 && value < 1)) reject_option(owner, option, "must be in [0, 1)", value);
}

}  // namespace typenet::detail
