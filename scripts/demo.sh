#!/usr/bin/env bash
# Installs what is missing, builds the demo alone (g++, -O2) and runs it: training LeNet-5
# on Fashion-MNIST (flags are passed on, e.g. --model deep).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build fashion_mnist
build/examples/fashion_mnist "$@"
