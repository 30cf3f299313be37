/// Defines `typenet::kernels::vector::gemm_dot` and `gemm_outer`: float matrix products
/// with explicit vectors and run-time sizes, for the dense layer over a batch, 1×1
/// convolutions and the gradients of the dense and convolution layers; and `transpose`,
/// for operands in the other order. Tested against naive loops (tests/kernels/gemm_test.cpp).
///
/// Both keep a block of accumulators in registers through the sum (or a long part of it),
/// so that each vector loaded serves several of them and their independent chains hide the
/// FMA latency. Neither allocates: their buffers are on the stack.
/// gemm_dot sums along contiguous rows of both operands (C = A·Bᵀ): one vector per output,
/// added across its lanes at the end. gemm_outer adds outer products (C = A·B): an element
/// of A broadcast times a vector of a row of B, one vector per `lanes` outputs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::vector {

namespace detail {

// Calls f(integral_constant<long, n>) for a run-time n in [1, Max]: a block at the edge
// of a matrix gets a kernel of its own width, its accumulators still in registers.
template <long Max, class F>
[[gnu::always_inline]] inline void with_count(std::size_t n, F&& f) {
    unroll<Max>([&](auto i) {
        if (std::size_t(i + 1) == n) f(std::integral_constant<long, i + 1>{});
    });
}

// Calls f(i, integral_constant<long, Rows>) for blocks of rows from `first` to `last`,
// then f(i, integral_constant<long, 1>) for each row left: a kernel for each count of
// rows would double the compile time, and one row still fills its vectors.
template <long Rows, class F>
[[gnu::always_inline]] inline void row_blocks(std::size_t first, std::size_t last, F&& f) {
    std::size_t i = first;
    for (; i + Rows <= last; i += Rows) f(i, std::integral_constant<long, Rows>{});
    for (; i < last; ++i) f(i, std::integral_constant<long, 1>{});
}

// Blocks sized so that the accumulators and the operands of one step fill the registers.
template <class V>
struct gemm_blocking {
    static constexpr bool wide = V::registers >= 32;
    // gemm_dot: rows of a × rows of b (R + 1 vectors live besides the R·C accumulators).
    static constexpr long dot_rows = wide ? 4 : 3, dot_cols = wide ? 6 : 4;
    // gemm_outer: rows of c × vectors of a row of c (NV + 1 live besides the R·NV).
    static constexpr long outer_rows = wide ? 6 : 4, outer_vectors = wide ? 4 : 3;
};

// a: R rows (stride lda)  b: C rows (stride ldb), both from the first of `k` columns.
// sums: R rows of C (row stride lds), set to Σ_p a[r][p]·b[c][p], or with `add` added to.
template <class V, long R, long C>
[[gnu::flatten, gnu::noinline]] void dot_block(const float* a, std::size_t lda, const float* b, std::size_t ldb,
                                               std::size_t k, float* sums, std::size_t lds, bool add) {
    constexpr std::size_t lanes = V::lanes;
    V acc[R][C];
    unroll<R>([&](auto r) { unroll<C>([&](auto c) { acc[r][c] = V::zero(); }); });
    auto step = [&](std::size_t p, auto load) {
        V x[R];
        unroll<R>([&](auto r) { x[r] = load(a + r * lda + p); });
        unroll<C>([&](auto c) {
            const V y = load(b + c * ldb + p);
            unroll<R>([&](auto r) { acc[r][c] = fma(x[r], y, acc[r][c]); });
        });
    };
    const std::size_t full = k / lanes * lanes;
    for (std::size_t p = 0; p < full; p += lanes) step(p, [](const float* q) { return V::load_in_register(q); });
    // The tail reads zeros past the end of the rows, so it adds nothing to the sums.
    if (full < k) step(full, [&](const float* q) { return V::load_first(q, k - full); });
    // One flat loop: g++ left the inner one of two nested loops here as a call.
    unroll<R * C>([&](auto rc) {
        float& t = sums[rc / C * lds + rc % C];
        t = (add ? t : 0.f) + acc[rc / C][rc % C].sum();
    });
}

// b: k rows of `columns` (row stride ldb)  strip: k rows of Width, the columns past
// `columns` zero, so that the kernel below reads whole vectors from contiguous rows.
template <class V, std::size_t Width>
void pack_strip(const float* b, std::size_t ldb, std::size_t k, std::size_t columns, float* strip) {
    for (std::size_t p = 0; p < k; ++p)
        for (std::size_t x = 0; x < Width; x += V::lanes) {
            const float* row = b + p * ldb + x;
            V::store(strip + p * Width + x, x + V::lanes <= columns ? V::load(row)
                                            : x < columns           ? V::load_first(row, columns - x)
                                                                    : V::zero());
        }
}

// gemm_outer's stores: the sums as they are.
struct sums_as_they_are {
    template <class V>
    V operator()(std::size_t, V x, const float*, std::size_t) const {
        return x;
    }
};

// a: R rows, element (r, p) at a[r·a_row + p·a_col]  strip: k rows of Width (packed)
// c: R rows of NV vectors (row stride ldc), set to or, with `add`, added to. With Masked,
// the last vector of each row of c holds only `last` columns. With `finish` (the last part
// of the sum), each vector goes through it: (*finish)(row0 + r, x, where, lanes stored).
template <class V, std::size_t Width, long R, long NV, bool Masked, class Finish>
[[gnu::flatten, gnu::noinline]] void outer_block(const float* a, std::size_t a_row, std::size_t a_col,
                                                 const float* strip, float* c, std::size_t ldc, std::size_t k,
                                                 bool add, std::size_t last, const Finish* finish,
                                                 std::size_t row0) {
    constexpr std::size_t lanes = V::lanes;
    auto at = [&](std::size_t r, auto v) { return c + r * ldc + v * lanes; };
    V acc[R][NV];
    unroll<R>([&](auto r) {
        unroll<NV>([&](auto v) {
            if (!add) acc[r][v] = V::zero();
            else if constexpr (Masked && v == NV - 1) acc[r][v] = V::load_first(at(r, v), last);
            else acc[r][v] = V::load(at(r, v));
        });
    });
    for (std::size_t p = 0; p < k; ++p) {
        V y[NV];
        unroll<NV>([&](auto v) { y[v] = V::load_in_register(strip + p * Width + v * lanes); });
        unroll<R>([&](auto r) {
            const V x = V::broadcast(a[r * a_row + p * a_col]);
            unroll<NV>([&](auto v) { acc[r][v] = fma(x, y[v], acc[r][v]); });
        });
    }
    unroll<R>([&](auto r) {
        unroll<NV>([&](auto v) {
            constexpr bool partial = Masked && v == NV - 1;
            V x = acc[r][v];
            if constexpr (!std::is_same_v<Finish, sums_as_they_are>)
                if (finish) x = (*finish)(row0 + r, x, at(r, v), partial ? last : lanes);
            if constexpr (partial) V::store_first(at(r, v), x, last);
            else V::store(at(r, v), x);
        });
    });
}

}  // namespace detail

