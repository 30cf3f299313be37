/// Defines the loops of batch norm's training pass over one channel of one sample (a run
/// of values): `sum`, `squared_deviations`, `normalize`, `gradient_sums` and
/// `input_gradient`. float runs them in explicit vectors, double in plain loops; sums
/// come back in double. Tested against the plain loops (tests/kernels/batch_norm_test.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <typenet/kernels/simd.hpp>
#include <typenet/kernels/unroll.hpp>

namespace typenet::kernels::batch_norm {

// float runs in vectors a run of at least one vector; double, and shorter runs (a batch
// norm after a dense layer has one value per channel), the plain loops.
template <class T>
inline constexpr bool vectors = std::is_same_v<T, float>;

namespace detail {

// Four independent chains of vectors hide the latency of the additions.
inline constexpr long chains = 4;

// The sum over a run of n values, `term(acc, i, count)` adding those from i on (`count`
// lanes, the others adding 0) to acc: float vectors in four chains, added into a double
// every `chunk` values, so that no lane sums more than 16 terms (the sums keep about the
// digits of the double loops).
template <class V, class Term>
double vector_sum(std::size_t n, Term&& term) {
    constexpr std::size_t lanes = V::lanes, step = chains * lanes, chunk = 64 * lanes;
    double total = 0;
    for (std::size_t first = 0; first < n; first += chunk) {
        const std::size_t last = std::min(n, first + chunk);
        V acc[chains] = {V::zero(), V::zero(), V::zero(), V::zero()};
        std::size_t i = first;
        for (; i + step <= last; i += step) unroll<chains>([&](auto c) { acc[c] = term(acc[c], i + c * lanes, lanes); });
        for (; i < last; i += lanes) acc[0] = term(acc[0], i, std::min(lanes, last - i));
        total += double(((acc[0] + acc[1]) + (acc[2] + acc[3])).sum());
    }
    return total;
}

template <class V>
V product(V a, V b) {
    return fma(a, b, V::zero());
}

// The first `count` lanes from p, the others `fill`.
template <class V>
V load_or(const float* p, std::size_t count, V fill) {
    return count == V::lanes ? V::load(p) : V::load(p, V::lanes_between(0, long(count)), fill);
}

}  // namespace detail

/// Σ x[i], i < n.
template <class T>
double sum(const T* x, std::size_t n) {
    using V = simd::native;
    if constexpr (vectors<T>)
        if (n >= V::lanes)
            return detail::vector_sum<V>(n, [&](V acc, std::size_t i, std::size_t count) {
                return acc + V::load_first(x + i, count);
            });
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += double(x[i]);
    return s;
}

/// Σ (x[i] - mean)², i < n: the variance's sum, taken around the mean (E[x²] - E[x]²
/// would lose the digits that matter in float).
template <class T>
double squared_deviations(const T* x, std::size_t n, double mean) {
    using V = simd::native;
    if constexpr (vectors<T>)
        if (n >= V::lanes) {
            const V m = V::broadcast(float(mean));
            return detail::vector_sum<V>(n, [&](V acc, std::size_t i, std::size_t count) {
                const V d = detail::load_or(x + i, count, m) - m;  // 0 in the lanes past the end
                return fma(d, d, acc);
            });
        }
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = double(x[i]) - mean;
        s += d * d;
    }
    return s;
}

/// out[i] = finish((in[i] - mean) · inverse_std · weight + bias) for i < n, `finish` an
/// epilogue (or adding_epilogue) of the store at out + i.
template <class T, class Finish>
void normalize(const T* in, T* out, std::size_t n, T mean, T inverse_std, T weight, T bias, const Finish& finish) {
    using V = simd::native;
    if constexpr (vectors<T>)
        if (n >= V::lanes) {
            const V m = V::broadcast(mean), s = V::broadcast(inverse_std * weight), b = V::broadcast(bias);
            for (std::size_t i = 0; i < n; i += V::lanes) {
                const std::size_t count = std::min(V::lanes, n - i);
                const V y = fma(V::load_first(in + i, count) - m, s, b);
                V::store_first(out + i, simd::finished(finish, y, out + i, count), count);
            }
            return;
        }
    for (std::size_t i = 0; i < n; ++i) out[i] = finish.finish((in[i] - mean) * inverse_std * weight + bias, out + i);
}

/// Adds Σ dy[i] to `dy_sum` and Σ dy[i] · x̂[i] to `dy_xhat_sum`, x̂ = (x - mean) · inverse_std.
template <class T>
void gradient_sums(const T* dy, const T* x, std::size_t n, T mean, T inverse_std, double& dy_sum,
                   double& dy_xhat_sum) {
    using V = simd::native;
    if constexpr (vectors<T>)
        if (n >= V::lanes) {
            const V m = V::broadcast(mean), s = V::broadcast(inverse_std);
            dy_sum += detail::vector_sum<V>(n, [&](V acc, std::size_t i, std::size_t count) {
                return acc + V::load_first(dy + i, count);
            });
            dy_xhat_sum += detail::vector_sum<V>(n, [&](V acc, std::size_t i, std::size_t count) {
                const V xhat = detail::product(V::load_first(x + i, count) - m, s);
                return fma(V::load_first(dy + i, count), xhat, acc);  // dy is 0 past the end
            });
            return;
        }
    for (std::size_t i = 0; i < n; ++i) {
        const double xhat = double((x[i] - mean) * inverse_std);
        dy_sum += double(dy[i]);
        dy_xhat_sum += double(dy[i]) * xhat;
    }
}

/// grad_in[i] = factor · (dy[i] - mean_dy - x̂[i] · mean_dy_xhat), i < n, x̂ as above.
template <class T>
void input_gradient(const T* dy, const T* x, T* grad_in, std::size_t n, T mean, T inverse_std, T factor, T mean_dy,
                    T mean_dy_xhat) {
    using V = simd::native;
    if constexpr (vectors<T>)
        if (n >= V::lanes) {
            const V m = V::broadcast(mean), s = V::broadcast(inverse_std), f = V::broadcast(factor),
                    md = V::broadcast(mean_dy), mx = V::broadcast(mean_dy_xhat);
            for (std::size_t i = 0; i < n; i += V::lanes) {
                const std::size_t count = std::min(V::lanes, n - i);
                const V xhat = detail::product(V::load_first(x + i, count) - m, s);
                const V centered = V::load_first(dy + i, count) - md - detail::product(xhat, mx);
                V::store_first(grad_in + i, detail::product(f, centered), count);
            }
            return;
        }
    for (std::size_t i = 0; i < n; ++i) {
        const T xhat = (x[i] - mean) * inverse_std;
        grad_in[i] = factor * (dy[i] - mean_dy - xhat * mean_dy_xhat);
    }
}

}  // namespace typenet::kernels::batch_norm
