/// Defines `typenet::models::resnet18`, `resnet34`, `resnet50` (torchvision's) and
/// `resnet20` (He et al.'s CIFAR network), with their blocks: `basic_block` and
/// `bottleneck_block`.
#pragma once

#include <type_traits>

#include <typenet/layers/adaptive_avg_pool.hpp>
#include <typenet/layers/batch_norm2d.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/identity.hpp>
#include <typenet/layers/max_pool.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/repeat.hpp>
#include <typenet/layers/residual.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/network.hpp>

namespace typenet::models {

// The blocks and stages are structs deriving from what they stand for, not aliases: the
// compiler then names them as written (`bottleneck_stage<3, 64, 1>`) in a diagnostic about
// the network, instead of their thousands of characters of layers.

/// A convolution without bias followed by batch norm: every convolution of a ResNet.
template <int Filters, int Kernel, int Stride = 1, int Pad = 0>
struct conv_bn : sequential<conv2d<Filters, kernel<Kernel>, stride<Stride>, pad<Pad>, no_bias>, batch_norm2d<>> {};

/// torchvision's `downsample`: a 1×1 convolution and batch norm that give the shortcut
/// the body's shape; `identity` where the body keeps the shape.
template <bool Project, int Filters, int Stride>
using shortcut = std::conditional_t<Project, conv_bn<Filters, 1, Stride>, identity>;

/// ResNet-18/34's block, torchvision's `BasicBlock`: two 3×3 convolutions, the first with
/// the stride, added to the input (projected when `Project`). The ReLU after the addition
/// is the next layer, so that it runs in the addition's loop.
template <int Planes, int Stride = 1, bool Project = (Stride != 1)>
struct basic_block
    : residual<sequential<conv_bn<Planes, 3, Stride, 1>, relu, conv_bn<Planes, 3, 1, 1>>, shortcut<Project, Planes, Stride>> {};

/// ResNet-50's block, torchvision's `Bottleneck` (ResNet v1.5: the stride on the 3×3):
/// 1×1 to `Planes`, 3×3, 1×1 to 4·Planes, added to the input.
template <int Planes, int Stride = 1, bool Project = true>
struct bottleneck_block
    : residual<sequential<conv_bn<Planes, 1>, relu, conv_bn<Planes, 3, Stride, 1>, relu, conv_bn<4 * Planes, 1>>,
               shortcut<Project, 4 * Planes, Stride>> {};

/// A stage of `Blocks` blocks, each followed by ReLU: the first `First` (with the stride
/// and the projection), the others `Rest`.
template <int Blocks, class First, class Rest>
using resnet_stage = typename detail::joined<sequential<First, relu>, repeat<Blocks - 1, Rest, relu>>::type;

/// torchvision's ResNet around its four stages: a 7×7 convolution with stride 2, batch
/// norm, ReLU and a 3×3 max pool with stride 2, then the stages, then a global average pool
/// and the classifier. Any input of at least 32×32 fits.
template <class T, int Classes, int Height, int Width, class... Stages>
using imagenet_resnet = basic_network<T, input<3, Height, Width>, conv_bn<64, 7, 2, 3>, relu, max_pool<3, stride<2>, pad<1>>,
                                      Stages..., global_avg_pool, flatten, dense<Classes>>;

template <int Blocks, int Planes, int Stride>
struct basic_stage : resnet_stage<Blocks, basic_block<Planes, Stride>, basic_block<Planes>> {};
template <int Blocks, int Planes, int Stride>
struct bottleneck_stage : resnet_stage<Blocks, bottleneck_block<Planes, Stride>, bottleneck_block<Planes, 1, false>> {};

/// ResNet-18 (He et al., 2015) as torchvision 0.14 builds it. Its parameters are in the
/// order of torchvision's `parameters()`, and its buffers in that of its running statistics.
///
///     typenet::models::resnet18<> imagenet;            // 3×224×224, 1000 classes
///     typenet::models::resnet18<float, 10, 64> small;  // 3×64×64, 10 classes
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using resnet18 = imagenet_resnet<T, Classes, Height, Width, basic_stage<2, 64, 1>, basic_stage<2, 128, 2>,
                                 basic_stage<2, 256, 2>, basic_stage<2, 512, 2>>;

/// ResNet-34, as resnet18 with 3, 4, 6 and 3 blocks per stage.
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using resnet34 = imagenet_resnet<T, Classes, Height, Width, basic_stage<3, 64, 1>, basic_stage<4, 128, 2>,
                                 basic_stage<6, 256, 2>, basic_stage<3, 512, 2>>;

/// ResNet-50: bottleneck blocks, 3, 4, 6 and 3 per stage.
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using resnet50 = imagenet_resnet<T, Classes, Height, Width, bottleneck_stage<3, 64, 1>, bottleneck_stage<4, 128, 2>,
                                 bottleneck_stage<6, 256, 2>, bottleneck_stage<3, 512, 2>>;

/// ResNet-20 for small images (He et al., 2015, section 4.2): a 3×3 convolution to 16
/// channels, three stages of 3 basic blocks (16, 32 and 64 channels, the last two halving
/// the size; their shortcuts projected by 1×1 convolutions), a global average pool and the
/// classifier. For CIFAR-10 (3×32×32) or Fashion-MNIST (1×28×28).
///
///     typenet::models::resnet20<float, 10, 1, 28> fashion;
template <class T = float, int Classes = 10, int Channels = 3, int Height = 32, int Width = Height>
using resnet20 = basic_network<T, input<Channels, Height, Width>, conv_bn<16, 3, 1, 1>, relu, basic_stage<3, 16, 1>,
                               basic_stage<3, 32, 2>, basic_stage<3, 64, 2>, global_avg_pool, flatten, dense<Classes>>;

// torchvision 0.14: sum(p.numel() for p in resnetN().parameters()).
static_assert(resnet18<>::parameter_count == 11'689'512);
static_assert(resnet34<>::parameter_count == 21'797'672);
static_assert(resnet50<>::parameter_count == 25'557'032);
// 0.27 M, as the paper's table 6 says.
static_assert(resnet20<>::parameter_count == 272'474);

}  // namespace typenet::models
