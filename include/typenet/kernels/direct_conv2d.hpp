/// Defines `typenet::kernels::direct::conv2d`: float convolution by register blocking,
/// the fast path of conv2d and conv1d. Tested against the reference on odd shapes.
///
/// A tile is `ur` neighbouring outputs of one row times `nv` vectors of filters: its
/// ur·nv accumulators stay in registers through the whole sum over channels and taps,
/// each input value is broadcast once per tap and each weight vector loaded once per
/// tap. Input and output stay in the library's NCHW; only the weights are repacked
/// (filters innermost, padded to whole vectors), once per call. Every bound is known at
/// compile time, so the tiles that reach into the padding are generated with their
/// missing taps left out, and the others run without a single test.
#pragma once

#include <algorithm>
#include <cstddef>

#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::direct {

/// The blocking of a convolution for vector type V, fixed at compile time.
template <conv_geometry G, class V>
struct conv2d_blocking {
    static constexpr long lanes = long(V::lanes);
    static constexpr long filter_vectors = (G.filters + lanes - 1) / lanes;
    // Accumulators in registers, leaving room for the weight vectors and a broadcast.
    static constexpr long max_accumulators = V::registers >= 32 ? 24 : 12;
    static constexpr long max_vectors = V::registers >= 32 ? 4 : 2;
    // Vectors of filters per tile: the largest that divides the filters evenly.
    static constexpr long nv = [] {
        for (long d = max_vectors; d > 1; --d)
            if (filter_vectors % d == 0) return d;
        return 1L;
    }();
    // Outputs per tile: a width that divides the row evenly, if one is at least half the
    // most that fit, spares every row a narrow last tile (56 columns: 14 tiles of 4 ran
    // 20% faster than 9 of 6 and one of 2).
    static constexpr long ur = [] {
        const long most = std::min(G.out_w(), max_accumulators / nv);
        for (long u = most; 2 * u >= most; --u)
            if (G.out_w() % u == 0) return u;
        return most;
    }();
    static constexpr long group_width = nv * lanes;
    static constexpr long groups = (filter_vectors + nv - 1) / nv;
    static constexpr long taps = G.channels * G.win.h.kernel * G.win.w.kernel;
    static constexpr long tiles = (G.out_w() + ur - 1) / ur;
    // Channels summed per pass over a row: their weights take at most 24 KiB of L1.
    static constexpr long chunk =
        std::max(1L, 24576 / long(G.win.h.kernel * G.win.w.kernel * group_width * sizeof(float)));
    /// Floats of packed weights and biases.
    static constexpr std::size_t packed_size = std::size_t(groups * (taps + 1) * group_width);

    // Whether every tap of the tile starting at output column ow0 lies inside the input.
    static constexpr bool inside(long ow0, long width) {
        constexpr auto w = G.win.w;
        return ow0 * w.stride - w.pad_before >= 0 &&
               (ow0 + width - 1) * w.stride - w.pad_before + (w.kernel - 1) * w.dilation < w.size;
    }
    // The row buffer has whole blocks of `lanes` columns, for the transpose.
    static constexpr long padded_width = (G.out_w() + lanes - 1) / lanes * lanes;
    static constexpr long width_of(long t) { return std::min(ur, G.out_w() - t * ur); }
    static constexpr bool interior(long t) { return width_of(t) == ur && inside(t * ur, ur); }
};

