/// Defines `typenet::kernels::columns::conv2d_rows`: float convolution vectorized over
/// output columns, the fast path of conv2d and conv1d when direct::conv2d (vectorized
/// over filters) would leave lanes empty or spend its time around the sums: few filters,
/// few input channels, small kernels. `prefer_columns` says which of the two to run.
/// Tested against the reference on odd shapes.
///
/// A tile is nf filters × nr output rows × nx vectors of neighbouring columns: its
/// accumulators stay in registers through the whole sum over channels and taps; each tap
/// loads the tile's nr·nx input vectors (unaligned, along the input rows) and broadcasts
/// one weight per filter. Weights stay in PyTorch's OIHW and the output is written in
/// NCHW as it is. The input is first copied into a buffer with its padding made of zeros
/// and rows long enough for whole vectors, so that no tap tests a bound. Needs stride 1
/// along the width: strided columns are not a vector load.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::columns {

/// Whether this kernel computes G: its columns must be neighbours in the input.
template <conv_geometry G>
inline constexpr bool fits = G.win.w.stride == 1;

/// The blocking of a convolution for vector type V, fixed at compile time.
template <conv_geometry G, class V>
struct conv2d_blocking {
    static_assert(fits<G>, "columns::conv2d: the stride along the width must be 1");
    static constexpr long lanes = long(V::lanes);
    static constexpr long taps = G.channels * G.win.h.kernel * G.win.w.kernel;
    /// Vectors per output row, the last one holding `tail` columns of the row.
    static constexpr long vectors = (G.out_w() + lanes - 1) / lanes;
    static constexpr long tail = G.out_w() - (vectors - 1) * lanes;
    /// The padded input: `pitch` floats a row, wide enough for the last vector's taps.
    static constexpr long pitch = vectors * lanes + (G.win.w.kernel - 1) * G.win.w.dilation;
    static constexpr long padded_rows = G.win.h.padded();
    /// Floats of the padded input.
    static constexpr std::size_t padded_size = std::size_t(G.channels * padded_rows * pitch);

    // Half-cycles of one tile, roughly: two FMAs a cycle once there are enough
    // accumulators to hide their latency (8) and the loads keep up (two a cycle: nf
    // broadcasts and nr·nx input vectors, which mostly straddle two cache lines), plus
    // setting up and storing the accumulators.
    static constexpr long tile_cost(long nf, long nr, long nx) {
        const long accumulators = nf * nr * nx;
        return taps * std::max({accumulators, nf + 2 * nr * nx, 8L}) + 4 * accumulators + 20;
    }
    // All tiles: whole blocks along each axis, then what is left of it.
    static constexpr long cost(long nf, long nr, long nx) {
        long total = 0;
        for (auto [f, f_count] : {std::pair{nf, G.filters / nf}, std::pair{G.filters % nf, 1L}})
            for (auto [r, r_count] : {std::pair{nr, G.out_h() / nr}, std::pair{G.out_h() % nr, 1L}})
                for (auto [x, x_count] : {std::pair{nx, vectors / nx}, std::pair{vectors % nx, 1L}})
                    if (f && r && x) total += f_count * r_count * x_count * tile_cost(f, r, x);
        return total;
    }
    struct tile_shape {
        long nf, nr, nx;
    };
    // The cheapest tile whose accumulators, input vectors and a broadcast fit in registers.
    static constexpr tile_shape best = [] {
        tile_shape b{1, 1, 1};
        for (long nf = 1; nf <= std::min(G.filters, 16L); ++nf)
            for (long nr = 1; nr <= std::min(G.out_h(), 4L); ++nr)
                for (long nx = 1; nx <= std::min(vectors, 4L); ++nx)
                    if ((nf + 1) * nr * nx + 1 <= V::registers && cost(nf, nr, nx) < cost(b.nf, b.nr, b.nx))
                        b = {nf, nr, nx};
        return b;
    }();
    static constexpr long nf = best.nf, nr = best.nr, nx = best.nx;
    static constexpr long filter_blocks = (G.filters + nf - 1) / nf;
    static constexpr long row_blocks = (G.out_h() + nr - 1) / nr;
    static constexpr long column_tiles = (vectors + nx - 1) / nx;
    // The last block along each axis may be smaller.
    static constexpr long last_nf = G.filters - (filter_blocks - 1) * nf;
    static constexpr long last_nr = G.out_h() - (row_blocks - 1) * nr;
    static constexpr long last_nx = vectors - (column_tiles - 1) * nx;
};

