#!/usr/bin/env bash
# Installs what is missing, builds with g++ and with clang++ (warnings are errors), runs
# every test with each, and ends with the line "N passed, N failed". g++ builds for this
# machine (AVX-512 or AVX2 kernels, checked against the portable ones in the same test);
# clang++ builds with -Dnative=false, so the portable kernels run through every test too.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
for cxx in g++ clang++; do
    dir="build-test-$cxx"
    native=true
    [ "$cxx" = clang++ ] && native=false
    if [ ! -f "$dir/build.ninja" ]; then
        CXX="$cxx" meson setup "$dir" -Dwerror=true -Dnative=$native >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); continue; }
    fi
    if ! meson compile -C "$dir"; then
        echo "build with $cxx failed"
        failed=$((failed + 1))
        continue
    fi
    meson test -C "$dir" --print-errorlogs --num-processes 2 || true
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
    echo "$cxx: $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
