/// Defines `typenet::kernels::winograd::conv2d_tiles`: float 3×3 convolution with stride 1
/// by Winograd's F(2×2, 3×3), the fast path of conv2d for layers with many channels and
/// filters. Tested against the reference on odd shapes.
///
/// Each 2×2 block of outputs (a tile) comes from the 4×4 input patch under it: the patch
/// and the 3×3 filters are carried into a space where the convolution is 16 element-wise
/// products, which are matrix products over the channels, and carried back. The products
/// take 16·C·F multiply-adds per tile where the direct sum takes 36·C·F: 2.25 times fewer.
/// The transforms only add, subtract and halve, so the result differs from the direct sum
/// by rounding alone (a few units in the last place of its terms).
///
/// Tiles are numbered row by row and taken `chunk` at a time, vectorized over tiles. A
/// chunk's transformed input stays in L2 (on the stack, with the products at most
/// 320 KiB); the products run a block of filters at a time, position by position, and
/// stay in L1 for the output transform. Input and output stay in NCHW; the transformed
/// weights come from `pack`, which conv2d runs again only when the weights change, laid
/// out block of filters by block in the order the products read them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include <typenet/kernels/reference/conv2d.hpp>
#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::winograd {

/// Whether this kernel computes G: a 3×3 window, stride 1 and no dilation.
template <conv_geometry G>
inline constexpr bool fits = G.win.h.kernel == 3 && G.win.w.kernel == 3 && G.win.h.stride == 1 &&
                             G.win.w.stride == 1 && G.win.h.dilation == 1 && G.win.w.dilation == 1;

/// The blocking of a convolution for vector type V, fixed at compile time.
template <conv_geometry G, class V>
struct conv2d_blocking {
    static_assert(fits<G>, "winograd::conv2d: needs a 3x3 window, stride 1 and no dilation");
    static constexpr long lanes = long(V::lanes), positions = 16;
    static constexpr long tiles_w = (G.out_w() + 1) / 2, tiles_h = (G.out_h() + 1) / 2, tiles = tiles_w * tiles_h;
    /// Filters of the transformed weights: whole vectors.
    static constexpr long filter_row = (G.filters + lanes - 1) / lanes * lanes;
    static constexpr std::size_t stack_budget = 320 * 1024;

    // A block of the products: nt vectors of tiles × nf filters, summed over the channels.
    struct shape {
        long nt = 0, nf = 0;
    };
    // Its time in half-cycles: two FMAs a cycle once there are enough accumulators to
    // hide their latency (8), or one load a cycle (nt vectors, nf broadcasts): W3 ran its
    // products 17% faster in blocks of 3 × 8 than of 2 × 8, which two loads a cycle would
    // have rated the same.
    static constexpr long chunk_floats(long nt, long nf) {
        return positions * ((G.channels + nf) * nt * lanes + 2 * lanes);
    }
    static constexpr long cost(shape s) {
        const long chunks = (tiles + s.nt * lanes - 1) / (s.nt * lanes);
        const long filter_blocks = (G.filters + s.nf - 1) / s.nf;
        return chunks * filter_blocks * std::max({s.nt * s.nf, 2 * (s.nt + s.nf), 8L});
    }
    static constexpr shape best = [] {
        const long accumulators = V::registers >= 32 ? 24 : 12;
        shape chosen;
        for (long nt = 1; nt <= 4; ++nt)
            for (long nf = 1; nt * nf <= accumulators; ++nf)
                if (filter_row % nf == 0 && chunk_floats(nt, nf) * long(sizeof(float)) <= long(stack_budget) &&
                    (chosen.nt == 0 || cost({nt, nf}) < cost(chosen) ||
                     (cost({nt, nf}) == cost(chosen) && nt * nf > chosen.nt * chosen.nf)))
                    chosen = {nt, nf};
        return chosen;
    }();
    /// Whether a chunk of at least one vector of tiles fits the stack budget.
    static constexpr bool feasible = best.nt > 0;
    static constexpr long nt = best.nt, nf = best.nf, chunk = nt * lanes;
    // Each of the 16 positions is a plane, one cache line longer than its values: the
    // transforms touch all 16 at once, and planes a power of two apart would put those
    // 16 lines in one set of L1, which holds 12.
    static constexpr long v_plane = G.channels * chunk + lanes, m_plane = nf * chunk + lanes;
    /// Floats of transformed weights, [filter block][position][channel][nf]: a block of
    /// products streams its weights from one place. Planes of all filters, [position]
    /// [channel][filter], put each channel's nf weights a plane's row apart: VGG-16's
    /// 512 → 512 layers (one vector of tiles a chunk on AVX2, so every weight is read once
    /// a vector of tiles) ran 3.2 times slower so.
    static constexpr long block_floats = positions * G.channels * nf;
    static constexpr std::size_t packed_size = std::size_t(filter_row / nf * block_floats);
};

