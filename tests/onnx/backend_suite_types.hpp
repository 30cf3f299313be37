// Written by tests/onnx/make_backend_suite_types.py: the typenet network of each CNN test
// of the ONNX backend test suite (libonnx-testdata), as examples/onnx_to_type prints it.
#pragma once

#include <typenet/typenet.hpp>

namespace typenet::testing::backend_suite {

namespace tn = typenet;

// node/test_averagepool_1d_default
using node_averagepool_1d_default = tn::network<tn::input<3, 32>,
    tn::avg_pool<2, tn::stride<1>>>;                               // #0

// node/test_averagepool_2d_ceil
using node_averagepool_2d_ceil = tn::network<tn::input<1, 4, 4>,
    tn::avg_pool<3, tn::stride<2>, tn::ceil_mode>>;               // #0

// node/test_averagepool_2d_default
using node_averagepool_2d_default = tn::network<tn::input<3, 32, 32>,
    tn::avg_pool<2, tn::stride<1>>>;                                   // #0

// node/test_averagepool_2d_pads
using node_averagepool_2d_pads = tn::network<tn::input<3, 28, 28>,
    tn::avg_pool<3, tn::stride<1>, tn::pad<2>, tn::exclude_padding>>;  // #0

// node/test_averagepool_2d_pads_count_include_pad
using node_averagepool_2d_pads_count_include_pad = tn::network<tn::input<3, 28, 28>,
    tn::avg_pool<3, tn::stride<1>, tn::pad<2>>>;                                      // #0

// node/test_averagepool_2d_precomputed_pads
using node_averagepool_2d_precomputed_pads = tn::network<tn::input<1, 5, 5>,
    tn::avg_pool<5, tn::stride<1>, tn::pad<2>, tn::exclude_padding>>;         // #0

// node/test_averagepool_2d_precomputed_pads_count_include_pad
using node_averagepool_2d_precomputed_pads_count_include_pad = tn::network<tn::input<1, 5, 5>,
    tn::avg_pool<5, tn::stride<1>, tn::pad<2>>>;                                                // #0

// node/test_averagepool_2d_precomputed_same_upper
using node_averagepool_2d_precomputed_same_upper = tn::network<tn::input<1, 5, 5>,
    tn::avg_pool<3, tn::stride<2>, tn::pad<1>, tn::exclude_padding>>;               // #0

// node/test_averagepool_2d_precomputed_strides
using node_averagepool_2d_precomputed_strides = tn::network<tn::input<1, 5, 5>,
    tn::avg_pool<2>>;                                                            // #0

// node/test_averagepool_2d_same_lower
using node_averagepool_2d_same_lower = tn::network<tn::input<3, 32, 32>,
    tn::avg_pool<2, tn::stride<1>, tn::pad<1, 0, 1, 0>, tn::exclude_padding>>;  // #0

// node/test_averagepool_2d_same_upper
using node_averagepool_2d_same_upper = tn::network<tn::input<3, 32, 32>,
    tn::avg_pool<2, tn::stride<1>, tn::pad<0, 1, 0, 1>, tn::exclude_padding>>;  // #0

// node/test_averagepool_2d_strides
using node_averagepool_2d_strides = tn::network<tn::input<3, 32, 32>,
    tn::avg_pool<5, tn::stride<3>>>;                                   // #0

// node/test_averagepool_3d_default
using node_averagepool_3d_default = tn::network<tn::input<3, 32, 32, 32>,
    tn::avg_pool3d<2, tn::stride<1>>>;                                     // #0

// node/test_basic_conv_with_padding
using node_basic_conv_with_padding = tn::network<tn::input<1, 5, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::pad<1>, tn::no_bias>>;           // #0

// node/test_basic_conv_without_padding
using node_basic_conv_without_padding = tn::network<tn::input<1, 5, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::no_bias>>;                          // #0

// node/test_batchnorm_epsilon
using node_batchnorm_epsilon = tn::network<tn::input<3, 4, 5>,
    tn::batch_norm2d<tn::eps<1, 100>>>;                         // #0

// node/test_batchnorm_epsilon_training_mode
using node_batchnorm_epsilon_training_mode = tn::network<tn::input<3, 4, 5>,
    tn::batch_norm2d<tn::eps<1, 100>>>;                                       // #0

// node/test_batchnorm_example
using node_batchnorm_example = tn::network<tn::input<3, 4, 5>,
    tn::batch_norm2d<>>;                                        // #0

// node/test_batchnorm_example_training_mode
using node_batchnorm_example_training_mode = tn::network<tn::input<3, 4, 5>,
    tn::batch_norm2d<>>;                                                      // #0

// node/test_conv_with_autopad_same
using node_conv_with_autopad_same = tn::network<tn::input<1, 5, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::no_bias>>;  // #0

// node/test_conv_with_strides_and_asymmetric_padding
using node_conv_with_strides_and_asymmetric_padding = tn::network<tn::input<1, 7, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::stride<2>, tn::pad<1, 0>, tn::no_bias>>;          // #0

// node/test_conv_with_strides_no_padding
using node_conv_with_strides_no_padding = tn::network<tn::input<1, 7, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::stride<2>, tn::no_bias>>;             // #0

// node/test_conv_with_strides_padding
using node_conv_with_strides_padding = tn::network<tn::input<1, 7, 5>,
    tn::conv2d<1, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::no_bias>>;  // #0

// node/test_convtranspose
using node_convtranspose = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::no_bias>>;   // #0

// node/test_convtranspose_autopad_same
using node_convtranspose_autopad_same = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<2>, tn::pad<0, 1, 0, 1>, tn::no_bias>>;  // #0

// node/test_convtranspose_dilations
using node_convtranspose_dilations = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<1, tn::kernel<2>, tn::dilation<2>, tn::no_bias>>;  // #0

// node/test_convtranspose_kernel_shape
using node_convtranspose_kernel_shape = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<3, 2>, tn::output_padding<1>, tn::no_bias>>;  // #0 test

// node/test_convtranspose_output_shape
using node_convtranspose_output_shape = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<3, 2>, tn::output_padding<1>, tn::no_bias>>;  // #0

// node/test_convtranspose_pad
using node_convtranspose_pad = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<3, 2>, tn::output_padding<1>, tn::no_bias>>;  // #0

// node/test_convtranspose_pads
using node_convtranspose_pads = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<3, 2>, tn::pad<1, 2>, tn::no_bias>>;  // #0

// node/test_convtranspose_with_kernel
using node_convtranspose_with_kernel = tn::network<tn::input<1, 3, 3>,
    tn::conv_transpose2d<2, tn::kernel<3>, tn::stride<3, 2>, tn::output_padding<1>, tn::no_bias>>;  // #0 test

// node/test_dropout_default
using node_dropout_default = tn::network<tn::input<4, 5>,
    tn::dropout<5, 10>>;                                   // #0

// node/test_dropout_default_mask
using node_dropout_default_mask = tn::network<tn::input<4, 5>,
    tn::dropout<5, 10>>;                                        // #0

// node/test_dropout_default_mask_ratio
using node_dropout_default_mask_ratio = tn::network<tn::input<4, 5>,
    tn::dropout<1, 10>>;                                              // #0

// node/test_dropout_default_ratio
using node_dropout_default_ratio = tn::network<tn::input<4, 5>,
    tn::dropout<1, 10>>;                                         // #0

// node/test_dropout_random_old
using node_dropout_random_old = tn::network<tn::input<4, 5>,
    tn::dropout<2, 10>>;                                      // #0

// node/test_elu
using node_elu = tn::network<tn::input<4, 5>,
    tn::elu<2, 1>>;                            // #0

// node/test_elu_default
using node_elu_default = tn::network<tn::input<4, 5>,
    tn::elu<>>;                                        // #0

// node/test_flatten_axis1
using node_flatten_axis1 = tn::network<tn::input<3, 4, 5>,
    tn::flatten>;                                           // #0

// node/test_flatten_default_axis
using node_flatten_default_axis = tn::network<tn::input<4, 3, 2>,
    tn::flatten>;                                                  // #0

// node/test_gemm_alpha
using node_gemm_alpha = tn::network<tn::input<5>,
    tn::dense<4>>;                                 // #0

// node/test_gemm_beta
using node_gemm_beta = tn::network<tn::input<7>,
    tn::dense<4>>;                                // #0

// node/test_gemm_default_no_bias
using node_gemm_default_no_bias = tn::network<tn::input<10>,
    tn::dense<3, tn::no_bias>>;                               // #0

// node/test_gemm_default_scalar_bias
using node_gemm_default_scalar_bias = tn::network<tn::input<3>,
    tn::dense<4>>;                                               // #0

// node/test_gemm_default_single_elem_vector_bias
using node_gemm_default_single_elem_vector_bias = tn::network<tn::input<7>,
    tn::dense<3>>;                                                           // #0

// node/test_gemm_default_vector_bias
using node_gemm_default_vector_bias = tn::network<tn::input<7>,
    tn::dense<4>>;                                               // #0

// node/test_gemm_default_zero_bias
using node_gemm_default_zero_bias = tn::network<tn::input<5>,
    tn::dense<4>>;                                             // #0

// node/test_gemm_transposeB
using node_gemm_transposeb = tn::network<tn::input<6>,
    tn::dense<4>>;                                      // #0

// node/test_globalaveragepool
using node_globalaveragepool = tn::network<tn::input<3, 5, 5>,
    tn::global_avg_pool>;                                       // #0

// node/test_globalaveragepool_precomputed
using node_globalaveragepool_precomputed = tn::network<tn::input<1, 3, 3>,
    tn::global_avg_pool>;                                                   // #0

// node/test_globalmaxpool
using node_globalmaxpool = tn::network<tn::input<3, 5, 5>,
    tn::global_max_pool>;                                   // #0

// node/test_globalmaxpool_precomputed
using node_globalmaxpool_precomputed = tn::network<tn::input<1, 3, 3>,
    tn::global_max_pool>;                                               // #0

// node/test_leakyrelu
using node_leakyrelu = tn::network<tn::input<4, 5>,
    tn::leaky_relu<1, 10>>;                          // #0

// node/test_leakyrelu_default
using node_leakyrelu_default = tn::network<tn::input<4, 5>,
    tn::leaky_relu<>>;                                       // #0

// node/test_logsoftmax_axis_1
using node_logsoftmax_axis_1 = tn::network<tn::input<4, 5>,
    tn::log_softmax>;                                        // #0

// node/test_logsoftmax_example_1
using node_logsoftmax_example_1 = tn::network<tn::input<3>,
    tn::log_softmax>;                                        // #0

// node/test_logsoftmax_large_number
using node_logsoftmax_large_number = tn::network<tn::input<4>,
    tn::log_softmax>;                                           // #0

// node/test_matmul_2d
using node_matmul_2d = tn::network<tn::input<4>,
    tn::dense<3, tn::no_bias>>;                   // #0

// node/test_maxpool_1d_default
using node_maxpool_1d_default = tn::network<tn::input<3, 32>,
    tn::max_pool<2, tn::stride<1>>>;                           // #0

// node/test_maxpool_2d_ceil
using node_maxpool_2d_ceil = tn::network<tn::input<1, 4, 4>,
    tn::max_pool<3, tn::stride<2>, tn::ceil_mode>>;           // #0

// node/test_maxpool_2d_default
using node_maxpool_2d_default = tn::network<tn::input<3, 32, 32>,
    tn::max_pool<2, tn::stride<1>>>;                               // #0

// node/test_maxpool_2d_dilations
using node_maxpool_2d_dilations = tn::network<tn::input<1, 4, 4>,
    tn::max_pool<2, tn::stride<1>, tn::dilation<2>>>;              // #0

// node/test_maxpool_2d_pads
using node_maxpool_2d_pads = tn::network<tn::input<3, 28, 28>,
    tn::max_pool<3, tn::stride<1>, tn::pad<2>>>;                // #0

// node/test_maxpool_2d_precomputed_pads
using node_maxpool_2d_precomputed_pads = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<5, tn::stride<1>, tn::pad<2>>>;                          // #0

// node/test_maxpool_2d_precomputed_same_upper
using node_maxpool_2d_precomputed_same_upper = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<3, tn::stride<2>, tn::pad<1>>>;                                // #0

// node/test_maxpool_2d_precomputed_strides
using node_maxpool_2d_precomputed_strides = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<2>>;                                                        // #0

// node/test_maxpool_2d_same_lower
using node_maxpool_2d_same_lower = tn::network<tn::input<3, 32, 32>,
    tn::max_pool<2, tn::stride<1>, tn::pad<1, 0, 1, 0>>>;             // #0

// node/test_maxpool_2d_same_upper
using node_maxpool_2d_same_upper = tn::network<tn::input<3, 32, 32>,
    tn::max_pool<2, tn::stride<1>, tn::pad<0, 1, 0, 1>>>;             // #0

// node/test_maxpool_2d_strides
using node_maxpool_2d_strides = tn::network<tn::input<3, 32, 32>,
    tn::max_pool<5, tn::stride<3>>>;                               // #0

// node/test_maxpool_2d_uint8
using node_maxpool_2d_uint8 = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<5, tn::stride<1>, tn::pad<2>>>;               // #0

// node/test_maxpool_3d_default
using node_maxpool_3d_default = tn::network<tn::input<3, 32, 32, 32>,
    tn::max_pool3d<2, tn::stride<1>>>;                                 // #0

// node/test_maxpool_with_argmax_2d_precomputed_pads
using node_maxpool_with_argmax_2d_precomputed_pads = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<5, tn::stride<1>, tn::pad<2>>>;                                      // #0

// node/test_maxpool_with_argmax_2d_precomputed_strides
using node_maxpool_with_argmax_2d_precomputed_strides = tn::network<tn::input<1, 5, 5>,
    tn::max_pool<2>>;                                                                    // #0

// node/test_relu
using node_relu = tn::network<tn::input<4, 5>,
    tn::relu>;                                  // #0

// node/test_sigmoid
using node_sigmoid = tn::network<tn::input<4, 5>,
    tn::sigmoid>;                                  // #0

// node/test_softmax_axis_1
using node_softmax_axis_1 = tn::network<tn::input<4, 5>,
    tn::softmax>;                                         // #0

// node/test_softmax_example
using node_softmax_example = tn::network<tn::input<3>,
    tn::softmax>;                                       // #0

// node/test_softmax_large_number
using node_softmax_large_number = tn::network<tn::input<4>,
    tn::softmax>;                                            // #0

// node/test_tanh
using node_tanh = tn::network<tn::input<4, 5>,
    tn::tanh>;                                  // #0

// pytorch-converted/test_AvgPool2d
using torch_avgpool2d = tn::network<tn::input<3, 6, 6>,
    tn::avg_pool<2>>;                                    // #0

// pytorch-converted/test_AvgPool2d_stride
using torch_avgpool2d_stride = tn::network<tn::input<3, 6, 6>,
    tn::avg_pool<2>>;                                           // #0

// pytorch-converted/test_AvgPool3d
using torch_avgpool3d = tn::network<tn::input<3, 4, 4, 4>,
    tn::avg_pool3d<2>>;                                     // #0

// pytorch-converted/test_AvgPool3d_stride
using torch_avgpool3d_stride = tn::network<tn::input<3, 5, 5, 5>,
    tn::avg_pool3d<2>>;                                            // #0

// pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input
using torch_avgpool3d_stride1_pad0_gpu_input = tn::network<tn::input<3, 4, 4, 4>,
    tn::avg_pool3d<3, tn::stride<1>>>;                                             // #0

// pytorch-converted/test_BatchNorm1d_3d_input_eval
using torch_batchnorm1d_3d_input_eval = tn::network<tn::input<5, 3>,
    tn::batch_norm1d<>>;                                              // #0

// pytorch-converted/test_BatchNorm2d_eval
using torch_batchnorm2d_eval = tn::network<tn::input<3, 6, 6>,
    tn::batch_norm2d<>>;                                        // #0

// pytorch-converted/test_BatchNorm2d_momentum_eval
using torch_batchnorm2d_momentum_eval = tn::network<tn::input<3, 6, 6>,
    tn::batch_norm2d<tn::eps<1, 1000>>>;                                 // #0

// pytorch-converted/test_BatchNorm3d_eval
using torch_batchnorm3d_eval = tn::network<tn::input<3, 4, 4, 4>,
    tn::batch_norm3d<>>;                                           // #0

// pytorch-converted/test_BatchNorm3d_momentum_eval
using torch_batchnorm3d_momentum_eval = tn::network<tn::input<3, 4, 4, 4>,
    tn::batch_norm3d<tn::eps<1, 1000>>>;                                    // #0

// pytorch-converted/test_Conv1d
using torch_conv1d = tn::network<tn::input<4, 10>,
    tn::conv1d<5, tn::kernel<3>>>;                  // #0

// pytorch-converted/test_Conv1d_dilated
using torch_conv1d_dilated = tn::network<tn::input<4, 10>,
    tn::conv1d<5, tn::kernel<3>, tn::dilation<2>>>;         // #0

// pytorch-converted/test_Conv1d_groups
using torch_conv1d_groups = tn::network<tn::input<4, 6>,
    tn::conv1d<6, tn::kernel<3>, tn::groups<2>>>;         // #0

// pytorch-converted/test_Conv1d_pad1
using torch_conv1d_pad1 = tn::network<tn::input<4, 10>,
    tn::conv1d<5, tn::kernel<3>, tn::pad<1>>>;           // #0

// pytorch-converted/test_Conv1d_pad1size1
using torch_conv1d_pad1size1 = tn::network<tn::input<4, 1>,
    tn::conv1d<4, tn::kernel<3>, tn::pad<1>>>;               // #0

// pytorch-converted/test_Conv1d_pad2
using torch_conv1d_pad2 = tn::network<tn::input<4, 10>,
    tn::conv1d<5, tn::kernel<5>, tn::pad<2>>>;           // #0

// pytorch-converted/test_Conv1d_pad2size1
using torch_conv1d_pad2size1 = tn::network<tn::input<4, 1>,
    tn::conv1d<4, tn::kernel<5>, tn::pad<2>>>;               // #0

// pytorch-converted/test_Conv1d_stride
using torch_conv1d_stride = tn::network<tn::input<4, 10>,
    tn::conv1d<5, tn::kernel<3>, tn::stride<2>>>;          // #0

// pytorch-converted/test_Conv2d
using torch_conv2d = tn::network<tn::input<3, 7, 5>,
    tn::conv2d<4, tn::kernel<3, 2>>>;                 // #0

// pytorch-converted/test_Conv2d_depthwise
using torch_conv2d_depthwise = tn::network<tn::input<4, 6, 6>,
    tn::conv2d<4, tn::kernel<3>, tn::groups<4>>>;               // #0

// pytorch-converted/test_Conv2d_depthwise_padded
using torch_conv2d_depthwise_padded = tn::network<tn::input<4, 6, 6>,
    tn::conv2d<4, tn::kernel<3>, tn::pad<1>, tn::groups<4>>>;          // #0

// pytorch-converted/test_Conv2d_depthwise_strided
using torch_conv2d_depthwise_strided = tn::network<tn::input<4, 6, 6>,
    tn::conv2d<4, tn::kernel<3>, tn::stride<2>, tn::groups<4>>>;        // #0

// pytorch-converted/test_Conv2d_depthwise_with_multiplier
using torch_conv2d_depthwise_with_multiplier = tn::network<tn::input<4, 6, 6>,
    tn::conv2d<8, tn::kernel<3>, tn::groups<4>>>;                               // #0

// pytorch-converted/test_Conv2d_dilated
using torch_conv2d_dilated = tn::network<tn::input<3, 8, 8>,
    tn::conv2d<2, tn::kernel<3>, tn::stride<2>, tn::pad<1>, tn::dilation<2>>>;  // #0

// pytorch-converted/test_Conv2d_groups
using torch_conv2d_groups = tn::network<tn::input<4, 6, 5>,
    tn::conv2d<6, tn::kernel<3, 2>, tn::groups<2>>>;         // #0

// pytorch-converted/test_Conv2d_groups_thnn
using torch_conv2d_groups_thnn = tn::network<tn::input<4, 6, 5>,
    tn::conv2d<6, tn::kernel<3, 2>, tn::groups<2>>>;              // #0

// pytorch-converted/test_Conv2d_no_bias
using torch_conv2d_no_bias = tn::network<tn::input<3, 6, 5>,
    tn::conv2d<4, tn::kernel<3, 2>, tn::no_bias>>;            // #0

// pytorch-converted/test_Conv2d_padding
using torch_conv2d_padding = tn::network<tn::input<3, 6, 6>,
    tn::conv2d<4, tn::kernel<3>, tn::stride<2>, tn::pad<1>>>;  // #0

// pytorch-converted/test_Conv2d_strided
using torch_conv2d_strided = tn::network<tn::input<3, 6, 6>,
    tn::conv2d<4, tn::kernel<3>, tn::stride<2>>>;             // #0

// pytorch-converted/test_Conv3d
using torch_conv3d = tn::network<tn::input<3, 3, 4, 5>,
    tn::conv3d<4, tn::kernel<2, 3, 4>>>;                 // #0

// pytorch-converted/test_Conv3d_dilated
using torch_conv3d_dilated = tn::network<tn::input<3, 5, 5, 5>,
    tn::conv3d<4, tn::kernel<2>, tn::dilation<2>>>;              // #0

// pytorch-converted/test_Conv3d_dilated_strided
using torch_conv3d_dilated_strided = tn::network<tn::input<3, 5, 5, 5>,
    tn::conv3d<4, tn::kernel<2>, tn::stride<2>, tn::dilation<2>>>;       // #0

// pytorch-converted/test_Conv3d_groups
using torch_conv3d_groups = tn::network<tn::input<4, 4, 5, 4>,
    tn::conv3d<6, tn::kernel<3>, tn::groups<2>>>;               // #0

// pytorch-converted/test_Conv3d_no_bias
using torch_conv3d_no_bias = tn::network<tn::input<3, 3, 4, 5>,
    tn::conv3d<4, tn::kernel<2, 3, 4>, tn::no_bias>>;            // #0

// pytorch-converted/test_Conv3d_stride
using torch_conv3d_stride = tn::network<tn::input<3, 5, 5, 5>,
    tn::conv3d<4, tn::kernel<2>, tn::stride<2>>>;               // #0

// pytorch-converted/test_Conv3d_stride_padding
using torch_conv3d_stride_padding = tn::network<tn::input<3, 5, 5, 5>,
    tn::conv3d<4, tn::kernel<2>, tn::stride<2>, tn::pad<1>>>;           // #0

// pytorch-converted/test_ConvTranspose2d
using torch_convtranspose2d = tn::network<tn::input<3, 7, 6>,
    tn::conv_transpose2d<4, tn::kernel<3>, tn::stride<3, 2>, tn::pad<1>, tn::output_padding<1>>>;  // #0

// pytorch-converted/test_ConvTranspose2d_no_bias
using torch_convtranspose2d_no_bias = tn::network<tn::input<3, 6, 7>,
    tn::conv_transpose2d<4, tn::kernel<3>, tn::stride<2, 3>, tn::pad<1>, tn::output_padding<1>, tn::no_bias>>;  // #0

// pytorch-converted/test_ELU
using torch_elu = tn::network<tn::input<2, 5>,
    tn::elu<2, 1>>;                             // #0

// pytorch-converted/test_LeakyReLU
using torch_leakyrelu = tn::network<tn::input<2, 5>,
    tn::leaky_relu<>>;                                // #0

// pytorch-converted/test_LeakyReLU_with_negval
using torch_leakyrelu_with_negval = tn::network<tn::input<2, 5>,
    tn::leaky_relu<5, 10>>;                                       // #0

// pytorch-converted/test_Linear
using torch_linear = tn::network<tn::input<10>,
    tn::dense<8>>;                               // #0

// pytorch-converted/test_Linear_no_bias
using torch_linear_no_bias = tn::network<tn::input<10>,
    tn::dense<8, tn::no_bias>>;                          // #1

// pytorch-converted/test_LogSoftmax
using torch_logsoftmax = tn::network<tn::input<20>,
    tn::log_softmax>;                                // #0

// pytorch-converted/test_MaxPool1d
using torch_maxpool1d = tn::network<tn::input<10, 4>,
    tn::max_pool<4>>;                                  // #0

// pytorch-converted/test_MaxPool1d_stride
using torch_maxpool1d_stride = tn::network<tn::input<10, 4>,
    tn::max_pool<4>>;                                         // #0

// pytorch-converted/test_MaxPool1d_stride_padding_dilation
using torch_maxpool1d_stride_padding_dilation = tn::network<tn::input<1, 220000>,
    tn::max_pool<200, tn::stride<10>, tn::pad<100>, tn::dilation<10>>>;            // #0

// pytorch-converted/test_MaxPool2d
using torch_maxpool2d = tn::network<tn::input<3, 7, 7>,
    tn::max_pool<3, tn::stride<2>, tn::pad<1>>>;         // #0

// pytorch-converted/test_MaxPool2d_stride_padding_dilation
using torch_maxpool2d_stride_padding_dilation = tn::network<tn::input<1, 1000, 1000>,
    tn::max_pool<60, tn::width<80>, tn::stride<10>, tn::pad<10, 20>, tn::dilation<10>>>;  // #0

// pytorch-converted/test_MaxPool3d
using torch_maxpool3d = tn::network<tn::input<3, 5, 5, 5>,
    tn::max_pool3d<2>>;                                     // #0

// pytorch-converted/test_MaxPool3d_stride
using torch_maxpool3d_stride = tn::network<tn::input<3, 5, 5, 5>,
    tn::max_pool3d<2>>;                                            // #0

// pytorch-converted/test_MaxPool3d_stride_padding
using torch_maxpool3d_stride_padding = tn::network<tn::input<3, 5, 5, 5>,
    tn::max_pool3d<2, tn::pad<1>>>;                                        // #0

// pytorch-converted/test_PReLU_1d
using torch_prelu_1d = tn::network<tn::input<3, 4>,
    tn::prelu<>>;                                    // #0

// pytorch-converted/test_PReLU_1d_multiparam
using torch_prelu_1d_multiparam = tn::network<tn::input<3, 4>,
    tn::prelu<3>>;                                              // #0

// pytorch-converted/test_PReLU_2d
using torch_prelu_2d = tn::network<tn::input<3, 4, 5>,
    tn::prelu<>>;                                       // #0

// pytorch-converted/test_PReLU_2d_multiparam
using torch_prelu_2d_multiparam = tn::network<tn::input<3, 4, 5>,
    tn::prelu<3>>;                                                 // #0

// pytorch-converted/test_PReLU_3d
using torch_prelu_3d = tn::network<tn::input<3, 4, 5, 6>,
    tn::prelu<>>;                                          // #0

// pytorch-converted/test_PReLU_3d_multiparam
using torch_prelu_3d_multiparam = tn::network<tn::input<3, 4, 5, 6>,
    tn::prelu<3>>;                                                    // #0

// pytorch-converted/test_ReLU
using torch_relu = tn::network<tn::input<3, 4, 5>,
    tn::relu>;                                      // #0

// pytorch-converted/test_Sigmoid
using torch_sigmoid = tn::network<tn::input<3, 4, 5>,
    tn::sigmoid>;                                      // #0

// pytorch-converted/test_Softmax
using torch_softmax = tn::network<tn::input<20>,
    tn::softmax>;                                 // #0

// pytorch-converted/test_Tanh
using torch_tanh = tn::network<tn::input<3, 4, 5>,
    tn::tanh>;                                      // #0

// pytorch-converted/test_ZeroPad2d
using torch_zeropad2d = tn::network<tn::input<3, 4, 4>,
    tn::zero_pad<3, 4, 1, 2>>;                           // #0

// pytorch-converted/test_log_softmax_lastdim
using torch_log_softmax_lastdim = tn::network<tn::input<128>,
    tn::log_softmax>;                                          // #0

// pytorch-converted/test_softmax_lastdim
using torch_softmax_lastdim = tn::network<tn::input<128>,
    tn::softmax>;                                          // #0

// Each test as a case: its folder under the suite, and its network.
#define TYPENET_BACKEND_SUITE_CASES(CASE) \
    CASE("node/test_averagepool_1d_default", node_averagepool_1d_default) \
    CASE("node/test_averagepool_2d_ceil", node_averagepool_2d_ceil) \
    CASE("node/test_averagepool_2d_default", node_averagepool_2d_default) \
    CASE("node/test_averagepool_2d_pads", node_averagepool_2d_pads) \
    CASE("node/test_averagepool_2d_pads_count_include_pad", node_averagepool_2d_pads_count_include_pad) \
    CASE("node/test_averagepool_2d_precomputed_pads", node_averagepool_2d_precomputed_pads) \
    CASE("node/test_averagepool_2d_precomputed_pads_count_include_pad", node_averagepool_2d_precomputed_pads_count_include_pad) \
    CASE("node/test_averagepool_2d_precomputed_same_upper", node_averagepool_2d_precomputed_same_upper) \
    CASE("node/test_averagepool_2d_precomputed_strides", node_averagepool_2d_precomputed_strides) \
    CASE("node/test_averagepool_2d_same_lower", node_averagepool_2d_same_lower) \
    CASE("node/test_averagepool_2d_same_upper", node_averagepool_2d_same_upper) \
    CASE("node/test_averagepool_2d_strides", node_averagepool_2d_strides) \
    CASE("node/test_averagepool_3d_default", node_averagepool_3d_default) \
    CASE("node/test_basic_conv_with_padding", node_basic_conv_with_padding) \
    CASE("node/test_basic_conv_without_padding", node_basic_conv_without_padding) \
    CASE("node/test_batchnorm_epsilon", node_batchnorm_epsilon) \
    CASE("node/test_batchnorm_epsilon_training_mode", node_batchnorm_epsilon_training_mode) \
    CASE("node/test_batchnorm_example", node_batchnorm_example) \
    CASE("node/test_batchnorm_example_training_mode", node_batchnorm_example_training_mode) \
    CASE("node/test_conv_with_autopad_same", node_conv_with_autopad_same) \
    CASE("node/test_conv_with_strides_and_asymmetric_padding", node_conv_with_strides_and_asymmetric_padding) \
    CASE("node/test_conv_with_strides_no_padding", node_conv_with_strides_no_padding) \
    CASE("node/test_conv_with_strides_padding", node_conv_with_strides_padding) \
    CASE("node/test_convtranspose", node_convtranspose) \
    CASE("node/test_convtranspose_autopad_same", node_convtranspose_autopad_same) \
    CASE("node/test_convtranspose_dilations", node_convtranspose_dilations) \
    CASE("node/test_convtranspose_kernel_shape", node_convtranspose_kernel_shape) \
    CASE("node/test_convtranspose_output_shape", node_convtranspose_output_shape) \
    CASE("node/test_convtranspose_pad", node_convtranspose_pad) \
    CASE("node/test_convtranspose_pads", node_convtranspose_pads) \
    CASE("node/test_convtranspose_with_kernel", node_convtranspose_with_kernel) \
    CASE("node/test_dropout_default", node_dropout_default) \
    CASE("node/test_dropout_default_mask", node_dropout_default_mask) \
    CASE("node/test_dropout_default_mask_ratio", node_dropout_default_mask_ratio) \
    CASE("node/test_dropout_default_ratio", node_dropout_default_ratio) \
    CASE("node/test_dropout_random_old", node_dropout_random_old) \
    CASE("node/test_elu", node_elu) \
    CASE("node/test_elu_default", node_elu_default) \
    CASE("node/test_flatten_axis1", node_flatten_axis1) \
    CASE("node/test_flatten_default_axis", node_flatten_default_axis) \
    CASE("node/test_gemm_alpha", node_gemm_alpha) \
    CASE("node/test_gemm_beta", node_gemm_beta) \
    CASE("node/test_gemm_default_no_bias", node_gemm_default_no_bias) \
    CASE("node/test_gemm_default_scalar_bias", node_gemm_default_scalar_bias) \
    CASE("node/test_gemm_default_single_elem_vector_bias", node_gemm_default_single_elem_vector_bias) \
    CASE("node/test_gemm_default_vector_bias", node_gemm_default_vector_bias) \
    CASE("node/test_gemm_default_zero_bias", node_gemm_default_zero_bias) \
    CASE("node/test_gemm_transposeB", node_gemm_transposeb) \
    CASE("node/test_globalaveragepool", node_globalaveragepool) \
    CASE("node/test_globalaveragepool_precomputed", node_globalaveragepool_precomputed) \
    CASE("node/test_globalmaxpool", node_globalmaxpool) \
    CASE("node/test_globalmaxpool_precomputed", node_globalmaxpool_precomputed) \
    CASE("node/test_leakyrelu", node_leakyrelu) \
    CASE("node/test_leakyrelu_default", node_leakyrelu_default) \
    CASE("node/test_logsoftmax_axis_1", node_logsoftmax_axis_1) \
    CASE("node/test_logsoftmax_example_1", node_logsoftmax_example_1) \
    CASE("node/test_logsoftmax_large_number", node_logsoftmax_large_number) \
    CASE("node/test_matmul_2d", node_matmul_2d) \
    CASE("node/test_maxpool_1d_default", node_maxpool_1d_default) \
    CASE("node/test_maxpool_2d_ceil", node_maxpool_2d_ceil) \
    CASE("node/test_maxpool_2d_default", node_maxpool_2d_default) \
    CASE("node/test_maxpool_2d_dilations", node_maxpool_2d_dilations) \
    CASE("node/test_maxpool_2d_pads", node_maxpool_2d_pads) \
    CASE("node/test_maxpool_2d_precomputed_pads", node_maxpool_2d_precomputed_pads) \
    CASE("node/test_maxpool_2d_precomputed_same_upper", node_maxpool_2d_precomputed_same_upper) \
    CASE("node/test_maxpool_2d_precomputed_strides", node_maxpool_2d_precomputed_strides) \
    CASE("node/test_maxpool_2d_same_lower", node_maxpool_2d_same_lower) \
    CASE("node/test_maxpool_2d_same_upper", node_maxpool_2d_same_upper) \
    CASE("node/test_maxpool_2d_strides", node_maxpool_2d_strides) \
    CASE("node/test_maxpool_2d_uint8", node_maxpool_2d_uint8) \
    CASE("node/test_maxpool_3d_default", node_maxpool_3d_default) \
    CASE("node/test_maxpool_with_argmax_2d_precomputed_pads", node_maxpool_with_argmax_2d_precomputed_pads) \
    CASE("node/test_maxpool_with_argmax_2d_precomputed_strides", node_maxpool_with_argmax_2d_precomputed_strides) \
    CASE("node/test_relu", node_relu) \
    CASE("node/test_sigmoid", node_sigmoid) \
    CASE("node/test_softmax_axis_1", node_softmax_axis_1) \
    CASE("node/test_softmax_example", node_softmax_example) \
    CASE("node/test_softmax_large_number", node_softmax_large_number) \
    CASE("node/test_tanh", node_tanh) \
    CASE("pytorch-converted/test_AvgPool2d", torch_avgpool2d) \
    CASE("pytorch-converted/test_AvgPool2d_stride", torch_avgpool2d_stride) \
    CASE("pytorch-converted/test_AvgPool3d", torch_avgpool3d) \
    CASE("pytorch-converted/test_AvgPool3d_stride", torch_avgpool3d_stride) \
    CASE("pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input", torch_avgpool3d_stride1_pad0_gpu_input) \
    CASE("pytorch-converted/test_BatchNorm1d_3d_input_eval", torch_batchnorm1d_3d_input_eval) \
    CASE("pytorch-converted/test_BatchNorm2d_eval", torch_batchnorm2d_eval) \
    CASE("pytorch-converted/test_BatchNorm2d_momentum_eval", torch_batchnorm2d_momentum_eval) \
    CASE("pytorch-converted/test_BatchNorm3d_eval", torch_batchnorm3d_eval) \
    CASE("pytorch-converted/test_BatchNorm3d_momentum_eval", torch_batchnorm3d_momentum_eval) \
    CASE("pytorch-converted/test_Conv1d", torch_conv1d) \
    CASE("pytorch-converted/test_Conv1d_dilated", torch_conv1d_dilated) \
    CASE("pytorch-converted/test_Conv1d_groups", torch_conv1d_groups) \
    CASE("pytorch-converted/test_Conv1d_pad1", torch_conv1d_pad1) \
    CASE("pytorch-converted/test_Conv1d_pad1size1", torch_conv1d_pad1size1) \
    CASE("pytorch-converted/test_Conv1d_pad2", torch_conv1d_pad2) \
    CASE("pytorch-converted/test_Conv1d_pad2size1", torch_conv1d_pad2size1) \
    CASE("pytorch-converted/test_Conv1d_stride", torch_conv1d_stride) \
    CASE("pytorch-converted/test_Conv2d", torch_conv2d) \
    CASE("pytorch-converted/test_Conv2d_depthwise", torch_conv2d_depthwise) \
    CASE("pytorch-converted/test_Conv2d_depthwise_padded", torch_conv2d_depthwise_padded) \
    CASE("pytorch-converted/test_Conv2d_depthwise_strided", torch_conv2d_depthwise_strided) \
    CASE("pytorch-converted/test_Conv2d_depthwise_with_multiplier", torch_conv2d_depthwise_with_multiplier) \
    CASE("pytorch-converted/test_Conv2d_dilated", torch_conv2d_dilated) \
    CASE("pytorch-converted/test_Conv2d_groups", torch_conv2d_groups) \
    CASE("pytorch-converted/test_Conv2d_groups_thnn", torch_conv2d_groups_thnn) \
    CASE("pytorch-converted/test_Conv2d_no_bias", torch_conv2d_no_bias) \
    CASE("pytorch-converted/test_Conv2d_padding", torch_conv2d_padding) \
    CASE("pytorch-converted/test_Conv2d_strided", torch_conv2d_strided) \
    CASE("pytorch-converted/test_Conv3d", torch_conv3d) \
    CASE("pytorch-converted/test_Conv3d_dilated", torch_conv3d_dilated) \
    CASE("pytorch-converted/test_Conv3d_dilated_strided", torch_conv3d_dilated_strided) \
    CASE("pytorch-converted/test_Conv3d_groups", torch_conv3d_groups) \
    CASE("pytorch-converted/test_Conv3d_no_bias", torch_conv3d_no_bias) \
    CASE("pytorch-converted/test_Conv3d_stride", torch_conv3d_stride) \
    CASE("pytorch-converted/test_Conv3d_stride_padding", torch_conv3d_stride_padding) \
    CASE("pytorch-converted/test_ConvTranspose2d", torch_convtranspose2d) \
    CASE("pytorch-converted/test_ConvTranspose2d_no_bias", torch_convtranspose2d_no_bias) \
    CASE("pytorch-converted/test_ELU", torch_elu) \
    CASE("pytorch-converted/test_LeakyReLU", torch_leakyrelu) \
    CASE("pytorch-converted/test_LeakyReLU_with_negval", torch_leakyrelu_with_negval) \
    CASE("pytorch-converted/test_Linear", torch_linear) \
    CASE("pytorch-converted/test_Linear_no_bias", torch_linear_no_bias) \
    CASE("pytorch-converted/test_LogSoftmax", torch_logsoftmax) \
    CASE("pytorch-converted/test_MaxPool1d", torch_maxpool1d) \
    CASE("pytorch-converted/test_MaxPool1d_stride", torch_maxpool1d_stride) \
    CASE("pytorch-converted/test_MaxPool1d_stride_padding_dilation", torch_maxpool1d_stride_padding_dilation) \
    CASE("pytorch-converted/test_MaxPool2d", torch_maxpool2d) \
    CASE("pytorch-converted/test_MaxPool2d_stride_padding_dilation", torch_maxpool2d_stride_padding_dilation) \
    CASE("pytorch-converted/test_MaxPool3d", torch_maxpool3d) \
    CASE("pytorch-converted/test_MaxPool3d_stride", torch_maxpool3d_stride) \
    CASE("pytorch-converted/test_MaxPool3d_stride_padding", torch_maxpool3d_stride_padding) \
    CASE("pytorch-converted/test_PReLU_1d", torch_prelu_1d) \
    CASE("pytorch-converted/test_PReLU_1d_multiparam", torch_prelu_1d_multiparam) \
    CASE("pytorch-converted/test_PReLU_2d", torch_prelu_2d) \
    CASE("pytorch-converted/test_PReLU_2d_multiparam", torch_prelu_2d_multiparam) \
    CASE("pytorch-converted/test_PReLU_3d", torch_prelu_3d) \
    CASE("pytorch-converted/test_PReLU_3d_multiparam", torch_prelu_3d_multiparam) \
    CASE("pytorch-converted/test_ReLU", torch_relu) \
    CASE("pytorch-converted/test_Sigmoid", torch_sigmoid) \
    CASE("pytorch-converted/test_Softmax", torch_softmax) \
    CASE("pytorch-converted/test_Tanh", torch_tanh) \
    CASE("pytorch-converted/test_ZeroPad2d", torch_zeropad2d) \
    CASE("pytorch-converted/test_log_softmax_lastdim", torch_log_softmax_lastdim) \
    CASE("pytorch-converted/test_softmax_lastdim", torch_softmax_lastdim)

// The suite's CNN tests onnx_to_type finds no typenet network for, and why:
//   node/test_add: node #0 "" (Add): typenet has no layer for the ONNX operator Add
//   node/test_add_bcast: node #0 "" (Add): typenet has no layer for the ONNX operator Add
//   node/test_add_uint8: node #0 "" (Add): typenet has no layer for the ONNX operator Add
//   node/test_basic_convinteger: node #0 "" (ConvInteger): typenet has no layer for the ONNX operator ConvInteger
//   node/test_concat_1d_axis_0: the graph's input "value0" has no shape of (batch, ...)
//   node/test_concat_1d_axis_negative_1: the graph's input "value0" has no shape of (batch, ...)
//   node/test_concat_2d_axis_0: node #0 "" (Concat: axis=0): typenet has no layer for the ONNX operator Concat
//   node/test_concat_2d_axis_1: node #0 "" (Concat: axis=1): typenet has no layer for the ONNX operator Concat
//   node/test_concat_2d_axis_negative_1: node #0 "" (Concat: axis=-1): typenet has no layer for the ONNX operator Concat
//   node/test_concat_2d_axis_negative_2: node #0 "" (Concat: axis=-2): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_0: node #0 "" (Concat: axis=0): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_1: node #0 "" (Concat: axis=1): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_2: node #0 "" (Concat: axis=2): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_negative_1: node #0 "" (Concat: axis=-1): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_negative_2: node #0 "" (Concat: axis=-2): typenet has no layer for the ONNX operator Concat
//   node/test_concat_3d_axis_negative_3: node #0 "" (Concat: axis=-3): typenet has no layer for the ONNX operator Concat
//   node/test_convinteger_with_padding: node #0 "" (ConvInteger: pads=[1,1,1,1]): typenet has no layer for the ONNX operator ConvInteger
//   node/test_convinteger_without_padding: node #0 "" (ConvInteger): typenet has no layer for the ONNX operator ConvInteger
//   node/test_convtranspose_1d: node #0 "" (ConvTranspose): typenet's transposed convolution takes images (N, C, H, W)
//   node/test_convtranspose_3d: node #0 "" (ConvTranspose): typenet's transposed convolution takes images (N, C, H, W)
//   node/test_dropout_default_old: the graph's input "x" has no shape of (batch, ...)
//   node/test_elu_example: the graph's input "x" has no shape of (batch, ...)
//   node/test_flatten_axis0: node #0 "" (Flatten: axis=0): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_axis2: node #0 "" (Flatten: axis=2): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_axis3: node #0 "" (Flatten: axis=3): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_negative_axis1: node #0 "" (Flatten: axis=-1): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_negative_axis2: node #0 "" (Flatten: axis=-2): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_negative_axis3: node #0 "" (Flatten: axis=-3): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_flatten_negative_axis4: node #0 "" (Flatten: axis=-4): typenet's flatten keeps the batch axis alone (axis=1)
//   node/test_gemm_all_attributes: node #0 "" (Gemm: alpha=0.25, beta=0.35, transA=1, transB=1): with transA=1 the batch is its input's second axis: no network of one sample's layers computes it
//   node/test_gemm_default_matrix_bias: node #0 "" (Gemm): its bias has a row for each sample of the batch: a layer adds one value per output
//   node/test_gemm_transposeA: node #0 "" (Gemm: transA=1): with transA=1 the batch is its input's second axis: no network of one sample's layers computes it
//   node/test_leakyrelu_example: the graph's input "x" has no shape of (batch, ...)
//   node/test_logsoftmax_axis_0: node #0 "" (LogSoftmax: axis=0): typenet's log_softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_logsoftmax_axis_2: node #0 "" (LogSoftmax: axis=2): typenet's log_softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_logsoftmax_default_axis: node #0 "" (LogSoftmax): typenet's log_softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_logsoftmax_negative_axis: node #0 "" (LogSoftmax: axis=-1): typenet's log_softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_matmul_3d: node #0 "" (MatMul): its weight is no matrix
//   node/test_matmul_4d: node #0 "" (MatMul): its weight is no matrix
//   node/test_matmulinteger: node #0 "" (MatMulInteger): typenet has no layer for the ONNX operator MatMulInteger
//   node/test_prelu_broadcast: node #0 "" (PRelu): typenet's prelu has one slope, or one per channel
//   node/test_prelu_example: node #0 "" (PRelu): typenet's prelu has one slope, or one per channel
//   node/test_sigmoid_example: the graph's input "x" has no shape of (batch, ...)
//   node/test_softmax_axis_0: node #0 "" (Softmax: axis=0): typenet's softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_softmax_axis_2: node #0 "" (Softmax: axis=2): typenet's softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_softmax_default_axis: node #0 "" (Softmax): typenet's softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_softmax_negative_axis: node #0 "" (Softmax: axis=-1): typenet's softmax is over the channels (axis 1) alone; in opset 13 this one is not
//   node/test_tanh_example: the graph's input "x" has no shape of (batch, ...)
//   pytorch-converted/test_AvgPool1d: node #0 "" (Unsqueeze: axes=[3]): typenet has no layer for the ONNX operator Unsqueeze
//   pytorch-converted/test_AvgPool1d_stride: node #0 "" (Unsqueeze: axes=[3]): typenet has no layer for the ONNX operator Unsqueeze
//   pytorch-converted/test_ConstantPad2d: node #0 "" (Pad: mode=constant, pads=[0,0,3,1,0,0,4,2], value=2): typenet pads signals and images with zeros on the spatial axes only
//   pytorch-converted/test_log_softmax_dim3: node #0 "" (LogSoftmax: axis=3): typenet's log_softmax is over the channels (axis 1) alone; in opset 6 this one is not
//   pytorch-converted/test_softmax_functional_dim3: node #0 "" (Softmax: axis=3): typenet's softmax is over the channels (axis 1) alone; in opset 6 this one is not

}  // namespace typenet::testing::backend_suite
