/// Defines `typenet::summary`, a Keras-like table of a network's layers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/detail/visit.hpp>
#include <typenet/frozen_parameters.hpp>
#include <typenet/shape.hpp>

namespace typenet {

namespace detail {

/// 1626442 → "1,626,442".
inline std::string with_commas(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

template <std::size_t... Dims>
std::string shape_text(shape<Dims...>) {
    return fmt::format("({})", fmt::join(shape<Dims...>::dims, ", "));
}

// The table of `summary`, frozen layers marked if `frozen` is given.
template <class Net>
std::string summary_table(const frozen_parameters* frozen) {
    struct row {
        std::string path, name, shape, params, flops;
    };
    std::vector<row> rows{{"", "input", detail::shape_text(typename Net::input_shape{}), "0", "0"}};
    detail::visit_layers<typename Net::block>([&](auto t, const detail::layer_site& site) {
        using bound = typename decltype(t)::type;
        std::string name = std::string(2 * site.depth, ' ') + bound::describe();
        if (site.fused) name += " (fused)";
        if (frozen && bound::parameter_count > 0 && !frozen->any_trained(site.parameter_offset, bound::parameter_count))
            name += " (frozen)";
        rows.push_back({site.path, name, detail::shape_text(typename bound::output_shape{}),
                        detail::with_commas(bound::parameter_count), detail::with_commas(bound::flops)});
    });
    // Columns widen for long paths and names, so that the cells of a row never run together.
    std::size_t path_width = 6, name_width = 32;
    for (const row& r : rows) {
        path_width = std::max(path_width, r.path.size() + 1);
        name_width = std::max(name_width, r.name.size() + 2);
    }
    const std::size_t width = path_width + name_width + 18 + 12 + 16;
    std::string table = fmt::format("{:<{}}{:<{}}{:<18}{:>12}{:>16}\n{}\n", "#", path_width, "Layer", name_width,
                                    "Output shape", "Params", "FLOPs", std::string(width, '='));
    for (const row& r : rows)
        table += fmt::format("{:<{}}{:<{}}{:<18}{:>12}{:>16}\n", r.path, path_width, r.name, name_width, r.shape,
                             r.params, r.flops);
    constexpr std::size_t scalar = sizeof(typename Net::scalar_type);
    table += fmt::format("{}\n", std::string(width, '='));
    table += fmt::format("Total params: {} ({:.2f} MiB)\n", detail::with_commas(Net::parameter_count),
                         double(Net::parameter_bytes) / (1 << 20));
    if (frozen && !frozen->frozen_ranges().empty())
        table += fmt::format("Trained params: {}, frozen: {}\n",
                             detail::with_commas(Net::parameter_count - frozen->frozen_count()),
                             detail::with_commas(frozen->frozen_count()));
    if constexpr (Net::buffer_count > 0)
        table += fmt::format("Buffers (saved, not trained): {} (batch norm's running statistics)\n",
                             detail::with_commas(Net::buffer_count));
    table += fmt::format("FLOPs per sample: {}\n", detail::with_commas(Net::flops));
    table += fmt::format("Inference arena: {} values ({:.1f} KiB), whatever the batch size: activations and scratch\n",
                         detail::with_commas(Net::arena_size), double(Net::arena_bytes) / 1024);
    if constexpr (Net::kept_size > 0)
        table += fmt::format("Derived weights: {} values ({:.1f} KiB) beside each thread's arena: packed filters, "
                             "batch norms folded in\n",
                             detail::with_commas(Net::kept_size), double(Net::kept_bytes) / 1024);
    table += fmt::format("Activations of all layers: {} values ({:.1f} KiB) per sample\n",
                         detail::with_commas(Net::activation_size), double(Net::activation_size * scalar) / 1024);
    return table;
}

}  // namespace detail

/// The table of a network type's layers: output shape, parameters and FLOPs per sample,
/// then the totals and the memory one inference needs. Fused layers are marked.
///
///     fmt::print("{}", typenet::summary<net>());
template <class Net>
std::string summary() {
    return detail::summary_table<Net>(nullptr);
}

/// The same for a network at hand: its frozen layers are marked, and its trained and
/// frozen parameters counted.
///
///     fmt::print("{}", typenet::summary(model));
template <class Net>
std::string summary(const Net& net) {
    return detail::summary_table<Net>(&net.frozen());
}

}  // namespace typenet