/// weight: PyTorch's OIHW; bias: one per filter, or null. packed: packed_size floats laid
/// out [group][tap][group_width] with the biases of each group after its taps.
template <conv_geometry G, class V>
void pack(const float* weight, const float* bias, float* packed) {
    using B = conv2d_blocking<G, V>;
    // Each lanes×lanes block of the filters × taps matrix is transposed in registers;
    // filters past the last (to fill a vector) get zeros.
    constexpr long lanes = long(V::lanes), whole_taps = B::taps / lanes * lanes;
    for (long f0 = 0; f0 < B::groups * B::group_width; f0 += lanes) {
        float* block = packed + f0 / B::group_width * (B::taps + 1) * B::group_width + f0 % B::group_width;
        const long filters = std::clamp(G.filters - f0, 0L, lanes);
        for (long t0 = 0; t0 < whole_taps; t0 += lanes) {
            V rows[lanes];
            for (long j = 0; j < lanes; ++j)
                rows[j] = j < filters ? V::load(weight + (f0 + j) * B::taps + t0) : V::zero();
            V::transpose(rows);
            for (long t = 0; t < lanes; ++t) V::store(block + (t0 + t) * B::group_width, rows[t]);
        }
        for (long t = whole_taps; t <= B::taps; ++t)
            for (long j = 0; j < lanes; ++j)
                block[t * B::group_width + j] = j >= filters ? 0.f
                                                : t < B::taps ? weight[(f0 + j) * B::taps + t]
                                                : bias        ? bias[f0 + j]
                                                              : 0.f;
    }
}

namespace detail {

// Where one tile works: output row oh from column ow0, channels [c0, c1) of the sum.
struct tile_site {
    const float* in;
    const float* block;  // the group's packed weights
    float* partial;      // the tile's partial sums, [column][filter of the group]
    long oh, ow0, kh0, kh1, c0, c1;
};

// One tile: `Width` outputs of one row, one group of filters, a chunk of the channels.
// `First` is the tile's first column when it reaches into the padding (so that the taps
// to leave out are known at compile time), or -1 for an interior tile.
template <conv_geometry G, class V, long Width, long First>
[[gnu::always_inline]] inline void tile(const tile_site& s) {
    using B = conv2d_blocking<G, V>;
    constexpr auto h = G.win.h, w = G.win.w;
    constexpr long nv = B::nv, gw = B::group_width;

    V acc[Width][nv];
    unroll<nv>([&](auto v) __attribute__((always_inline)) {
        if (s.c0 == 0) {
            const V b = V::load(s.block + B::taps * gw + v * B::lanes);
            unroll<Width>([&](auto u) __attribute__((always_inline)) { acc[u][v] = b; });
        } else {
            unroll<Width>([&](auto u) __attribute__((always_inline)) { acc[u][v] = V::load(s.partial + u * gw + v * B::lanes); });
        }
    });
    const long column = First < 0 ? s.ow0 * w.stride - w.pad_before : 0;
    for (long c = s.c0; c < s.c1; ++c)
        for (long kh = s.kh0; kh < s.kh1; ++kh) {
            const float* row =
                s.in + (c * h.size + s.oh * h.stride - h.pad_before + kh * h.dilation) * w.size + column;
            const float* taps = s.block + (c * h.kernel + kh) * w.kernel * gw;
            unroll<w.kernel>([&](auto kw) __attribute__((always_inline)) {
                V weights[nv];
                unroll<nv>([&](auto v) __attribute__((always_inline)) { weights[v] = V::load_in_register(taps + kw * gw + v * B::lanes); });
                // Each tap reads the row through a pointer the compiler cannot see through:
                // otherwise g++ shares the broadcasts of neighbouring taps in registers,
                // spilling accumulators or paying a shuffle on an FMA port for each.
                const float* x = row + kw * w.dilation;
                asm("" : "+r"(x));
                unroll<Width>([&](auto u) __attribute__((always_inline)) {
                    // An interior tile reads from its own column; a border tile's column is
                    // known, so a tap in the padding is no instruction at all.
                    constexpr long source = (First + u) * w.stride - w.pad_before + kw * w.dilation;
                    if constexpr (First < 0 || (source >= 0 && source < w.size)) {
                        const V b = V::broadcast(First < 0 ? x[u * w.stride] : row[source]);
                        unroll<nv>([&](auto v) __attribute__((always_inline)) { acc[u][v] = fma(b, weights[v], acc[u][v]); });
                    }
                });
            });
        }
    unroll<Width>([&](auto u) __attribute__((always_inline)) { unroll<nv>([&](auto v) __attribute__((always_inline)) { V::store(s.partial + u * gw + v * B::lanes, acc[u][v]); }); });
}

// All tiles of one row for one chunk of channels.
template <conv_geometry G, class V>
inline void row_tiles(tile_site s) {
    using B = conv2d_blocking<G, V>;
    float* partial = s.partial;
    unroll<B::tiles>([&](auto t) __attribute__((always_inline)) {
        if constexpr (!B::interior(t)) {
            s.ow0 = t * B::ur;
            s.partial = partial + s.ow0 * B::group_width;
            tile<G, V, B::width_of(t), t * B::ur>(s);
        }
    });
    constexpr long begin = [] {
        long t = 0;
        while (t < B::tiles && !B::interior(t)) ++t;
        return t;
    }();
    for (long t = begin; t < B::tiles && B::interior(t); ++t) {
        s.ow0 = t * B::ur;
        s.partial = partial + s.ow0 * B::group_width;
        tile<G, V, B::ur, -1>(s);
    }
}

// partial: [column][filter of the group], in blocks of lanes × lanes; out: the group's
// first filter plane at the row. Writes `filters` planes (fewer than a group at the end).
template <conv_geometry G, class V, class Epilogue>
inline void store_transposed(const float* partial, float* out, long filters, const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    constexpr long lanes = B::lanes, plane = G.out_h() * G.out_w();
    for (long x0 = 0; x0 < G.out_w(); x0 += lanes) {
        const long columns = std::min(lanes, G.out_w() - x0);
        for (long f0 = 0; f0 < std::min(B::group_width, filters); f0 += lanes) {
            V block[lanes];
            for (long i = 0; i < lanes; ++i) block[i] = V::load(partial + (x0 + i) * B::group_width + f0);
            V::transpose(block);
            const long rows = std::min(lanes, filters - f0);
            for (long j = 0; j < rows; ++j) {
                float* target = out + (f0 + j) * plane + x0;
                if (columns == lanes)
                    V::store(target, simd::finished(ep, block[j], target));
                else
                    V::store_first(target, simd::finished(ep, block[j], target, std::size_t(columns)),
                                   std::size_t(columns));
            }
        }
    }
}

}  // namespace detail

