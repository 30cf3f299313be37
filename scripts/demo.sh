#!/usr/bin/env bash
# Installs what is missing, builds typenet's examples (g++, -O2) and runs the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build
build/examples/seed_keras "$@"
