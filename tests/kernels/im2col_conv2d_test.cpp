// Tests typenet/kernels/im2col_conv2d.hpp against the reference loops on odd shapes:
// sizes that are not a multiple of the vector width, 1×1 and 7×7 kernels, stride 2,
// dilation 2, asymmetric padding and a signal (height 1), float's weight gradient by
// outer products and by dot products, the forward pass also with a
// residual block's shortcut added in its loop; in double (plain loops, to 1e-12)
// and in float (the backward pass on explicit-vector products, to 1e-4 absolute: sums of
// a few dozen products of values in [-1, 1]).
#define BOOST_TEST_MODULE im2col_conv2d
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <typenet/kernels/im2col_conv2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using kernel_cases::geometry;
using typenet::detail::make_window;

template <class T>
void check_close(const std::vector<T>& got, const std::vector<T>& want, double tolerance, const char* what) {
    for (std::size_t i = 0; i < want.size(); ++i)
        BOOST_TEST(std::abs(double(got[i]) - double(want[i])) <= tolerance, what << "[" << i << "]: " << got[i] << " vs " << want[i]);
}

template <k::conv_geometry G, class T>
void compare_in(double tolerance) {
    static_assert(G.win.fault == typenet::detail::window_fault::none);
    using kernel_cases::random_values;
    const auto in = random_values<T>(std::size_t(G.in_size()), 1), w = random_values<T>(std::size_t(G.weight_size()), 2),
               b = random_values<T>(std::size_t(G.filters), 3), g = random_values<T>(std::size_t(G.out_size()), 4);
    std::vector<T> cols(k::im2col::columns_size<G>), grad_cols(cols.size()), transposed(k::im2col::transposed_size<G>);
    std::vector<T> out_ref(std::size_t(G.out_size())), out(out_ref.size());
    k::reference::conv2d_forward<G>(in.data(), w.data(), b.data(), out_ref.data(), typenet::epilogue<>{});
    k::im2col::conv2d_forward<G>(in.data(), w.data(), b.data(), out.data(), cols.data(), typenet::epilogue<>{});
    check_close(out, out_ref, tolerance, "out");

    // A residual block's shortcut (here g) added in the loop, then a ReLU.
    std::vector<T> summed(out.size()), summed_ref(out.size());
    k::im2col::conv2d_forward<G>(
        in.data(), w.data(), b.data(), summed.data(), cols.data(),
        typenet::adding_epilogue<T, typenet::epilogue<>, typenet::epilogue<typenet::relu>>{g.data(), summed.data()});
    for (std::size_t i = 0; i < out.size(); ++i) summed_ref[i] = std::max(T(0), out_ref[i] + g[i]);
    check_close(summed, summed_ref, tolerance, "out with a shortcut added");

    // Gradients added to what is there already.
    std::vector<T> gin_ref(in.size()), gin(in.size(), NAN), gw_ref(w.size(), T(0.5)), gw(w.size(), T(0.5)),
        gb_ref(b.size(), T(0.25)), gb(b.size(), T(0.25));
    k::reference::conv2d_backward<G>(in.data(), w.data(), g.data(), gin_ref.data(), gw_ref.data(), gb_ref.data());
    k::im2col::conv2d_backward<G>(cols.data(), w.data(), g.data(), gin.data(), gw.data(), gb.data(), grad_cols.data(),
                                  transposed.data());
    check_close(gin, gin_ref, tolerance, "grad_in");
    check_close(gw, gw_ref, tolerance, "grad_weight");
    check_close(gb, gb_ref, tolerance, "grad_bias");
}

template <k::conv_geometry G>
void compare() {
    compare_in<G, double>(1e-12);
    compare_in<G, float>(1e-4);
}

BOOST_AUTO_TEST_CASE(three_by_three_odd_sizes) { compare<geometry<3, 13, 11, 5, 3, 3, 1, 1, 1, 1>>(); }
BOOST_AUTO_TEST_CASE(one_by_one) { compare<geometry<7, 9, 10, 3, 1, 1, 1, 1, 0, 0>>(); }
BOOST_AUTO_TEST_CASE(seven_by_seven_stride_2) { compare<geometry<2, 17, 19, 4, 7, 7, 2, 1, 3, 3>>(); }
BOOST_AUTO_TEST_CASE(dilation_2_no_bias) { compare<geometry<3, 12, 12, 2, 3, 3, 1, 2, 2, 2, false>>(); }
// float's weight gradient as outer products (at least 64 rows of columns, no more filters
// than rows), on an output plane of 99 values; and as dot products beside it.
BOOST_AUTO_TEST_CASE(weight_gradient_by_outer_products) {
    static_assert(k::im2col::weight_gradient_by_outer_products(20, 18 * 9));
    compare<geometry<18, 9, 11, 20, 3, 3, 1, 1, 1, 1>>();
}
BOOST_AUTO_TEST_CASE(more_filters_than_rows) {
    static_assert(!k::im2col::weight_gradient_by_outer_products(80, 70));
    compare<geometry<70, 5, 3, 80, 1, 1, 1, 1, 0, 0>>();
}
BOOST_AUTO_TEST_CASE(non_square_kernel) { compare<geometry<2, 8, 15, 3, 2, 5, 1, 1, 0, 2>>(); }
BOOST_AUTO_TEST_CASE(signal) {
    constexpr k::conv_geometry g{3, 4,
                                 make_window(true, 1, 37, std::array{5}, std::array{2}, std::array{1}, std::array{2, 1},
                                             false, false)};
    compare<g>();
}
