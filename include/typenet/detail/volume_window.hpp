/// Defines `typenet::detail::volume_window`, the geometry of a sliding window over the
/// three spatial axes of a volume `shape<C, D, H, W>`, shared by conv3d and the 3-D pools.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <fmt/format.h>

#include <typenet/detail/window.hpp>
#include <typenet/detail/window_rejection.hpp>
#include <typenet/diagnostics.hpp>

namespace typenet::detail {

/// What can be wrong with a volume's options beyond what make_window finds on its axes
/// (`on_an_axis`: then `axis_fault` says what).
enum class volume_fault {
    none,
    kernel_count,
    stride_count,
    dilation_count,
    padding_count,
    on_an_axis,
};

/// A sliding window over depth `d`, height `h` and width `w`, each an `axis` of window.hpp.
struct volume_window {
    axis d, h, w;
    volume_fault fault = volume_fault::none;
    window_fault axis_fault = window_fault::none;

    constexpr long out_size() const { return d.out() * h.out() * w.out(); }
    constexpr long in_size() const { return d.size * h.size * w.size; }
    constexpr long taps() const { return d.kernel * h.kernel * w.kernel; }
};

// An option's values for the (depth, height) image and the width signal that make up a
// volume: one value stands for every axis; three are per axis; six (padding only) are
// before and after on each axis.
template <std::size_t N>
constexpr auto leading_axes(const std::array<int, N>& v) {
    if constexpr (N == 1) return v;
    else if constexpr (N == 6) return std::array<int, 4>{v[0], v[1], v[2], v[3]};
    else return std::array<int, 2>{v[0], v[1]};
}
template <std::size_t N>
constexpr auto last_axis(const std::array<int, N>& v) {
    if constexpr (N == 6) return std::array<int, 2>{v[4], v[5]};
    else return std::array<int, 1>{v[N - 1]};
}

/// Builds the window over a `depth` × `height` × `width` input from a layer's option values
/// (kernel, stride, dilation: 1 or 3 values; padding: 1, 3, or 6 as front, back, top,
/// bottom, left, right), and says what is wrong with them, if anything. make_window does
/// the work, depth and height as an image's two axes and width as a signal's one, so that
/// every rule of an axis is written once; `pool` and `ceil_mode` as for make_window (every
/// window must read the input, as ONNX's pools, wider than PyTorch's half the window).
template <std::size_t NK, std::size_t NS, std::size_t ND, std::size_t NP>
constexpr volume_window make_volume_window(long depth, long height, long width, std::array<int, NK> k,
                                           std::array<int, NS> s, std::array<int, ND> dil, std::array<int, NP> p,
                                           bool pool, bool ceil_mode = false) {
    volume_window v;
    if constexpr (NK != 1 && NK != 3) v.fault = volume_fault::kernel_count;
    else if constexpr (NS != 1 && NS != 3) v.fault = volume_fault::stride_count;
    else if constexpr (ND != 1 && ND != 3) v.fault = volume_fault::dilation_count;
    else if constexpr (NP != 1 && NP != 3 && NP != 6) v.fault = volume_fault::padding_count;
    else {
        const window image = make_window(false, depth, height, leading_axes(k), leading_axes(s), leading_axes(dil),
                                         leading_axes(p), false, pool, ceil_mode);
        const window signal = make_window(true, 1, width, last_axis(k), last_axis(s), last_axis(dil), last_axis(p),
                                          false, pool, ceil_mode);
        v.d = image.h;
        v.h = image.w;
        v.w = signal.w;
        v.axis_fault = image.fault != window_fault::none ? image.fault : signal.fault;
        if (v.axis_fault != window_fault::none) v.fault = volume_fault::on_an_axis;
    }
    return v;
}

/// The reason a volume's layer gives for rejecting its window: the 2-D layers' own for a
/// fault on an axis.
template <volume_window V, bool Pool>
constexpr auto volume_window_rejection() {
    using enum volume_fault;
    auto reject = []<class Reason>(Reason*) { return rejection<because<Reason>>{}; };
    if constexpr (V.fault == kernel_count)
        return reject((kernel_takes_1_or_3_sizes*)nullptr);
    else if constexpr (V.fault == stride_count)
        return reject((stride_takes_1_or_3_values*)nullptr);
    else if constexpr (V.fault == dilation_count)
        return reject((dilation_takes_1_or_3_values*)nullptr);
    else if constexpr (V.fault == padding_count)
        return reject((padding_takes_1_3_or_6_values*)nullptr);
    else
        return window_rejection<V.axis_fault, false, Pool>();
}

/// A summary's text of a window: "3x3x3", then " stride 2x2x2", " pad 1,1,1,1,1,1" (front,
/// back, top, bottom, left, right) and " dilation 2x2x2" unless they are the defaults (a
/// pool's stride is its window).
inline std::string volume_window_text(const volume_window& v, bool pool) {
    auto sizes = [&](auto of) { return fmt::format("{}x{}x{}", of(v.d), of(v.h), of(v.w)); };
    std::string s = sizes([](const axis& a) { return a.kernel; });
    bool strided = false, padded = false, dilated = false;
    for (const axis& a : {v.d, v.h, v.w}) {
        strided = strided || a.stride != (pool ? a.kernel : 1);
        padded = padded || a.pad_before != 0 || a.pad_after - a.ceil_extra != 0;
        dilated = dilated || a.dilation != 1;
    }
    if (strided) s += " stride " + sizes([](const axis& a) { return a.stride; });
    if (padded)
        s += fmt::format(" pad {},{},{},{},{},{}", v.d.pad_before, v.d.pad_after - v.d.ceil_extra, v.h.pad_before,
                         v.h.pad_after - v.h.ceil_extra, v.w.pad_before, v.w.pad_after - v.w.ceil_extra);
    if (dilated) s += " dilation " + sizes([](const axis& a) { return a.dilation; });
    return s;
}

}  // namespace typenet::detail
