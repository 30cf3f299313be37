/// Defines `typenet::models::vgg16` and `vgg16_bn`.
#pragma once

#include <typenet/layers/adaptive_avg_pool.hpp>
#include <typenet/layers/batch_norm2d.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/dropout.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/max_pool.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/repeat.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/network.hpp>

namespace typenet::models {

/// VGG-16's convolutions (configuration D): 13 3×3 convolutions in 5 stages, each halved
/// by a 2×2 max pool, each convolution followed by `After...`.
template <class... After>
using vgg16_stages = typename detail::joined<
    repeat<2, conv2d<64, kernel<3>, pad<1>>, After...>, sequential<max_pool<2>>,
    repeat<2, conv2d<128, kernel<3>, pad<1>>, After...>, sequential<max_pool<2>>,
    repeat<3, conv2d<256, kernel<3>, pad<1>>, After...>, sequential<max_pool<2>>,
    repeat<3, conv2d<512, kernel<3>, pad<1>>, After...>, sequential<max_pool<2>>,
    repeat<3, conv2d<512, kernel<3>, pad<1>>, After...>, sequential<max_pool<2>>>::type;

// Structs deriving from what they stand for, not aliases, so that a diagnostic names them
// as written (see resnet.hpp).
/// torchvision's `vgg16().features`: each convolution followed by ReLU.
struct vgg16_features : vgg16_stages<relu> {};
/// torchvision's `vgg16_bn().features`: each convolution followed by batch norm and ReLU.
struct vgg16_bn_features : vgg16_stages<batch_norm2d<>, relu> {};

/// torchvision's VGG after the features: an adaptive average pool to 7×7, then the
/// classifier, three dense layers with ReLU and dropout giving `Classes` logits.
template <class T, int Classes, int Height, int Width, class Features>
using vgg = basic_network<T, input<3, Height, Width>, Features, adaptive_avg_pool<7>, flatten,
                          sequential<dense<4096>, relu, dropout<50>, dense<4096>, relu, dropout<50>, dense<Classes>>>;

/// VGG-16 (Simonyan and Zisserman, 2014) as torchvision 0.14 builds it: `vgg16_features`,
/// an adaptive average pool to 7×7 (so any input of at least 32×32 fits), then three dense
/// layers with ReLU and dropout, giving `Classes` logits. Its parameters are in the order
/// of torchvision's: "0.k" is `features.k`, "3.k" is `classifier.k`.
///
///     typenet::models::vgg16<> imagenet;               // 3×224×224, 1000 classes
///     typenet::models::vgg16<float, 10, 32> cifar;     // 3×32×32, 10 classes
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using vgg16 = vgg<T, Classes, Height, Width, vgg16_features>;

/// VGG-16 with batch norm after each convolution, torchvision's `vgg16_bn`.
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using vgg16_bn = vgg<T, Classes, Height, Width, vgg16_bn_features>;

// torchvision 0.14: sum(p.numel() for p in vgg16().parameters()), and vgg16_bn's.
static_assert(vgg16<>::parameter_count == 138'357'544);
static_assert(vgg16_bn<>::parameter_count == 138'365'992);

}  // namespace typenet::models
