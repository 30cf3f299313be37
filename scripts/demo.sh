#!/usr/bin/env bash
# Installs what is missing, builds the demo alone (g++, -O2) and runs it: training LeNet-5
# on Fashion-MNIST (flags are passed on, e.g. --model deep).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build fashion_mnist
# The CSV log, and beside it the plot of its curves (.svg, .png) where PLplot is installed.
build/examples/fashion_mnist --log build/fashion_mnist_training.csv "$@"
