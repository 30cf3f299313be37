// The network that load_parameters_fuzz loads files into, and make_fuzz_seeds saves: a
// convolution, a block and a dense layer, in a file of a few hundred bytes.
#pragma once

#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/input.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/layers/softmax.hpp>
#include <typenet/network.hpp>

namespace typenet::fuzzing {

template <class T>
using fuzzed_network = basic_network<T, input<1, 5, 5>, conv2d<2, kernel<3>>, relu, sequential<flatten, dense<3>>, softmax>;

}  // namespace typenet::fuzzing
