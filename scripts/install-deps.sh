#!/usr/bin/env bash
# Installs the Debian 12 packages typenet needs to build and test, if any is missing.
# Usage: scripts/install-deps.sh [extra packages...]   (run as root, or with sudo available)
set -euo pipefail
packages=(g++ clang libclang-rt-14-dev meson ninja-build pkg-config python3 libboost-dev libboost-test-dev libfmt-dev
          zlib1g-dev dataset-fashion-mnist libonnx-dev libprotobuf-dev libonnx-testdata python3-onnx python3-opencv
          libplplot-dev plplot-driver-cairo libpng-dev libjpeg62-turbo-dev "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
