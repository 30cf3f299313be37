/// Defines `typenet::models::googlenet` and its `inception` module.
#pragma once

#include <typenet/layers/adaptive_avg_pool.hpp>
#include <typenet/layers/batch_norm2d.hpp>
#include <typenet/layers/concat.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/dropout.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/max_pool.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/network.hpp>

namespace typenet::models {

// Structs deriving from what they stand for, not aliases, so that a diagnostic names them
// as written (see resnet.hpp).

/// torchvision's `BasicConv2d`: a convolution without bias, batch norm (ε = 0.001), ReLU.
template <int Filters, int Kernel, class... Options>
struct conv_bn_relu : sequential<conv2d<Filters, kernel<Kernel>, no_bias, Options...>, batch_norm2d<eps<1, 1000>>, relu> {};

/// GoogLeNet's Inception module as torchvision builds it: four branches concatenated, a
/// 1×1 convolution, 1×1 then 3×3, 1×1 then another 3×3 (torchvision's, where the paper
/// has 5×5), and a 3×3 max pool then 1×1.
template <int C1, int C3Reduce, int C3, int C5Reduce, int C5, int PoolProjection>
struct inception : concat<conv_bn_relu<C1, 1>, sequential<conv_bn_relu<C3Reduce, 1>, conv_bn_relu<C3, 3, pad<1>>>,
                          sequential<conv_bn_relu<C5Reduce, 1>, conv_bn_relu<C5, 3, pad<1>>>,
                          sequential<max_pool<3, stride<1>, pad<1>, ceil_mode>, conv_bn_relu<PoolProjection, 1>>> {};

/// GoogLeNet (Szegedy et al., 2014) as torchvision 0.14 builds it without its auxiliary
/// classifiers (`aux_logits=False`, `transform_input=False`). Any input of at least 32×32 fits.
///
///     typenet::models::googlenet<> imagenet;             // 3×224×224, 1000 classes
///     typenet::models::googlenet<float, 10, 64> small;   // 3×64×64, 10 classes
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using googlenet = basic_network<
    T, input<3, Height, Width>, conv_bn_relu<64, 7, stride<2>, pad<3>>, max_pool<3, stride<2>, ceil_mode>,
    conv_bn_relu<64, 1>, conv_bn_relu<192, 3, pad<1>>, max_pool<3, stride<2>, ceil_mode>,
    inception<64, 96, 128, 16, 32, 32>, inception<128, 128, 192, 32, 96, 64>, max_pool<3, stride<2>, ceil_mode>,
    inception<192, 96, 208, 16, 48, 64>, inception<160, 112, 224, 24, 64, 64>, inception<128, 128, 256, 24, 64, 64>,
    inception<112, 144, 288, 32, 64, 64>, inception<256, 160, 320, 32, 128, 128>, max_pool<2, stride<2>, ceil_mode>,
    inception<256, 160, 320, 32, 128, 128>, inception<384, 192, 384, 48, 128, 128>, global_avg_pool, flatten,
    dropout<20>, dense<Classes>>;

// torchvision 0.14: sum(p.numel() for p in googlenet(aux_logits=False, init_weights=True).parameters()).
static_assert(googlenet<>::parameter_count == 6'624'904);

}  // namespace typenet::models
