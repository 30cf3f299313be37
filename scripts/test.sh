#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test twice, and ends with the
# line "N passed, N failed":
#   g++       for this machine (AVX-512 or AVX2 kernels, checked against the portable ones
#             in the same test), warnings as errors, with the compile-fail tests and the
#             whole-model tests (tests/models: minutes of building each);
#   clang++   with -Dnative=false, so the portable kernels run through every other test
#             (the layers and blocks of the models among them), under AddressSanitizer and
#             UndefinedBehaviorSanitizer stopping at the first report (scripts/sanitize.ini),
#             with the compile-fail tests on clang and a short run of each fuzz target
#             (tests/fuzz). One build, not an unsanitized one beside it: the two ran the
#             same tests, and CI's 35 minutes hold only one.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
declare -A options=(
    [g++]="-Dnative=true"
    [clang++]="--native-file scripts/sanitize.ini"
)
passed=0
failed=0
for build in g++ clang++; do
    dir="build-test-$build"
    start=$SECONDS
    if [ ! -f "$dir/build.ninja" ]; then
        # shellcheck disable=SC2086  # the options are words
        CXX="$build" meson setup "$dir" -Dwerror=true ${options[$build]} >"$dir.setup.log" 2>&1 ||
            { cat "$dir.setup.log"; failed=$((failed + 1)); continue; }
    fi
    if ! meson compile -C "$dir"; then
        echo "build with $build failed"
        failed=$((failed + 1))
        continue
    fi
    built=$SECONDS
    UBSAN_OPTIONS=print_stacktrace=1 meson test -C "$dir" --print-errorlogs --num-processes 2 || true
    # Meson's own summary is not the CI line: count the results it logged.
    read -r p f < <(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        ok += 1
    else:
        bad += 1
print(ok, bad)
PY
    ) || { p=0; f=1; }
    echo "$build: $p passed, $f failed (build $((built - start)) s, tests $((SECONDS - built)) s)"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