/// b[j·ldb + i] = a[i·lda + j] (or += with Accumulate) for each i < m, j < n: a
/// transposed, lanes × lanes blocks at a time in registers (those at the edges partly
/// outside the matrices). For the operands and results of gemm_outer in the other order.
// a: shape<m,n> (row stride lda)  b: shape<n,m> (row stride ldb)
template <class V, bool Accumulate>
void transpose(std::size_t m, std::size_t n, const float* a, std::size_t lda, float* b, std::size_t ldb) {
    constexpr std::size_t lanes = V::lanes;
    for (std::size_t i0 = 0; i0 < m; i0 += lanes) {
        const std::size_t rows = std::min(lanes, m - i0);
        for (std::size_t j0 = 0; j0 < n; j0 += lanes) {
            const std::size_t columns = std::min(lanes, n - j0);
            V block[lanes];
            for (std::size_t r = 0; r < lanes; ++r)
                block[r] = r < rows ? V::load_first(a + (i0 + r) * lda + j0, columns) : V::zero();
            V::transpose(block);
            for (std::size_t c = 0; c < columns; ++c) {
                float* target = b + (j0 + c) * ldb + i0;
                if constexpr (Accumulate) block[c] = block[c] + V::load_first(target, rows);
                V::store_first(target, block[c], rows);
            }
        }
    }
}