/// Output rows [first, last) of the row space OH × groups (row r is output row r / groups
/// of filter group r % groups), so that threads can share one image, and a pool fused
/// after the convolution can take whole output rows as they are done.
/// in: shape<C,H,W>  packed: from pack<G, V>  out: shape<F,OH,OW>.
template <conv_geometry G, class V, class Epilogue>
void conv2d_rows(const float* in, const float* packed, float* out, long first, long last, const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    constexpr auto h = G.win.h;
    constexpr long gw = B::group_width, plane = G.out_h() * G.out_w();
    // One row's partial sums, [column][filter of the group], stay in L1 while the
    // channels are summed in chunks whose weights also fit there.
    alignas(64) float partial[B::padded_width * gw];
    for (long r = first; r < last; ++r) {
        const long oh = r / B::groups, g = r % B::groups;
        detail::tile_site s{in, packed + g * (B::taps + 1) * gw, partial, oh, 0, 0, h.kernel, 0, 0};
        // Taps that fall in the top or bottom padding are skipped for the whole row.
        while (s.kh0 < s.kh1 && h.source(oh, s.kh0) < 0) ++s.kh0;
        while (s.kh1 > s.kh0 && h.source(oh, s.kh1 - 1) >= h.size) --s.kh1;
        for (s.c0 = 0; s.c0 < G.channels; s.c0 = s.c1) {
            s.c1 = std::min(G.channels, s.c0 + B::chunk);
            detail::row_tiles<G, V>(s);
        }
        // Filters are the vector lanes here but the slowest axis of the output: transpose,
        // running the fused element-wise layers on the way out.
        detail::store_transposed<G, V>(partial, out + g * gw * plane + oh * G.out_w(), G.filters - g * gw, ep);
    }
}

/// Rows in the row space of conv2d_rows.
template <conv_geometry G, class V>
inline constexpr long conv2d_row_count = conv2d_blocking<G, V>::groups * G.out_h();

}  // namespace typenet::kernels::direct
