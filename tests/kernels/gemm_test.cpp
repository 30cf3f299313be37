// Tests typenet/kernels/gemm.hpp against naive triple loops in double, for every vector
// type this build has: sizes that are not multiples of the vector width or of the
// blocks, sums shorter than a vector, a single row, column or term, row strides longer
// than the rows, sums long enough to run in chunks over outputs in several tiles, both
// orientations of gemm_outer's a, and both assigning and adding to c; and transpose.
#define BOOST_TEST_MODULE gemm
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include <typenet/kernels/gemm.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::vector_types;

namespace {

struct size3 {
    std::size_t m, n, k;
};

// Shapes that leave every kind of edge block, and the layers' own shapes.
const size3 dot_sizes[] = {{1, 1, 1},   {1, 1, 37},   {1, 9, 5},    {7, 1, 3},    {3, 5, 7},
                           {5, 7, 19},  {9, 13, 33},  {4, 6, 16},   {13, 10, 84}, {16, 25, 100},
                           {6, 25, 784}, {2, 3, 2100}, {70, 140, 1030}};
const size3 outer_sizes[] = {{1, 1, 1},   {1, 1, 0},     {3, 5, 0},   {1, 37, 3},   {7, 1, 5},
                             {5, 7, 9},   {13, 33, 17},  {6, 64, 4},  {9, 65, 2},   {25, 100, 6},
                             {4, 3, 130}, {31, 150, 16}, {5, 30, 700}, {64, 200, 40}};

// Entries of a rows × cols matrix whose rows are `stride` apart; the padding after each
// row is NaN, so that a kernel reading it would show.
std::vector<float> padded(std::size_t rows, std::size_t cols, std::size_t stride, unsigned seed) {
    const auto values = kernel_cases::random_values<float>(rows * cols, seed);
    std::vector<float> m(rows * stride, NAN);
    for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(values.begin() + long(r * cols), cols, m.begin() + long(r * stride));
    return m;
}

// Sums of k terms of size ≤ 1 in another order than the reference.
float tolerance(std::size_t k) { return 1e-6f * float(std::max<std::size_t>(k, 1)); }

// gemm_dot with a fused bias and ReLU, as the dense layer calls it.
template <class V>
void compare_dot(size3 s, std::size_t pad) {
    const std::size_t lda = s.k + pad, ldb = s.k + 2 * pad, ldc = s.n + pad;
    const auto a = padded(s.m, s.k, lda, 1), b = padded(s.n, s.k, ldb, 2);
    const auto bias = kernel_cases::random_values<float>(s.n, 3);
    std::vector<float> c(s.m * ldc, NAN);
    std::vector<int> calls(s.m * s.n);
    k::vector::gemm_dot<V>(s.m, s.n, s.k, a.data(), lda, b.data(), ldb, [&](std::size_t i, std::size_t j, float sum) {
        ++calls[i * s.n + j];
        c[i * ldc + j] = std::max(0.f, bias[j] + sum);
    });
    for (std::size_t i = 0; i < s.m; ++i)
        for (std::size_t j = 0; j < s.n; ++j) {
            double sum = bias[j];
            for (std::size_t p = 0; p < s.k; ++p) sum += double(a[i * lda + p]) * double(b[j * ldb + p]);
            BOOST_TEST(calls[i * s.n + j] == 1, "finish(" << i << ", " << j << ") calls (" << V::name << ")");
            BOOST_TEST(std::abs(c[i * ldc + j] - std::max(0., sum)) <= tolerance(s.k),
                       "c[" << i << "][" << j << "] of " << s.m << "×" << s.n << "×" << s.k << ": " << c[i * ldc + j]
                            << " vs " << std::max(0., sum) << " (" << V::name << ")");
        }
}

// a is read as shape<m,k> (row-major) or as the transpose of a shape<k,m>.
template <class V, bool Accumulate>
void compare_outer(size3 s, std::size_t pad, bool transposed) {
    const std::size_t a_rows = transposed ? s.k : s.m, a_cols = transposed ? s.m : s.k;
    const std::size_t lda = a_cols + pad, ldb = s.n + 2 * pad, ldc = s.n + pad;
    const auto a = padded(a_rows, a_cols, lda, 4), b = padded(s.k, s.n, ldb, 5);
    const std::size_t a_row = transposed ? 1 : lda, a_col = transposed ? lda : 1;
    // c's padding must stay NaN; its entries start at values to add to (or to overwrite).
    auto c = padded(s.m, s.n, ldc, 6);
    const auto before = c;
    k::vector::gemm_outer<V, Accumulate>(s.m, s.n, s.k, a.data(), a_row, a_col, b.data(), ldb, c.data(), ldc);
    for (std::size_t i = 0; i < s.m; ++i) {
        for (std::size_t j = 0; j < s.n; ++j) {
            double sum = Accumulate ? before[i * ldc + j] : 0.;
            for (std::size_t p = 0; p < s.k; ++p) sum += double(a[i * a_row + p * a_col]) * double(b[p * ldb + j]);
            BOOST_TEST(std::abs(c[i * ldc + j] - sum) <= tolerance(s.k),
                       "c[" << i << "][" << j << "] of " << s.m << "×" << s.n << "×" << s.k
                            << (transposed ? " (a transposed)" : "") << ": " << c[i * ldc + j] << " vs " << sum << " ("
                            << V::name << ")");
        }
        for (std::size_t j = s.n; j < ldc; ++j) BOOST_TEST(std::isnan(c[i * ldc + j]), "padding of c written");
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(dot_dense_rows, V, vector_types) {
    for (const size3 s : dot_sizes) compare_dot<V>(s, 0);
}
BOOST_AUTO_TEST_CASE_TEMPLATE(dot_strided_rows, V, vector_types) {
    for (const size3 s : dot_sizes) compare_dot<V>(s, 3);
}
BOOST_AUTO_TEST_CASE_TEMPLATE(outer_assign, V, vector_types) {
    for (const size3 s : outer_sizes)
        for (const bool transposed : {false, true}) compare_outer<V, false>(s, 0, transposed);
}
BOOST_AUTO_TEST_CASE_TEMPLATE(outer_accumulate, V, vector_types) {
    for (const size3 s : outer_sizes)
        for (const bool transposed : {false, true}) compare_outer<V, true>(s, 0, transposed);
}
BOOST_AUTO_TEST_CASE_TEMPLATE(outer_strided_rows, V, vector_types) {
    for (const size3 s : outer_sizes)
        for (const bool transposed : {false, true}) {
            compare_outer<V, false>(s, 5, transposed);
            compare_outer<V, true>(s, 5, transposed);
        }
}

// An empty sum reads neither a nor b, which may then be null (UBSan used to report the
// null pointer offset of a's rows here).
BOOST_AUTO_TEST_CASE_TEMPLATE(outer_empty_sum_with_null_operands, V, vector_types) {
    std::vector<float> c(3 * 40, 2.0f);
    k::vector::gemm_outer<V, true>(3, 37, 0, nullptr, 0, 1, nullptr, 37, c.data(), 40);
    BOOST_TEST(std::count(c.begin(), c.end(), 2.0f) == 120);
    k::vector::gemm_outer<V, false>(3, 37, 0, nullptr, 0, 1, nullptr, 37, c.data(), 40);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 40; ++j) BOOST_TEST(c[i * 40 + j] == (j < 37 ? 0.0f : 2.0f));
}

// transpose, setting and adding: a's rows padded with NaN (a read past a row would show),
// b's rows longer than a's columns (a write past them would show).
BOOST_AUTO_TEST_CASE_TEMPLATE(transpose_assign_and_accumulate, V, vector_types) {
    const std::pair<std::size_t, std::size_t> sizes[] = {{1, 1}, {1, 37}, {7, 1}, {16, 16}, {17, 33}, {5, 64}, {40, 9}};
    for (const auto& [m, n] : sizes) {
        const std::size_t lda = n + 3, ldb = m + 2;
        const auto a = padded(m, n, lda, 7);
        std::vector<float> set(n * ldb, 2.0f), added(n * ldb, 2.0f);
        k::vector::transpose<V, false>(m, n, a.data(), lda, set.data(), ldb);
        k::vector::transpose<V, true>(m, n, a.data(), lda, added.data(), ldb);
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t i = 0; i < ldb; ++i) {
                const bool inside = i < m;
                BOOST_TEST(set[j * ldb + i] == (inside ? a[i * lda + j] : 2.0f), m << "×" << n << " (" << i << ", " << j << ")");
                BOOST_TEST(added[j * ldb + i] == (inside ? a[i * lda + j] + 2.0f : 2.0f),
                           m << "×" << n << " (" << i << ", " << j << ") added");
            }
    }
}
