#!/usr/bin/env bash
# Runs a fuzz target from its seed corpus for RUNS inputs (a regression run in the tests,
# millions in a campaign); stops at the first crash, leak, sanitizer report or exception
# other than the reader's own, and leaves the input that caused it in the current folder.
# Usage: tests/fuzz/fuzz.sh MAKE_FUZZ_SEEDS TARGET RUNS [libFuzzer options...]
set -euo pipefail
make_seeds=$1 target=$2 runs=$3
shift 3
seeds=$(mktemp -d) found=$(mktemp -d)
trap 'rm -rf "$seeds" "$found"' EXIT
"$make_seeds" "$(basename "$target")" "$seeds"
# New inputs go to the first folder, a scratch one, so that the seeds stay as made. Inputs
# of up to 64 KiB reach past the readers' first 64 KiB piece of a file.
"$target" -runs="$runs" -max_len=65536 -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 "$@" "$found" "$seeds"