/// Whether conv2d runs G by this kernel: it fits, and the channels and filters are many
/// enough for the products to outweigh the transforms (alone, weights included: W1's
/// 32 → 64 on 31×31 runs 1.4 times as fast as the direct kernel, W3's 64 → 64 on 56×56
/// 1.6 to 1.8 times).
template <conv_geometry G, class V>
inline constexpr bool prefer = [] {
    if constexpr (!fits<G>) return false;
    else return G.channels >= 16 && G.filters >= 16 && conv2d_blocking<G, V>::feasible;
}();

/// The transformed weights: U = G·g·Gᵀ for each filter g, G = [1 0 0; ½ ½ ½; ½ -½ ½;
/// 0 0 1], vectorized over filters (each tap gathered from PyTorch's OIHW weight), each
/// vector then scattered to its blocks of filters. packed: packed_size floats.
template <conv_geometry G, class V>
void pack(const float* weight, float* packed) {
    using B = conv2d_blocking<G, V>;
    constexpr long taps = G.channels * 9;
    const V half = V::broadcast(0.5f);
    // The rows of G·x for the three values x of a column of taps (or a row of G·g).
    auto apply_g = [&](V x0, V x1, V x2, V (&r)[4]) __attribute__((always_inline)) {
        const V outer = x0 + x2;
        r[0] = x0;
        r[1] = fma(outer + x1, half, V::zero());
        r[2] = fma(outer - x1, half, V::zero());
        r[3] = x2;
    };
    for (long f = 0; f < B::filter_row; f += B::lanes) {
        // Filters past the last (to fill the vector) get zeros.
        const auto filters = std::size_t(std::clamp(G.filters - f, 0L, B::lanes));
        for (long c = 0; c < G.channels; ++c) {
            const float* g = weight + std::min(f, G.filters - 1) * taps + c * 9;
            auto tap = [&](long k) __attribute__((always_inline)) { return V::gather_first(g + k, taps, filters); };
            V column[3][4];  // G·g, column by column of the taps
            for (long kw = 0; kw < 3; ++kw) apply_g(tap(kw), tap(3 + kw), tap(6 + kw), column[kw]);
            for (long i = 0; i < 4; ++i) {
                V u[4];
                apply_g(column[0][i], column[1][i], column[2][i], u);
                for (long j = 0; j < 4; ++j) {
                    alignas(64) float lane[B::lanes];
                    V::store(lane, u[j]);
                    for (long l = 0; l < B::lanes; ++l) {
                        const long filter = f + l;
                        packed[filter / B::nf * B::block_floats + ((i * 4 + j) * G.channels + c) * B::nf +
                               filter % B::nf] = lane[l];
                    }
                }
            }
        }
    }
}

