#!/usr/bin/env bash
# Runs the workloads of bench/PROTOCOL.md for typenet and for every peer on this machine
# (oneDNN, PyTorch eager and optimize_for_inference, dlib), alternating peers over
# repeated rounds with 1 and 2 threads, measures compile time and compiler memory, and
# prints the table, one `bench ...` line per measurement and the verdict on each target.
#
#   bench/run.sh BUILD_DIR        (a meson build of this project, e.g. build)
#   ROUNDS=3 SECONDS_PER_CASE=0.3 bench/run.sh build
#   DEEP=1 bench/run.sh build     (also the deep models: ResNet, MobileNetV2, GoogLeNet,
#                                  VGG-16, ResNet-20 training; about 7 more minutes a round)
#   DEEP=only ROUNDS=2 bench/run.sh build   (the deep models alone)
# Peers come from Debian: python3-torch, libdnnl-dev, libdlib-dev (`bash bench/run.sh`
# installs none of them; a missing one is reported as skipped). `time` is needed too.
set -uo pipefail
build=$(cd "${1:?usage: bench/run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_CASE:-0.3}
deep=${DEEP:-0}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
# One thread pool per peer: PyTorch's OpenBLAS and OpenMP must not start their own.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# The deep models' program is built only when asked for by name: minutes of building.
targets=(bench/typenet_bench bench/fma_probe)
[ "$deep" != 0 ] && targets+=(bench/deep_models_bench)
ninja -C "$build" "${targets[@]}" >/dev/null || { echo "bench: build failed" >&2; exit 1; }

peer_typenet() { "$build/bench/typenet_bench" --threads "$1" --seconds "$seconds"; }
peer_onednn() {
    if [ -x "$build/bench/onednn_bench" ]; then "$build/bench/onednn_bench" --threads "$1" --seconds "$seconds"
    else echo "skip peer=onednn reason=not built (install libdnnl-dev and reconfigure)"; fi
}
peer_pytorch() { /usr/bin/python3 "$here/pytorch_bench.py" --threads "$1" --seconds "$seconds"; }
peer_dlib() {
    if [ -x "$build/bench/dlib_bench" ]; then "$build/bench/dlib_bench" --threads "$1" --seconds "$seconds"
    else echo "skip peer=dlib reason=not built (install libdlib-dev and reconfigure)"; fi
}
peer_typenet_deep() { "$build/bench/deep_models_bench" --threads "$1" --seconds "$seconds"; }
peer_pytorch_deep() { /usr/bin/python3 "$here/pytorch_bench.py" --deep --threads "$1" --seconds "$seconds"; }
case $deep in
    0) peers=(typenet onednn pytorch dlib) ;;
    only) peers=(typenet_deep pytorch_deep) ;;
    *) peers=(typenet onednn pytorch dlib typenet_deep pytorch_deep) ;;
esac

start=$(date +%s)
for _ in 1 2 3; do "$build/bench/fma_probe" >>"$raw"; done
for round in $(seq 1 "$rounds"); do
    # Each round starts with another peer, so that no peer always runs first.
    for i in "${!peers[@]}"; do
        peer=${peers[$(( (i + round - 1) % ${#peers[@]} ))]}
        for threads in 1 2; do
            echo "round $round/$rounds: $peer, $threads thread(s)" >&2
            "peer_$peer" "$threads" >>"$raw" 2>/dev/null || echo "skip peer=$peer reason=exited with an error" >>"$raw"
        done
    done
done

# Compile time and peak compiler memory: one translation unit each, g++ -O2, as a user
# would build it (typenet needs only its include directory and fmt/zlib to link).
compile() {  # name, then the compiler command
    local name=$1; shift
    local out; out=$(mktemp)
    if /usr/bin/time -f "%e %M" -o "$out.time" "$@" -o "$out" >/dev/null 2>&1; then
        read -r s kib <"$out.time"
        echo "compile program=$name seconds=$s peak_mib=$((kib / 1024))" >>"$raw"
    else
        echo "skip peer=compile-$name reason=did not build" >>"$raw"
    fi
    rm -f "$out" "$out.time"
}
[ "$deep" = only ] || for _ in 1 2; do
    compile typenet_lenet5_train g++ -std=c++20 -O2 -I"$root/include" "$here/typenet_lenet5_train.cpp" -lfmt -lz -lpthread
    if pkg-config --exists dlib-1; then
        # shellcheck disable=SC2046
        compile dlib_lenet5_train g++ -std=c++20 -O2 $(pkg-config --cflags dlib-1) "$here/dlib_lenet5_train.cpp" \
            $(pkg-config --libs dlib-1)
    fi
done
[ "$deep" = only ] || for example in "$root"/examples/*.cpp; do
    compile "example-$(basename "$example" .cpp)" g++ -std=c++20 -O2 -I"$root/include" "$example" -lfmt -lz -lpthread
done

python3 "$here/report.py" "$raw"
echo "bench: $(( $(date +%s) - start )) s, $rounds rounds"
