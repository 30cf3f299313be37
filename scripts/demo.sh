#!/usr/bin/env bash
# Installs what is missing, builds the examples (g++, -O2) and runs the main demo: training
# LeNet-5 on Fashion-MNIST (flags are passed on, e.g. --model deep).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build
build/examples/fashion_mnist "$@"
