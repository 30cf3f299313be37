// The typenet types of the models that tests/fixtures/make_onnx_fixtures.py exports, for
// the import test and the import fuzz target.
#pragma once

#include <type_traits>

#include <typenet/typenet.hpp>

namespace typenet::testing::onnx_fixtures {

namespace tn = typenet;

using seed_net = tn::network<tn::input<3, 64, 64>, tn::conv2d<32, tn::kernel<3>>, tn::relu, tn::max_pool<2>,
                             tn::conv2d<64, tn::kernel<3>>, tn::relu, tn::max_pool<2>, tn::flatten, tn::dense<128>,
                             tn::relu, tn::dense<10>, tn::softmax>;

// bn_chain_separate and bn_chain_folded: batch norm as its own node or folded into the
// convolution before it; grouped and depthwise convolutions, ReLU6 (Clip), ceil_mode,
// padding excluded from a mean, a dense layer without bias (MatMul) before a batch norm.
template <class T>
using bn_chain = tn::basic_network<
    T, tn::input<3, 20, 20>, tn::conv2d<12, tn::kernel<3>, tn::pad<1>, tn::no_bias>, tn::batch_norm2d<>, tn::relu,
    tn::max_pool<3, tn::stride<2>, tn::pad<1>>, tn::conv2d<12, tn::kernel<3>, tn::pad<1>, tn::groups<3>, tn::no_bias>,
    tn::batch_norm2d<>, tn::relu6, tn::conv2d<24, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::groups<12>>,
    tn::leaky_relu<1, 5>, tn::max_pool<2, tn::ceil_mode>, tn::avg_pool<3, tn::stride<1>, tn::pad<1>, tn::exclude_padding>,
    tn::global_avg_pool, tn::flatten, tn::dense<16, tn::no_bias>, tn::batch_norm1d<>, tn::tanh, tn::dropout<30>,
    tn::dense<5>, tn::sigmoid>;

// MatMul and Add nodes rather than Gemm.
using matmul_head = tn::network<tn::input<8>, tn::dense<6>, tn::relu, tn::dense<3>>;

using signal_net = tn::network<tn::input<4, 30>, tn::conv1d<8, tn::kernel<5>, tn::stride<2>, tn::pad<2>, tn::no_bias>,
                               tn::batch_norm1d<>, tn::relu, tn::max_pool<3, tn::stride<2>>, tn::flatten, tn::dense<5>>;

// branches_folded and branches_separate: residual blocks with a projection shortcut and
// with the identity (Add), and an Inception-like concat (Concat).
template <class T>
using basic_body = tn::sequential<tn::conv2d<16, tn::kernel<3>, tn::stride<T::value>, tn::pad<1>, tn::no_bias>,
                                  tn::batch_norm2d<>, tn::relu, tn::conv2d<16, tn::kernel<3>, tn::pad<1>, tn::no_bias>,
                                  tn::batch_norm2d<>>;
using branches_net = tn::network<
    tn::input<4, 12, 12>, tn::conv2d<8, tn::kernel<3>, tn::pad<1>, tn::no_bias>, tn::batch_norm2d<>, tn::relu,
    tn::residual<basic_body<std::integral_constant<int, 2>>,
                 tn::sequential<tn::conv2d<16, tn::kernel<1>, tn::stride<2>, tn::no_bias>, tn::batch_norm2d<>>>,
    tn::relu, tn::residual<basic_body<std::integral_constant<int, 1>>>, tn::relu,
    tn::concat<tn::conv2d<8, tn::kernel<1>>,
               tn::sequential<tn::conv2d<4, tn::kernel<1>>, tn::relu, tn::conv2d<8, tn::kernel<3>, tn::pad<1>>>,
               tn::sequential<tn::max_pool<3, tn::stride<1>, tn::pad<1>>, tn::conv2d<4, tn::kernel<1>>>>,
    tn::relu, tn::global_avg_pool, tn::flatten, tn::dense<7>>;

// operators_opset11 and operators_opset13: PReLU per channel and for all, a zero padding
// of its own (PyTorch computes its amounts in the graph), a dilated max pool, a transposed
// convolution, a log-softmax over the channels (between two Transposes before opset 13).
using operators_net = tn::network<tn::input<3, 10, 11>, tn::conv2d<6, tn::kernel<3>>, tn::prelu<6>, tn::zero_pad<0, 1, 1, 2>,
                                  tn::max_pool<2, tn::stride<1>, tn::dilation<2>>,
                                  tn::conv_transpose2d<4, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::output_padding<1>>,
                                  tn::prelu<>, tn::log_softmax>;

}  // namespace typenet::testing::onnx_fixtures
