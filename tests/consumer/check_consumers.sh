#!/usr/bin/env bash
# Builds tests/consumer/main.cpp as users do, with no flags of their own: (1) in a meson
# project with typenet as a subproject (only -Dtypenet:native=…, the documented option),
# (2) with `pkg-config --cflags --libs typenet` from this build's install; each must run the
# kernels of `reference` (the same program built here) and give its scores. (3) Built
# without C++20, the first error must say that typenet needs it.
# Usage: check_consumers.sh SOURCE_ROOT BUILD_ROOT REFERENCE_PROGRAM NATIVE(true|false) CXX
set -euo pipefail
source=$1 build=$2 reference=$3 native=$4 cxx=$5
work=$(mktemp -d "$build/consumers.XXXXXX")
trap 'rm -rf "$work"' EXIT
expected=$("$reference")
echo "this build: $(head -1 <<<"$expected") kernels"

# Both consumers' output (kernel name, then scores) against this build's.
check() {
    local what=$1 got=$2
    if [ "$got" != "$expected" ]; then
        printf '%s consumer gave\n%s\ninstead of\n%s\n' "$what" "$got" "$expected"
        exit 1
    fi
    echo "$what consumer: $(head -1 <<<"$got") kernels, same scores"
}

# (1) A meson subproject: the library's meson files and headers, as a user would vendor them.
project="$work/meson"
mkdir -p "$project/subprojects/typenet"
cp "$source/tests/consumer/project/meson.build" "$source/tests/consumer/main.cpp" "$project/"
cp -r "$source/meson.build" "$source/meson_options.txt" "$source/include" "$project/subprojects/typenet/"
CXX=$cxx meson setup "$project/build" "$project" --wrap-mode=forcefallback "-Dtypenet:native=$native" \
    >"$work/meson-setup.log" 2>&1 || { cat "$work/meson-setup.log"; exit 1; }
meson compile -C "$project/build" >"$work/meson-compile.log" 2>&1 || { cat "$work/meson-compile.log"; exit 1; }
check "meson subproject" "$("$project/build/consumer")"

# (2) pkg-config, on this build installed (headers and typenet.pc) under $work/root.
meson install -C "$build" --no-rebuild --quiet --destdir "$work/root" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; exit 1; }
pc=$(find "$work/root" -name typenet.pc | head -1)
prefix=$(sed -n 's/^prefix=//p' "$pc")
read -ra flags < <(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --define-variable=prefix="$work/root$prefix" \
    --cflags --libs typenet)
"$cxx" -O2 "$source/tests/consumer/main.cpp" "${flags[@]}" -o "$work/pkg-config-consumer"
check "pkg-config" "$("$work/pkg-config-consumer")"

# (3) Without C++20: one error that says what to do.
"$cxx" -std=c++17 -fsyntax-only -I"$source/include" "$source/tests/consumer/main.cpp" >"$work/cpp17.log" 2>&1 && {
    echo "main.cpp compiled without C++20"
    exit 1
}
# Diagnostics, not the source lines quoted under them nor clang's "2 errors generated.".
first=$(grep -m1 'error:' "$work/cpp17.log")
errors=$(grep -c 'error:' "$work/cpp17.log")
echo "without C++20, $errors errors; the first: $first"
grep -q 'typenet needs C++20' <<<"$first" && [ "$errors" -le 2 ]