/// Copies the input into the zero-padded buffer that conv2d_rows reads.
/// in: shape<C,H,W>  padded: padded_size floats, shape<C, padded_rows, pitch>.
template <conv_geometry G, class V>
void pad_input(const float* in, float* padded) {
    using B = conv2d_blocking<G, V>;
    constexpr auto h = G.win.h, w = G.win.w;
    for (long c = 0; c < G.channels; ++c)
        for (long y = 0; y < B::padded_rows; ++y) {
            float* row = padded + (c * B::padded_rows + y) * B::pitch;
            const long source = y - h.pad_before;
            if (source < 0 || source >= h.size) {
                std::fill(row, row + B::pitch, 0.f);
                continue;
            }
            std::fill(row, row + w.pad_before, 0.f);
            // memcpy of a known size is a few vector moves; std::copy_n calls memmove.
            std::memcpy(row + w.pad_before, in + (c * h.size + source) * w.size, w.size * sizeof(float));
            // Zeros also past the right padding: those lanes are never stored, but
            // garbage there could be a denormal, which slows every FMA it meets.
            std::fill(row + w.pad_before + w.size, row + B::pitch, 0.f);
        }
}

namespace detail {

// Where one block of tiles works: filters [f0, f0 + nf) of output rows [oh0, oh0 + nr).
struct block_site {
    const float* padded;
    const float* weight;
    const float* bias;
    float* out;
    long f0, oh0;
};

// One tile: NF filters × NR rows × NX vectors from column x0, whose last vector holds
// `Tail` columns of the row (all lanes when the row goes on).
template <conv_geometry G, class V, class Epilogue, long NF, long NR, long NX, long Tail>
[[gnu::always_inline]] inline void tile(const block_site& s, long x0, const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long lanes = B::lanes, plane = B::padded_rows * B::pitch, row_step = h.stride * B::pitch;
    // Per filter: its weights in OIHW, and its accumulators here.
    constexpr long weights = B::taps, vectors = NR * NX;

    // The accumulators stay in registers only if every loop over them is written out:
    // the lambdas are forced inline (the compilers' inliners give up on the bigger tiles,
    // and then every FMA goes through the stack, 3× slower), and the arrays are flat
    // (g++ keeps nested ones in memory).
    V acc[NF * vectors];
    unroll<NF>([&](auto f) __attribute__((always_inline)) {
        const V start = s.bias ? V::broadcast(s.bias[s.f0 + f]) : V::zero();
        unroll<vectors>([&](auto i) __attribute__((always_inline)) { acc[f * vectors + i] = start; });
    });
    const float* rows = s.padded + s.oh0 * row_step + x0;
    const float* taps = s.weight + s.f0 * weights;
    for (long c = 0; c < G.channels; ++c, rows += plane)
        for (long ky = 0; ky < h.kernel; ++ky, taps += w.kernel) {
            const float* x = rows + ky * h.dilation * B::pitch;
            for (long kx = 0; kx < w.kernel; ++kx, x += w.dilation) {
                V in[vectors];
                unroll<vectors>([&](auto i) __attribute__((always_inline)) {
                    in[i] = V::load_in_register(x + i / NX * row_step + i % NX * lanes);
                });
                unroll<NF>([&](auto f) __attribute__((always_inline)) {
                    const V weight = V::broadcast(taps[f * weights + kx]);
                    unroll<vectors>([&](auto i) __attribute__((always_inline)) {
                        acc[f * vectors + i] = fma(weight, in[i], acc[f * vectors + i]);
                    });
                });
            }
        }
    float* out = s.out + (s.f0 * G.out_h() + s.oh0) * G.out_w() + x0;
    unroll<NF * vectors>([&](auto i) __attribute__((always_inline)) {
        constexpr long f = i / vectors, r = i / NX % NR, v = i % NX;
        float* target = out + (f * G.out_h() + r) * G.out_w() + v * lanes;
        if constexpr (v + 1 < NX || Tail == lanes)
            V::store(target, simd::finished(ep, acc[i], target));
        else
            V::store_first(target, simd::finished(ep, acc[i], target, std::size_t(Tail)), std::size_t(Tail));
    });
}

// All tiles of one block of NF filters × NR rows, along the row.
template <conv_geometry G, class V, class Epilogue, long NF, long NR>
void block(const block_site& s, const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    constexpr long width = B::nx * B::lanes;
    for (long t = 0; t + 1 < B::column_tiles; ++t) tile<G, V, Epilogue, NF, NR, B::nx, B::lanes>(s, t * width, ep);
    tile<G, V, Epilogue, NF, NR, B::last_nx, B::tail>(s, (B::column_tiles - 1) * width, ep);
}

}  // namespace detail