namespace detail {

// For each vector of slots [s0, s0 + lanes) of tiles [first, last) (slots count from
// first): describe(run, lane0, tile_row, tile_column, tiles) for each run of its tiles
// within one row of tiles, in lanes [lane0, lane0 + tiles), then work(s0, runs, count).
template <conv_geometry G, class V, class Run, class Describe, class Work>
[[gnu::always_inline]] inline void for_each_vector(long first, long last, Describe&& describe, Work&& work) {
    using B = conv2d_blocking<G, V>;
    // The rows of tiles that one vector's tiles can come from.
    constexpr long max_runs = std::min(B::lanes, (B::lanes + B::tiles_w - 1) / B::tiles_w + 1);
    for (long s0 = 0; s0 < last - first; s0 += B::lanes) {
        Run runs[max_runs];
        long count = 0;
        const long a = first + s0, b = std::min(last, a + B::lanes);
        for (long t = a, tiles; t < b; t += tiles) {
            const long ty = t / B::tiles_w, tx = t % B::tiles_w;
            tiles = std::min(b - t, B::tiles_w - tx);
            describe(runs[count++], t - a, ty, tx, tiles);
        }
        work(s0, static_cast<const Run*>(runs), count);
    }
}

// The input row that the patches' rows outside the input read, all zeros: its loads are
// masked to the row's columns as a real row's are.
template <conv_geometry G>
inline constexpr float zero_row[G.win.w.size] = {};

// Bᵀ·x for four values along a patch's row or column, Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
template <class V>
[[gnu::always_inline]] inline void apply_bt(V x0, V x1, V x2, V x3, V (&r)[4]) {
    r[0] = x0 - x2;
    r[1] = x1 + x2;
    r[2] = x2 - x1;
    r[3] = x1 - x3;
}

// The chunk's transformed input, v: [position][channel][chunk], each tile's Bᵀ·d·B.
//
// A vector of slots at a time, whole and at a whole vector from the chunk's start: its
// tiles may come from two rows of tiles (or more, for narrow rows), each run of them
// loaded into its own lanes. Storing each run where it starts instead, across two cache
// lines and with one pass of the transform per run, took twice as long (W3: 28 tiles a
// row). The lanes past the last tile load zeros: garbage there would take part in the
// products, and a denormal slows every FMA it meets.
template <conv_geometry G, class V>
void transform_input(const float* in, float* v, long first, long last) {
    using B = conv2d_blocking<G, V>;
    static constexpr auto h = G.win.h, w = G.win.w;  // static: g++ 12 fails on nested lambdas otherwise
    constexpr long lanes = B::lanes;
    // Where a run's patches are: its four rows, each with the channel plane and four loads
    // at columns at[k] (x, x + lanes, x + 2, x + 2 + lanes), masked to the run's lanes
    // inside the row. A row outside the input reads a row of zeros instead, so that the
    // loop has no branch (g++ keeps the patch in memory otherwise, at 3 times the time).
    struct run_loads {
        const float* row[4];
        long plane[4], at[4];
        typename V::mask inside[4];
        bool whole;  // all lanes, all inside the row: plain loads
    };
    auto describe = [&](run_loads& run, long lane0, long ty, long tx, long tiles) __attribute__((always_inline)) {
        // Lane l holds tile tx - lane0 + l, whose patch starts at input column x + 2l.
        const long x = 2 * (tx - lane0) - w.pad_before, top = 2 * ty - h.pad_before;
        for (long r = 0; r < 4; ++r) {
            const bool outside = top + r < 0 || top + r >= h.size;
            run.row[r] = outside ? zero_row<G> : in + (top + r) * w.size;
            run.plane[r] = outside ? 0 : h.size * w.size;
        }
        for (long k = 0; k < 4; ++k) {
            // A load holds two columns of each of half of the tiles (the second half for k odd).
            const long half = k % 2 * lanes;
            run.at[k] = x + (k / 2) * 2 + (k % 2) * lanes;
            const long from = std::max(-run.at[k], 2 * lane0 - half),
                       to = std::min(w.size - run.at[k], 2 * (lane0 + tiles) - half);
            run.inside[k] = V::lanes_between(std::clamp(from, 0L, lanes), std::clamp(to, 0L, lanes));
        }
        run.whole = tiles == lanes && x >= 0 && run.at[3] + lanes <= w.size;
    };
    auto transform = [&](long s0, const run_loads* runs, long count) __attribute__((always_inline)) {
        auto channels = [&](auto load) __attribute__((always_inline)) {
            for (long c = 0; c < G.channels; ++c) {
                V rows[4][4];  // d·B of the patch's four rows, tile by tile
                unroll<4>([&](auto r) __attribute__((always_inline)) {
                    V d[4];  // the patch's columns 0 to 3 of each tile: its input columns x + 2t + k
                    V::deinterleave(load(r, c, 0), load(r, c, 1), d[0], d[1]);
                    V::deinterleave(load(r, c, 2), load(r, c, 3), d[2], d[3]);
                    apply_bt(d[0], d[1], d[2], d[3], rows[r]);
                });
                unroll<4>([&](auto j) __attribute__((always_inline)) {
                    V u[4];
                    apply_bt(rows[0][j], rows[1][j], rows[2][j], rows[3][j], u);
                    unroll<4>([&](auto i) __attribute__((always_inline)) {
                        V::store(v + (i * 4 + j) * B::v_plane + c * B::chunk + s0, u[i]);
                    });
                });
            }
        };
        // Where load k of the patch row r of channel c starts, for one run.
        auto source = [&](const run_loads& run, long r, long c, long k) __attribute__((always_inline)) {
            return run.row[r] + c * run.plane[r] + run.at[k];
        };
        if (count == 1 && runs[0].whole) {
            channels([&](long r, long c, long k) __attribute__((always_inline)) {
                return V::load(source(runs[0], r, c, k));
            });
        } else {
            channels([&](long r, long c, long k) __attribute__((always_inline)) {
                V x = V::load(source(runs[0], r, c, k), runs[0].inside[k]);
                for (long i = 1; i < count; ++i) x = V::load(source(runs[i], r, c, k), runs[i].inside[k], x);
                return x;
            });
        }
    };
    for_each_vector<G, V, run_loads>(first, last, describe, transform);
}

// For the nf filters from f0 and the first nt vectors of tiles: m[position][filter -
// f0][chunk] = Σ over channels of U[position][channel][filter] · v[position][channel][chunk].
template <conv_geometry G, class V, long nt>
void multiply(const float* transformed, const float* v, float* m, long f0) {
    using B = conv2d_blocking<G, V>;
    constexpr long nf = B::nf;
    for (long p = 0; p < B::positions; ++p) {
        const float* vp = v + p * B::v_plane;
        const float* up = transformed + f0 / nf * B::block_floats + p * G.channels * nf;
        V acc[nf][nt];
        unroll<nf>([&](auto j) __attribute__((always_inline)) {
            unroll<nt>([&](auto t) __attribute__((always_inline)) { acc[j][t] = V::zero(); });
        });
        for (long c = 0; c < G.channels; ++c) {
            V x[nt];
            unroll<nt>([&](auto t) __attribute__((always_inline)) { x[t] = V::load_in_register(vp + c * B::chunk + t * B::lanes); });
            const float* u = up + c * nf;
            unroll<nf>([&](auto j) __attribute__((always_inline)) {
                const V b = V::broadcast(u[j]);
                unroll<nt>([&](auto t) __attribute__((always_inline)) { acc[j][t] = fma(b, x[t], acc[j][t]); });
            });
        }
        float* target = m + p * B::m_plane;
        unroll<nf>([&](auto j) __attribute__((always_inline)) {
            unroll<nt>([&](auto t) __attribute__((always_inline)) { V::store(target + j * B::chunk + t * B::lanes, acc[j][t]); });
        });
    }
}

// Aᵀ·x for four values along a row or column of the products, Aᵀ = [1 1 1 0; 0 1 -1 -1].
template <class V>
[[gnu::always_inline]] inline void apply_at(V x0, V x1, V x2, V x3, V (&r)[2]) {
    r[0] = x0 + x1 + x2;
    r[1] = x1 - x2 - x3;
}

// Each tile's 2×2 outputs Aᵀ·M·A + bias, through the fused layers, into NCHW, for the
// filters of m from f0. A vector of slots at a time, as transform_input: loaded whole and
// transformed once, each run of tiles in it then storing its own lanes to its own rows.
template <conv_geometry G, class V, class Epilogue>
void transform_output(const float* m, const float* bias, float* out, long first, long last, long f0,
                      const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    constexpr long lanes = B::lanes, oh = G.out_h(), ow = G.out_w();
    // Where a run's outputs go: output row `row` and the next (`height` of them inside the
    // output), from output column `column` for lane 0, masked to the run's columns inside
    // the output in each half of the interleaved rows.
    struct run_stores {
        long row, height, column;
        typename V::mask low, high;
        bool whole;  // all 2·lanes columns: plain stores
    };
    auto describe = [&](run_stores& run, long lane0, long ty, long tx, long tiles) __attribute__((always_inline)) {
        run.row = 2 * ty, run.height = std::min(2L, oh - 2 * ty), run.column = 2 * (tx - lane0);
        const long begin = 2 * lane0, end = std::min(2 * (lane0 + tiles), ow - run.column);
        run.low = V::lanes_between(std::min(begin, lanes), std::clamp(end, 0L, lanes));
        run.high = V::lanes_between(std::clamp(begin - lanes, 0L, lanes), std::clamp(end - lanes, 0L, lanes));
        run.whole = begin == 0 && end == 2 * lanes;
    };
    auto transform = [&](long s0, const run_stores* runs, long count) __attribute__((always_inline)) {
        for (long f = f0; f < std::min(G.filters, f0 + B::nf); ++f) {
            V rows[4][2];  // M·A of the four rows of M
            unroll<4>([&](auto i) __attribute__((always_inline)) {
                V q[4];
                unroll<4>([&](auto j) __attribute__((always_inline)) {
                    q[j] = V::load(m + (i * 4 + j) * B::m_plane + (f - f0) * B::chunk + s0);
                });
                apply_at(q[0], q[1], q[2], q[3], rows[i]);
            });
            const V b = bias ? V::broadcast(bias[f]) : V::zero();
            V y[2][2];  // [output row][half of the interleaved row]
            unroll<2>([&](auto j) __attribute__((always_inline)) {
                V r[2];
                apply_at(rows[0][j], rows[1][j], rows[2][j], rows[3][j], r);
                y[0][j] = r[0] + b, y[1][j] = r[1] + b;
            });
            unroll<2>([&](auto k) __attribute__((always_inline)) {
                V low, high;
                V::interleave(y[k][0], y[k][1], low, high);
                // An addend differs from run to run: it is added as each run stores.
                using once = typename Epilogue::before;
                low = simd::finished<once>(low), high = simd::finished<once>(high);
                for (long i = 0; i < count; ++i) {
                    const run_stores& run = runs[i];
                    if (k >= run.height) continue;
                    float* target = out + (f * oh + run.row + k) * ow + run.column;
                    if constexpr (!Epilogue::adds) {
                        if (run.whole) {
                            V::store(target, low);
                            V::store(target + lanes, high);
                        } else {
                            V::store(target, low, run.low);
                            V::store(target + lanes, high, run.high);
                        }
                    } else {
                        const auto add = ep.without_before();
                        if (run.whole) {
                            V::store(target, simd::finished(add, low, target));
                            V::store(target + lanes, simd::finished(add, high, target + lanes));
                        } else {
                            V::store(target, simd::finished(add, low, target, run.low), run.low);
                            V::store(target + lanes, simd::finished(add, high, target + lanes, run.high), run.high);
                        }
                    }
                }
            });
        }
    };
    for_each_vector<G, V, run_stores>(first, last, describe, transform);
}

}  // namespace detail

