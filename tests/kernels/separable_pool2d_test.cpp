// Tests typenet/kernels/separable_pool2d.hpp against the reference loops on odd shapes:
// windows of 2×2, 3×3 and 2×4, strides 1 to 3, sizes the stride does not divide, a fused
// ReLU, rows of whole and masked vectors; and the backward pass, with ties inside max
// windows (the first maximum wins). The forward pass of a padded max pool too: windows
// that reach into the padding on every side, in ceil mode past the last row and column.
#define BOOST_TEST_MODULE separable_pool2d
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include <typenet/kernels/separable_pool2d.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/relu.hpp>

#include "../support/kernel_cases.hpp"

namespace k = typenet::kernels;
using typenet::detail::make_window;

template <long C, long H, long W, int KH, int KW, int S>
constexpr k::pool_geometry geometry{
    C, make_window(H == 1, H, W, std::array{KH, KW}, std::array{S}, std::array{1}, std::array{0}, false, true)};

template <k::pool_geometry G, class Epilogue = typenet::epilogue<>>
void compare() {
    static_assert(G.win.fault == typenet::detail::window_fault::none && k::separable::fits<G>);
    const auto in = kernel_cases::random_values<float>(std::size_t(G.channels * G.win.h.size * G.win.w.size), 7);
    const std::size_t n = std::size_t(G.channels * G.out_h() * G.out_w());
    std::vector<float> max_ref(n), max_out(n), avg_ref(n), avg_out(n);
    k::reference::max_pool2d_forward<G>(in.data(), max_ref.data(), Epilogue{});
    k::separable::pool2d_forward<G, k::separable::take_max>(in.data(), max_out.data(), Epilogue{});
    BOOST_TEST(max_out == max_ref, boost::test_tools::per_element());
    // Split between threads: two uneven ranges of output rows make the whole.
    std::fill(max_out.begin(), max_out.end(), NAN);
    const long split = G.out_h() / 3;
    k::separable::pool2d_forward<G, k::separable::take_max>(in.data(), max_out.data(), Epilogue{}, split, G.out_h());
    for (long c = 0; c < G.channels; ++c)
        for (long i = 0; i < split * G.out_w(); ++i)
            BOOST_TEST(std::isnan(max_out[std::size_t(c * G.out_h() * G.out_w() + i)]), "row outside the range written");
    k::separable::pool2d_forward<G, k::separable::take_max>(in.data(), max_out.data(), Epilogue{}, 0, split);
    BOOST_TEST(max_out == max_ref, boost::test_tools::per_element());
    k::reference::avg_pool2d_forward<G>(in.data(), avg_ref.data(), Epilogue{});
    k::separable::pool2d_forward<G, k::separable::take_mean<G.win.h.kernel * G.win.w.kernel>>(in.data(),
                                                                                              avg_out.data(), Epilogue{});
    // Means of values in [-1, 1], summed in another order than the reference.
    for (std::size_t i = 0; i < n; ++i) BOOST_TEST(std::abs(avg_out[i] - avg_ref[i]) <= 1e-6f, "output " << i);

    // Inputs rounded to -1, 0 or 1 make ties in most max windows.
    auto tied = in;
    for (auto& x : tied) x = std::round(x);
    const auto grad_out = kernel_cases::random_values<float>(n, 8);
    std::vector<float> grad_ref(in.size()), grad(in.size(), NAN);
    k::reference::max_pool2d_backward<G>(tied.data(), grad_out.data(), grad_ref.data());
    k::separable::pool2d_backward<G, k::separable::take_max>(tied.data(), grad_out.data(), grad.data());
    BOOST_TEST(grad == grad_ref, boost::test_tools::per_element());
    k::reference::avg_pool2d_backward<G>(grad_out.data(), grad_ref.data());
    std::fill(grad.begin(), grad.end(), NAN);
    k::separable::pool2d_backward<G, k::separable::take_mean<G.win.h.kernel * G.win.w.kernel>>(
        in.data(), grad_out.data(), grad.data());
    for (std::size_t i = 0; i < in.size(); ++i) BOOST_TEST(std::abs(grad[i] - grad_ref[i]) <= 1e-6f, "input " << i);
}