/// Work units [first, last) of the space row_blocks × filter_blocks (unit u is row block
/// u / filter_blocks of filter block u % filter_blocks), so that threads can share one
/// image, and a pool fused after the convolution can take whole row blocks as they are done.
/// padded: from pad_input<G, V>  weight: shape<F,C,KH,KW> (PyTorch's OIHW)
/// bias: shape<F>, or null without bias  out: shape<F,OH,OW>.
template <conv_geometry G, class V, class Epilogue>
void conv2d_rows(const float* padded, const float* weight, const float* bias, float* out, long first, long last,
                 const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    // Consecutive units share a block of rows, whose input stays in L1. (Filters
    // outermost, keeping their weights there instead, measured the same.)
    for (long u = first; u < last; ++u) {
        const long rb = u / B::filter_blocks, fb = u % B::filter_blocks;
        const detail::block_site s{padded, weight, bias, out, fb * B::nf, rb * B::nr};
        const bool last_f = fb + 1 == B::filter_blocks, last_r = rb + 1 == B::row_blocks;
        if (!last_f && !last_r) detail::block<G, V, Epilogue, B::nf, B::nr>(s, ep);
        else if (!last_f) detail::block<G, V, Epilogue, B::nf, B::last_nr>(s, ep);
        else if (!last_r) detail::block<G, V, Epilogue, B::last_nf, B::nr>(s, ep);
        else detail::block<G, V, Epilogue, B::last_nf, B::last_nr>(s, ep);
    }
}

/// Work units in the space of conv2d_rows.
template <conv_geometry G, class V>
inline constexpr long conv2d_row_count = conv2d_blocking<G, V>::filter_blocks * conv2d_blocking<G, V>::row_blocks;

/// Whether this kernel (with pad_input) beats direct::conv2d_rows (with direct::pack) on
/// G. Both issue FMAs on whole vectors and pay for the lanes they leave empty: columns
/// past the end of a row here, filters past a multiple of the lanes there. On top of
/// that, in lane-FMAs, as fitted to both kernels' times on 16 shapes (AVX-512, one
/// core): per output value, ~26 for the filter kernel's row of partial sums and its
/// transpose, ~2 for this kernel's store; per call, ~24 per weight repacked there and
/// ~12 per float of the padded input copied here. E.g. LeNet-5's 1→6 5×5 on 28×28
/// runs 3.4× faster here, and a 64→64 3×3 on 56×56 12% slower. The same rule held on
/// AVX2; with the portable vector this kernel was faster on all 16 shapes (1.3–7×).
template <conv_geometry G, class V>
inline constexpr bool prefer_columns = [] {
    if constexpr (!fits<G>) {
        return false;
    } else if constexpr (std::is_same_v<V, simd::vec<simd::isa::portable>>) {
        return true;
    } else {
        using B = conv2d_blocking<G, V>;
        constexpr long lanes = B::lanes, filter_lanes = (G.filters + lanes - 1) / lanes * lanes;
        const long by_columns = G.filters * G.out_h() * B::vectors * lanes * (B::taps + 2) + 12 * long(B::padded_size);
        const long by_filters = filter_lanes * G.out_h() * G.out_w() * (B::taps + 26) + 24 * G.filters * B::taps;
        return by_columns <= by_filters;
    }
}();

}  // namespace typenet::kernels::columns
