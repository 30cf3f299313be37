#!/usr/bin/env bash
# How typenet's compile cost grows with a network's depth: a chain of
# `conv2d<8, kernel<3>, pad<1>>, relu` on input<8, 16, 16> with 50 and with 200 layers,
# asking only for its parameter_count (the declaration's cost), and the same networks
# with one training step (backprop and an optimizer: what a program that trains pays),
# each compiled with -fsyntax-only (-O2 for the training step) by g++ and clang++.
# Prints seconds and peak compiler memory per case, then the 200/50 ratios, which must
# stay at most 4 (linear growth). Needs `time` (GNU, /usr/bin/time).
#
#   bash bench/compile_depth.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source_for() {  # layers, kind (declare | train)
    local layers="" i
    for ((i = 0; i < $1 / 2; ++i)); do layers+="${layers:+, }conv2d<8, kernel<3>, pad<1>>, relu"; done
    printf '#include <typenet/typenet.hpp>\nusing namespace typenet;\nusing net = network<input<8, 16, 16>, %s>;\n' "$layers"
    if [ "$2" = declare ]; then
        printf 'static_assert(net::parameter_count > 0);\nint main() {}\n'
    else
        printf 'int main() {\n    auto model = std::make_unique<net>();\n    backprop<net> pass(2);\n'
        printf '    auto opt = make_optimizer<sgd>(*model, {.lr = 0.01});\n'
        printf '    std::vector<float> x(2 * net::input_size);\n    pass.forward(*model, x, 0);\n'
        printf '    opt.step(model->parameters(), pass.backward(*model));\n}\n'
    fi
}

measure() {  # compiler, layers, kind -> "seconds kib"
    local file="$work/$3_$2.cpp" flags=(-std=c++20 -fsyntax-only)
    source_for "$2" "$3" >"$file"
    [ "$3" = train ] && flags=(-std=c++20 -O2 -c -o "$work/out.o")
    /usr/bin/time -f "%e %M" -o "$work/time" "$1" "${flags[@]}" -I"$root/include" "$file" >/dev/null 2>"$work/err" ||
        { echo "compile_depth: $1 failed on $2 layers ($3):" >&2; head -5 "$work/err" >&2; return 1; }
    cat "$work/time"
}

status=0
for compiler in g++ clang++; do
    for kind in declare train; do
        read -r s50 k50 < <(measure "$compiler" 50 "$kind") || { status=1; continue; }
        read -r s200 k200 < <(measure "$compiler" 200 "$kind") || { status=1; continue; }
        ratio_s=$(python3 -c "print(f'{$s200 / $s50:.2f}')")
        ratio_m=$(python3 -c "print(f'{$k200 / $k50:.2f}')")
        echo "compile_depth compiler=$compiler kind=$kind layers=50 seconds=$s50 peak_mib=$((k50 / 1024))" \
             "layers=200 seconds=$s200 peak_mib=$((k200 / 1024)) time_ratio=$ratio_s memory_ratio=$ratio_m"
        python3 -c "import sys; sys.exit(0 if $ratio_s <= 4 and $ratio_m <= 4 else 1)" || status=1
    done
done
exit $status
