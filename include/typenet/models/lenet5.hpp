/// Defines `typenet::models::lenet5`.
#pragma once

#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/max_pool.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/network.hpp>

namespace typenet::models {

/// LeNet-5 (LeCun et al., 1998) as it is trained today, with ReLU and max pooling, on
/// 1×28×28 images; it gives 10 logits, to be scored by `softmax_cross_entropy<10>`.
///
///     typenet::models::lenet5<> model;            // float
///     typenet::models::lenet5<double> reference;  // for gradient checks
template <class T = float>
using lenet5 = basic_network<T, input<1, 28, 28>,
                             conv2d<6, kernel<5>, pad<2>>, relu, max_pool<2>,  // 6×14×14
                             conv2d<16, kernel<5>>, relu, max_pool<2>,         // 16×5×5
                             flatten,
                             dense<120>, relu,
                             dense<84>, relu,
                             dense<10>>;

}  // namespace typenet::models