/// Tiles [first, last) of the tiles numbered row by row (tile t holds output rows 2·(t /
/// tiles_w) and the next, columns 2·(t % tiles_w) and the next), so that threads can share
/// one image and a pool fused after the convolution can take whole rows of tiles.
/// in: shape<C,H,W>  packed: from pack<G, V>  bias: one per filter, or null  out: shape<F,OH,OW>.
template <conv_geometry G, class V, class Epilogue>
void conv2d_tiles(const float* in, const float* packed, const float* bias, float* out, long first, long last,
                  const Epilogue& ep) {
    using B = conv2d_blocking<G, V>;
    alignas(64) float v[B::positions * B::v_plane];
    alignas(64) float m[B::positions * B::m_plane];
    for (long a = first; a < last; a += B::chunk) {
        const long b = std::min(last, a + B::chunk);
        detail::transform_input<G, V>(in, v, a, b);
        // A block of filters at a time, whose products stay in L1 for the output transform.
        // A chunk short of tiles multiplies only the vectors that hold some.
        const long vectors = (b - a + B::lanes - 1) / B::lanes;
        for (long f0 = 0; f0 < G.filters; f0 += B::nf) {
            [&]<long... K>(std::integer_sequence<long, K...>) {
                ((vectors == K + 1 ? detail::multiply<G, V, K + 1>(packed, v, m, f0) : void()), ...);
            }(std::make_integer_sequence<long, B::nt>{});
            detail::transform_output<G, V, Epilogue>(m, bias, out, a, b, f0, ep);
        }
    }
}

}  // namespace typenet::kernels::winograd
