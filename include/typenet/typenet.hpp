/// Includes all of typenet: networks as types, their layers, training, optimizers and
/// learning-rate schedules, summaries and the PyTorch layout.
#pragma once

#include <typenet/backprop.hpp>
#include <typenet/data/cifar10.hpp>
#include <typenet/data/data_error.hpp>
#include <typenet/data/dataset.hpp>
#include <typenet/data/idx.hpp>
#include <typenet/diagnostics.hpp>
#include <typenet/init.hpp>
#include <typenet/layer.hpp>
#include <typenet/layers/avg_pool.hpp>
#include <typenet/layers/conv1d.hpp>
#include <typenet/layers/conv2d.hpp>
#include <typenet/layers/dense.hpp>
#include <typenet/layers/dropout.hpp>
#include <typenet/layers/flatten.hpp>
#include <typenet/layers/input.hpp>
#include <typenet/layers/leaky_relu.hpp>
#include <typenet/layers/max_pool.hpp>
#include <typenet/layers/relu.hpp>
#include <typenet/layers/sequential.hpp>
#include <typenet/layers/sigmoid.hpp>
#include <typenet/layers/softmax.hpp>
#include <typenet/layers/tanh.hpp>
#include <typenet/layout.hpp>
#include <typenet/network.hpp>
#include <typenet/optim/adam.hpp>
#include <typenet/optim/optimizer.hpp>
#include <typenet/optim/rmsprop.hpp>
#include <typenet/optim/schedules.hpp>
#include <typenet/optim/sgd.hpp>
#include <typenet/options.hpp>
#include <typenet/serialize.hpp>
#include <typenet/shape.hpp>
#include <typenet/summary.hpp>
