#!/usr/bin/env bash
# A fuzzing campaign: every target of tests/fuzz for RUNS inputs each (2,000,000 unless
# given), two at a time, with ASan and UBSan, in the sanitizer build that scripts/test.sh
# uses. Each target's log, and the input of any finding (crash-*, leak-*, timeout-*), go to
# build-test-clang++/fuzz-campaign/TARGET/.
# Usage: bash tests/fuzz/campaign.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-2000000}
bash scripts/install-deps.sh
dir=build-test-clang++
[ -f "$dir/build.ninja" ] || meson setup "$dir" -Dwerror=true --native-file scripts/sanitize.ini
meson compile -C "$dir"
targets=(idx_fuzz idx_gzip_fuzz cifar10_fuzz load_parameters_fuzz onnx_import_fuzz)
for t in "${targets[@]}"; do mkdir -p "$dir/fuzz-campaign/$t"; done
# shellcheck disable=SC2016  # expanded by the inner shell
printf '%s\n' "${targets[@]}" | xargs -P 2 -I{} bash -c '
    cd "$0/fuzz-campaign/{}"
    start=$SECONDS
    if bash ../../../tests/fuzz/fuzz.sh ../../tests/fuzz/make_fuzz_seeds ../../tests/fuzz/{} "$1" >log.txt 2>&1; then
        echo "{}: $(grep -o "number_of_executed_units: [0-9]*" log.txt), no finding, $((SECONDS - start)) s"
    else
        echo "{}: FINDING after $((SECONDS - start)) s: see $0/fuzz-campaign/{}/log.txt"; exit 1
    fi' "$dir" "$runs"