/// finish(i, j, Σ_p a[i·lda + p]·b[j·ldb + p]) once for each i < m, j < n, the sum over
/// p < k: the product of a and b transposed, both row-major. finish stores the result:
///
///     gemm_dot<simd::native>(batch, units, inputs, in, inputs, weight, inputs,
///                            [&](std::size_t i, std::size_t j, float s) { out[i * units + j] = bias[j] + s; });
// a: shape<m,k> (row stride lda)  b: shape<n,k> (row stride ldb)
template <class V, class Finish>
void gemm_dot(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t lda, const float* b,
              std::size_t ldb, Finish&& finish) {
    using B = detail::gemm_blocking<V>;
    constexpr std::size_t rows = B::dot_rows, cols = B::dot_cols;
    // The sums of a tile of outputs gather in `partial`, then go to finish in order. A long
    // sum runs in chunks: the chunk of the tile's rows of a and b stays in L2 while every
    // block of the tile reads it, and a block's rows in L1 while it sums. A dense layer of
    // up to 128 units over a batch of up to 16·rows is one tile: its weights stream in once.
    constexpr std::size_t chunk = 1024, tile_rows = 16 * rows, tile_cols = (128 + cols - 1) / cols * cols;
    float partial[tile_rows * tile_cols];
    for (std::size_t i0 = 0; i0 < m; i0 += tile_rows)
        for (std::size_t j0 = 0; j0 < n; j0 += tile_cols) {
            const std::size_t i1 = std::min(m, i0 + tile_rows), j1 = std::min(n, j0 + tile_cols);
            // The first chunk sets the sums (even when k is 0), the others add to them.
            for (std::size_t p0 = 0; p0 == 0 || p0 < k; p0 += chunk)
                for (std::size_t j = j0; j < j1; j += cols)
                    detail::row_blocks<rows>(i0, i1, [&](std::size_t i, auto R) {
                        detail::with_count<cols>(std::min(cols, j1 - j), [&](auto C) {
                            detail::dot_block<V, R, C>(a + i * lda + p0, lda, b + j * ldb + p0, ldb,
                                                       std::min(chunk, k - p0),
                                                       partial + (i - i0) * tile_cols + (j - j0), tile_cols, p0 > 0);
                        });
                    });
            for (std::size_t i = i0; i < i1; ++i)
                for (std::size_t j = j0; j < j1; ++j) finish(i, j, partial[(i - i0) * tile_cols + (j - j0)]);
        }
}

/// c[i·ldc + j] = (or += with Accumulate) Σ_p a[i·a_row + p·a_col]·b[p·ldb + j] for each
/// i < m, j < n, the sum over p < k: the product of a (or a transposed, by its strides)
/// and b, row-major. With k = 0, c is set to zero (or left as it is).
///
///     gemm_outer<simd::native, false>(batch, inputs, units, grad_out, units, 1, weight, inputs,
///                                     grad_in, inputs);
///
/// With `finish`, each vector of sums of row i goes through finish(i, x, where, lanes)
/// before it is stored at `where` (`lanes` of it): a bias and fused layers, in the loop
/// (not called for an empty sum).
// a: shape<m,k> at strides (a_row, a_col)  b: shape<k,n> (row stride ldb)  c: shape<m,n> (row stride ldc)
template <class V, bool Accumulate, class Finish = detail::sums_as_they_are>
void gemm_outer(std::size_t m, std::size_t n, std::size_t k, const float* a, std::size_t a_row, std::size_t a_col,
                const float* b, std::size_t ldb, float* c, std::size_t ldc, const Finish& finish = {}) {
    using B = detail::gemm_blocking<V>;
    constexpr std::size_t lanes = V::lanes, rows = B::outer_rows, width = B::outer_vectors * lanes;
    // A strip of b, `width` columns of up to `depth` rows, is copied to contiguous memory
    // that stays in L1 while every row of a meets it. In place, rows of b a multiple of
    // 1 KiB apart would share a quarter of the sets of L1 or fewer, and the strip would
    // come from L2 for each block of rows (64×12544×128 with rows 4 KiB apart: 80 GFLOP/s
    // in place, 111 copied).
    constexpr std::size_t depth = 8192 / width;
    if (k == 0) {  // an empty sum: a and b, possibly null, are not read
        if constexpr (!Accumulate)
            for (std::size_t i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, 0.0f);
        return;
    }
    alignas(64) float strip[depth * width];
    for (std::size_t j = 0; j < n; j += width) {
        const std::size_t columns = std::min(width, n - j);
        // The first part of the sum sets c unless Accumulate, the others add.
        for (std::size_t p0 = 0; p0 < k; p0 += depth) {
            const std::size_t length = std::min(depth, k - p0);
            const bool add = Accumulate || p0 > 0;
            const Finish* finishing = p0 + length == k ? &finish : nullptr;
            detail::pack_strip<V, width>(b + p0 * ldb + j, ldb, length, columns, strip);
            auto blocks = [&](auto vectors, auto masked, std::size_t last) {
                detail::row_blocks<rows>(0, m, [&](std::size_t i, auto R) {
                    detail::outer_block<V, width, R, vectors, masked>(a + i * a_row + p0 * a_col, a_row, a_col, strip,
                                                                      c + i * ldc + j, ldc, length, add, last,
                                                                      finishing, i);
                });
            };
            if (columns == width) {
                blocks(std::integral_constant<long, B::outer_vectors>{}, std::false_type{}, lanes);
            } else {
                // The last strip is narrower, its last vector partly outside the matrix.
                const std::size_t vectors = (columns + lanes - 1) / lanes;
                detail::with_count<B::outer_vectors>(vectors, [&](auto NV) {
                    blocks(NV, std::true_type{}, columns - (vectors - 1) * lanes);
                });
            }
        }
    }
}

}  // namespace typenet::kernels::vector
