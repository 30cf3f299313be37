/// Defines `typenet::detail::window`, the geometry of a sliding window over one or two
/// spatial axes, shared by convolutions and pooling.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

namespace typenet::detail {

/// One spatial axis: input size, kernel taps, stride, dilation and padding on each side.
struct axis {
    long size = 1, kernel = 1, stride = 1, dilation = 1, pad_before = 0, pad_after = 0;
    // Of pad_after, what a pool's ceil mode adds so that the last window fits: it is never
    // counted in a mean's divisor.
    long ceil_extra = 0;

    constexpr long span() const { return dilation * (kernel - 1) + 1; }
    constexpr long padded() const { return size + pad_before + pad_after; }
    constexpr long out() const { return (padded() - span()) / stride + 1; }
    /// The input index read by output position `o` at tap `k` (may fall in the padding).
    constexpr long source(long o, long k) const { return o * stride - pad_before + k * dilation; }
    /// The taps [first, last) of output position `o` that read the input, not its padding.
    constexpr long first_tap(long o) const {
        const long s = source(o, 0);
        return s >= 0 ? 0 : (-s + dilation - 1) / dilation;
    }
    constexpr long last_tap(long o) const {
        const long s = source(o, 0);
        return s >= size ? 0 : std::min(kernel, (size - 1 - s) / dilation + 1);
    }
    /// Whether every output position reads at least one input value: a pool's window
    /// that reads only padding has no value to give.
    constexpr bool every_window_reads_input() const {
        const auto reads = [&](long o) { return first_tap(o) < last_tap(o); };
        // Taps no further apart than the input is long: a window reads the input if it
        // overlaps it, and the windows move one way, so only the first and the last can miss.
        if (dilation <= size) return reads(0) && reads(out() - 1);
        for (long o = 0; o < out(); ++o)
            if (!reads(o)) return false;
        return true;
    }
};

/// The padding (before, after) of an axis that gives ceil(size / stride) outputs, as
/// TensorFlow's "same" and ONNX's SAME_UPPER: the odd one after (before, for SAME_LOWER).
constexpr std::array<long, 2> same_padding(long size, long stride, long span, bool odd_one_after = true) {
    const long out = (size + stride - 1) / stride;
    const long total = std::max(0L, (out - 1) * stride + span - size);
    const long before = odd_one_after ? total / 2 : total - total / 2;
    return {before, total - before};
}

/// What can be wrong with a window's options; `none` when it fits its input.
enum class window_fault {
    none,
    kernel_count,
    kernel_below_1,
    stride_count,
    stride_below_1,
    dilation_count,
    dilation_below_1,
    padding_count,
    padding_negative,
    window_reads_only_padding,
    larger_than_input,
};

/// A sliding window over `h` and `w`; a signal (rank-2 input) uses only `w`.
struct window {
    axis h, w;
    window_fault fault = window_fault::none;
};

/// The `i`th of an option's values, where one value stands for all.
template <std::size_t N>
constexpr int broadcast(const std::array<int, N>& v, std::size_t i) {
    return v[N == 1 ? 0 : i];
}

/// Builds the window for an input of `height` × `width` (height 1 for a signal) from a
/// layer's option values, and says what is wrong with them, if anything.
/// `pool` adds ONNX's pooling rule, wider than PyTorch's (padding at most half the window):
/// every window reads at least one input value; `ceil_mode` PyTorch's
/// ceil_mode: one more window where a partial one is left, if it starts inside the input
/// or its padding before.
template <std::size_t NK, std::size_t NS, std::size_t ND, std::size_t NP>
constexpr window make_window(bool signal, long height, long width, std::array<int, NK> k, std::array<int, NS> s,
                             std::array<int, ND> d, std::array<int, NP> p, bool same, bool pool,
                             bool ceil_mode = false) {
    window g;
    const std::size_t axes = signal ? 1 : 2;
    auto fail = [&](window_fault f) {
        g.fault = f;
        return g;
    };
    if (NK != 1 && NK != axes) return fail(window_fault::kernel_count);
    if (NS != 1 && NS != axes) return fail(window_fault::stride_count);
    if (ND != 1 && ND != axes) return fail(window_fault::dilation_count);
    if (NP != 1 && NP != 2 * axes && !(NP == 2 && !signal)) return fail(window_fault::padding_count);
    for (auto v : k)
        if (v < 1) return fail(window_fault::kernel_below_1);
    for (auto v : s)
        if (v < 1) return fail(window_fault::stride_below_1);
    for (auto v : d)
        if (v < 1) return fail(window_fault::dilation_below_1);
    for (auto v : p)
        if (v < 0) return fail(window_fault::padding_negative);

    // Axis 0 of the options is height for an image, and the only axis for a signal.
    auto fill = [&](axis& a, long size, std::size_t i) {
        a.size = size;
        a.kernel = broadcast(k, i);
        a.stride = broadcast(s, i);
        a.dilation = broadcast(d, i);
        if constexpr (NP == 4) {
            a.pad_before = p[2 * i];
            a.pad_after = p[2 * i + 1];
        } else if constexpr (NP == 2) {
            // pad<PH, PW> for an image, pad<left, right> for a signal.
            a.pad_before = signal ? p[0] : p[i];
            a.pad_after = signal ? p[1] : p[i];
        } else {
            a.pad_before = a.pad_after = p[0];
        }
        if (same) {
            const auto [before, after] = same_padding(size, a.stride, a.span());
            a.pad_before = before;
            a.pad_after = after;
        }
    };
    if (signal) {
        fill(g.w, width, 0);
    } else {
        fill(g.h, height, 0);
        fill(g.w, width, 1);
    }
    for (const axis* a : {&g.h, &g.w})
        if (a->span() > a->padded()) return fail(window_fault::larger_than_input);
    if (ceil_mode)
        for (axis* a : {&g.h, &g.w}) {
            long out = (a->padded() - a->span() + a->stride - 1) / a->stride + 1;
            if ((out - 1) * a->stride >= a->size + a->pad_before) --out;
            a->ceil_extra = std::max(0L, (out - 1) * a->stride + a->span() - a->padded());
            a->pad_after += a->ceil_extra;
        }
    if (pool)
        for (const axis* a : {&g.h, &g.w})
            if (!a->every_window_reads_input()) return fail(window_fault::window_reads_only_padding);
    return g;
}

}  // namespace typenet::detail
