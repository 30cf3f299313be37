// Compile-fail case: ResNet-50 whose last stage starts with a block that halves the image
// without projecting its shortcut, 170 layers in. The error names the block by the name
// written (a model's blocks and stages are structs, not aliases), and the diagnostic stays
// about as long as that of a mistake in LeNet-5, not thousands of characters of layers.
// tests/compile_fail/check.py compiles it as is (the control: it must compile), then with
// TYPENET_COMPILE_FAIL: it must fail with exactly one error, on whose line these match
// expect-error-line: a layer of this network does not fit its input|a_layer_of_this_network_does_not_fit_its_input
// expect-error-line: invalid_layer<typenet::layer<6, 0>, typenet::models::bottleneck_block<512, 2, false>, typenet::got<typenet::shape<1024, 14, 14> ?>, typenet::because<typenet::shortcut_output_differs_from_body_output<typenet::body_output<typenet::shape<2048, 7, 7> ?>, typenet::shortcut_output<typenet::shape<1024, 14, 14> ?> ?> ?> ?>
// (Without the include chains, which differ by how the headers were reached: 1,727 bytes
// against 1,352 for LeNet-5 when this bound was last set.)
// expect-length-at-most: 1.3 lenet5_kernel_larger_than_input.cpp
#include <cstddef>

#include <typenet/models/resnet.hpp>

using namespace typenet;
using namespace typenet::models;

#ifdef TYPENET_COMPILE_FAIL
// Wrong: the first block of the stage halves the image, its shortcut is the identity.
using last_stage = sequential<bottleneck_block<512, 2, false>, relu, bottleneck_block<512, 1, false>, relu,
                              bottleneck_block<512, 1, false>, relu>;
#else
// The control: torchvision's, a projection shortcut with stride 2.
using last_stage = sequential<bottleneck_block<512, 2, true>, relu, bottleneck_block<512, 1, false>, relu,
                              bottleneck_block<512, 1, false>, relu>;
#endif
using net = imagenet_resnet<float, 1000, 224, 224, bottleneck_stage<3, 64, 1>, bottleneck_stage<4, 128, 2>,
                            bottleneck_stage<6, 256, 2>, last_stage>;

// Instantiates the network and asserts nothing more, so that its error is the only one.
[[maybe_unused]] constexpr std::size_t parameters = net::parameter_count;
