/// Defines `typenet::models::mobilenet_v2` and its `inverted_residual` block.
#pragma once

#include <type_traits>

#include <typenet/layers/adaptive_avg_pool.hpp>
#include <typenet/layers/batch_norm2d.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/depthwise_conv2d.hpp>
#include <typenet/layers/dropout.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/relu6.hpp>
#include <typenet/layers/residual.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/network.hpp>

namespace typenet::models {

/// MobileNetV2's block (Sandler et al., 2018), torchvision's `InvertedResidual` from `In`
/// to `Out` channels: a 1×1 expansion to `Expand`·In channels (none when Expand is 1),
/// a 3×3 depthwise convolution with the stride, each with batch norm and ReLU6, and a
/// linear 1×1 projection with batch norm; added to the input when the shapes agree.
template <int In, int Out, int Stride, int Expand>
using inverted_residual_body = std::conditional_t<
    Expand == 1,
    sequential<depthwise_conv2d<kernel<3>, stride<Stride>, pad<1>, no_bias>, batch_norm2d<>, relu6,
               conv2d<Out, kernel<1>, no_bias>, batch_norm2d<>>,
    sequential<conv2d<In * Expand, kernel<1>, no_bias>, batch_norm2d<>, relu6,
               depthwise_conv2d<kernel<3>, stride<Stride>, pad<1>, no_bias>, batch_norm2d<>, relu6,
               conv2d<Out, kernel<1>, no_bias>, batch_norm2d<>>>;

// A struct deriving from what it stands for, not an alias, so that a diagnostic names it as
// written (see resnet.hpp).
template <int In, int Out, int Stride, int Expand>
struct inverted_residual
    : std::conditional_t<Stride == 1 && In == Out, residual<inverted_residual_body<In, Out, Stride, Expand>>,
                         inverted_residual_body<In, Out, Stride, Expand>> {};

/// MobileNetV2 as torchvision 0.14 builds it (width 1.0): 17 inverted residual blocks
/// between a 3×3 convolution with stride 2 and a 1×1 convolution to 1280 channels, then a
/// global average pool, dropout and the classifier. Any input of at least 32×32 fits.
///
///     typenet::models::mobilenet_v2<> imagenet;             // 3×224×224, 1000 classes
///     typenet::models::mobilenet_v2<float, 10, 64> small;   // 3×64×64, 10 classes
template <class T = float, int Classes = 1000, int Height = 224, int Width = Height>
using mobilenet_v2 = basic_network<
    T, input<3, Height, Width>, conv2d<32, kernel<3>, stride<2>, pad<1>, no_bias>, batch_norm2d<>, relu6,
    inverted_residual<32, 16, 1, 1>,
    inverted_residual<16, 24, 2, 6>, inverted_residual<24, 24, 1, 6>,
    inverted_residual<24, 32, 2, 6>, inverted_residual<32, 32, 1, 6>, inverted_residual<32, 32, 1, 6>,
    inverted_residual<32, 64, 2, 6>, inverted_residual<64, 64, 1, 6>, inverted_residual<64, 64, 1, 6>,
    inverted_residual<64, 64, 1, 6>,
    inverted_residual<64, 96, 1, 6>, inverted_residual<96, 96, 1, 6>, inverted_residual<96, 96, 1, 6>,
    inverted_residual<96, 160, 2, 6>, inverted_residual<160, 160, 1, 6>, inverted_residual<160, 160, 1, 6>,
    inverted_residual<160, 320, 1, 6>,
    conv2d<1280, kernel<1>, no_bias>, batch_norm2d<>, relu6, global_avg_pool, flatten, dropout<20>, dense<Classes>>;

// torchvision 0.14: sum(p.numel() for p in mobilenet_v2().parameters()).
static_assert(mobilenet_v2<>::parameter_count == 3'504'872);

}  // namespace typenet::models