BOOST_AUTO_TEST_CASE(two_by_two_odd_size) { compare<geometry<3, 13, 11, 2, 2, 2>>(); }
// Windows that tile the input write every cell of the gradient without zeroing it first.
BOOST_AUTO_TEST_CASE(two_by_two_tiling) { compare<geometry<2, 12, 10, 2, 2, 2>>(); }
BOOST_AUTO_TEST_CASE(disjoint_with_gaps) { compare<geometry<2, 11, 11, 2, 2, 3>>(); }
BOOST_AUTO_TEST_CASE(three_by_three_stride_2_with_relu) {
    compare<geometry<2, 9, 12, 3, 3, 2>, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE(overlapping_stride_1) { compare<geometry<4, 7, 8, 3, 3, 1>>(); }
BOOST_AUTO_TEST_CASE(non_square_stride_3) { compare<geometry<1, 10, 17, 2, 4, 3>>(); }
// Rows of several vectors (16, 8 or 4 lanes): whole ones, a masked last one, and a last
// input column no window reads.
BOOST_AUTO_TEST_CASE(wide_rows_two_by_two) {
    compare<geometry<3, 9, 62, 2, 2, 2>>();
    compare<geometry<2, 6, 64, 2, 2, 2>, typenet::epilogue<typenet::relu>>();
    compare<geometry<2, 7, 29, 2, 2, 2>>();
}
BOOST_AUTO_TEST_CASE(wide_rows_three_by_three_stride_2) {
    compare<geometry<2, 7, 40, 3, 3, 2>, typenet::epilogue<typenet::relu>>();
}

template <long C, long H, long W, int KH, int KW, int SH, int SW, int PT, int PB, int PL, int PR, bool Ceil = false>
constexpr k::pool_geometry padded{C, make_window(false, H, W, std::array{KH, KW}, std::array{SH, SW}, std::array{1},
                                                 std::array{PT, PB, PL, PR}, false, true, Ceil)};

// A padded max pool's forward pass, exact, whole and in two uneven ranges of rows; inputs
// in whole numbers, so that windows hold ties.
template <k::pool_geometry G, class T, class Epilogue = typenet::epilogue<>>
void compare_padded_max() {
    static_assert(G.win.fault == typenet::detail::window_fault::none && !k::separable::fits<G> &&
                  k::separable::forward_fits<G, k::separable::take_max>);
    auto in = kernel_cases::random_values<T>(std::size_t(G.channels * G.win.h.size * G.win.w.size), 9);
    for (auto& x : in) x = std::round(2 * x);
    const std::size_t n = std::size_t(G.channels * G.out_h() * G.out_w());
    std::vector<T> ref(n), out(n, T(NAN));
    k::reference::max_pool2d_forward<G>(in.data(), ref.data(), Epilogue{});
    const long split = G.out_h() / 3;
    k::separable::pool2d_forward<G, k::separable::take_max>(in.data(), out.data(), Epilogue{}, split, G.out_h());
    for (long c = 0; c < G.channels; ++c)
        for (long i = 0; i < split * G.out_w(); ++i)
            BOOST_TEST(std::isnan(out[std::size_t(c * G.out_h() * G.out_w() + i)]), "row outside the range written");
    k::separable::pool2d_forward<G, k::separable::take_max>(in.data(), out.data(), Epilogue{}, 0, split);
    BOOST_TEST(out == ref, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(padded_three_by_three_stride_1) {
    // An inception block's pool branch, on rows of one and of several vectors.
    compare_padded_max<padded<3, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1>, float>();
    compare_padded_max<padded<2, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1>, float, typenet::epilogue<typenet::relu>>();
    compare_padded_max<padded<2, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1>, double>();
}
BOOST_AUTO_TEST_CASE(padded_three_by_three_stride_2) {
    // ResNet's stem (112 -> 56) and GoogLeNet's pools in ceil mode.
    compare_padded_max<padded<2, 12, 112, 3, 3, 2, 2, 1, 1, 1, 1>, float>();
    compare_padded_max<padded<2, 14, 28, 3, 3, 2, 2, 0, 0, 0, 0, true>, float>();
    compare_padded_max<padded<2, 14, 33, 3, 3, 2, 2, 1, 1, 1, 1, true>, float, typenet::epilogue<typenet::relu>>();
}
BOOST_AUTO_TEST_CASE(padded_odd_windows) {
    compare_padded_max<padded<2, 9, 17, 2, 2, 1, 1, 1, 1, 1, 1>, float>();
    compare_padded_max<padded<2, 11, 21, 5, 5, 2, 2, 2, 2, 2, 2, true>, float>();
    compare_padded_max<padded<2, 9, 31, 3, 2, 2, 1, 1, 0, 0, 1, true>, float>();
    compare_padded_max<padded<2, 20, 67, 3, 7, 2, 3, 1, 1, 3, 3, true>, float>();
    compare_padded_max<padded<2, 20, 67, 3, 7, 2, 4, 1, 1, 3, 3, true>, double>();
}
