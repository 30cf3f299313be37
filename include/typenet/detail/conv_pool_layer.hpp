/// Defines `typenet::detail::conv_pool_layer`: a convolution, the element-wise layers
/// fused into it and the pool after it, run as one step of the inference pass. Threads
/// split the pool's output rows: each computes the convolution rows its windows read and
/// pools them, in its own cache, with one hand-off between threads instead of two.
/// (Pooling each band of rows right after computing it, in L1, measured 2-5% slower on
/// W1 and LeNet-5 than the whole part at once.)
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <type_traits>

#include <typenet/detail/aligned_buffer.hpp>
#include <typenet/detail/parallel.hpp>
#include <typenet/layer.hpp>

namespace typenet::detail {

/// Conv: a bound conv_layer; Inner: the epilogue fused into it; Pool: a bound pool whose
/// windows take rows in bands (`takes_rows_in_bands`).
template <class Conv, class Inner, class Pool>
struct conv_pool_layer {
    using input_shape = typename Conv::input_shape;
    using output_shape = typename Pool::output_shape;
    static constexpr layer_role role = layer_role::compute;
    static constexpr std::size_t parameter_count = Conv::parameter_count;
    static constexpr std::size_t flops = Conv::flops + Pool::flops;
    /// The layers it runs after the convolution: the fused ones and the pool.
    static constexpr std::size_t absorbed = Inner::count + 1;
    // The convolution's output, whole, as the pool reads it; the convolution's own after it.
    static constexpr std::size_t scratch_size = whole_lines(Conv::output_shape::size) + Conv::scratch_size;
    static constexpr std::size_t kept_size = Conv::kept_size;

    // Threads split the pool rows in bands whose first window row starts a block of the
    // convolution's rows, so that two threads never compute the same block.
    static constexpr long stride = Pool::geometry.win.h.stride, window = Pool::geometry.win.h.kernel;
    static constexpr long band = Conv::rows_per_block / std::gcd(Conv::rows_per_block, stride);
    static constexpr long pool_rows = Pool::geometry.out_h();
    static constexpr long bands = (pool_rows + band - 1) / band;

    template <class T, class Epilogue>
    static void forward(weights<T> w, const T* in, T* out, T* scratch, Epilogue ep) {
        T* conv_out = scratch;
        scratch += whole_lines(Conv::output_shape::size);
        if constexpr (std::is_same_v<T, float>) {
            // Each thread prepares its own scratch: no core then reads lines the other wrote.
            const own_scratch<T> own(scratch), own_kept(w.kept);
            split_parts(bands, Conv::flops + Pool::split_cost, [&](long first, long last, std::size_t part) {
                if (first == last) return;  // more threads than bands
                const float* prepared = Conv::prepare(w.params, w.generation, in, own(part), own_kept(part));
                const long y0 = first * band, y1 = std::min(pool_rows, last * band);
                // The blocks holding the rows the bands' windows read; rows between
                // windows (a stride longer than the window) come along in them.
                const long block0 = y0 * stride / Conv::rows_per_block;
                const long block1 = std::min(
                    Conv::row_blocks, ((y1 - 1) * stride + window + Conv::rows_per_block - 1) / Conv::rows_per_block);
                Conv::forward_blocks(w.params, in, conv_out, prepared, block0, block1, Inner{});
                Pool::forward_rows(static_cast<const T*>(conv_out), out, ep, y0, y1);
            });
        } else {
            Conv::forward(w, in, conv_out, scratch, Inner{});
            Pool::forward(w.params, static_cast<const T*>(conv_out), out, static_cast<T*>(nullptr), ep);
        }
    }
};

}  // namespace typenet::detail
