#!/usr/bin/env bash
# Build cost of a program that declares, trains one step of and runs a whole model
# (bench/model_build_cost.cpp): g++ -O2 -march=native, one translation unit, on 3×64×64
# images and 10 classes. Prints seconds and the compiler's peak memory per model. The
# budgets (issue 15): ResNet-18 at most 30 s and 1.5 GiB; ResNet-50 and GoogLeNet at most
# 60 s and 3 GiB. Needs GNU time (/usr/bin/time). Run it on an idle machine.
#
#   bash bench/model_build_cost.sh [MODEL ...]   # default: resnet18 resnet50 googlenet mobilenet_v2 vgg16_bn
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(resnet18 resnet50 googlenet mobilenet_v2 vgg16_bn)
declare -A headers=([resnet18]=resnet.hpp [resnet34]=resnet.hpp [resnet50]=resnet.hpp [googlenet]=googlenet.hpp
                     [mobilenet_v2]=mobilenet_v2.hpp [vgg16]=vgg16.hpp [vgg16_bn]=vgg16.hpp)
status=0
for model in "${models[@]}"; do
    if ! /usr/bin/time -f "%e %M" -o "$work/time" g++ -std=c++20 -O2 -march=native -DNDEBUG \
        "-DMODEL=typenet::models::$model<float, 10, 64>" "-DMODEL_HEADER=<typenet/models/${headers[$model]}>" \
        -I"$root/include" \
        "$root/bench/model_build_cost.cpp" -o "$work/program" -lfmt -lz -pthread 2>"$work/err"; then
        echo "model_build_cost: $model failed to build:" >&2
        head -5 "$work/err" >&2
        status=1
        continue
    fi
    read -r seconds kib <"$work/time"
    "$work/program" >/dev/null || { echo "model_build_cost: $model failed to run" >&2; status=1; }
    echo "model_build_cost model=$model seconds=$seconds peak_mib=$((kib / 1024))"
done
exit $status
