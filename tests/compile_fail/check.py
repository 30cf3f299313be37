#!/usr/bin/env python3
"""Checks one compile-fail case of typenet.

    check.py <case.cpp> -- <compiler> [flags...]

The case is compiled twice with -fsyntax-only:
  1. without TYPENET_COMPILE_FAIL: it must compile (the control: the file is otherwise fine);
  2. with -DTYPENET_COMPILE_FAIL: it must fail, with exactly one `error:` line, and every
     `// expect-error: <python regex>` written in the file must match within the first
     HEAD_LINES lines of the diagnostic (a readable error says what is wrong at the top),
     every `// expect-error-line: <python regex>` on the `error:` line itself.
The first HEAD_LINES lines must also name the case's file, i.e. point at the user's code.
A case may bound the length of its whole diagnostic by that of another case beside it:
`// expect-length-at-most: <factor> <other.cpp>` (that one compiled with
TYPENET_COMPILE_FAIL by the same command; the lines of the include chain not counted).

Exit status: 0 when all of this holds; 1 when it does not (the case compiles, or its
diagnostic is not the one promised); 99 when the case itself is broken (its control does
not compile, it has no `// expect-error:` line, a bad regex, a time-out, a usage error).
Meson reports 99 as ERROR even for a `should_fail` test, so the sanity case (a file that
wrongly compiles, registered with should_fail: true) cannot pass because of a typo.
"""

import re
import subprocess
import sys

HEAD_LINES = 40
TIMEOUT_SECONDS = 300
PASS, FAIL, BROKEN = 0, 1, 99

EXPECT = re.compile(r"^\s*//\s*expect-error(-line)?:\s?(.*?)\s*$")
LENGTH = re.compile(r"^\s*//\s*expect-length-at-most:\s*([0-9.]+)\s+(\S+)\s*$")
# A diagnostic of kind error: `file:line:col: error: …`, or one from the driver
# (`cc1plus: error: …`, `clang: error: …`). Source lines the compiler echoes are not counted.
ERROR_LINE = re.compile(r"^\S.*?:\d+(?::\d+)?: (?:fatal )?error: |^[\w.+-]+: (?:fatal )?error: ")


def compile_case(command, source, fail_macro):
    args = command + ["-fsyntax-only", "-fdiagnostics-color=never"]
    if fail_macro:
        args.append("-DTYPENET_COMPILE_FAIL")
    args.append(source)
    try:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return None, f"(timed out after {TIMEOUT_SECONDS} s: {' '.join(args)})"
    return done.returncode, done.stdout.decode("utf-8", errors="replace")


# "In file included from …" and its "from …" lines: which headers led to the error, not the
# error; their number depends on how the headers were reached (a precompiled one among them).
INCLUDE_CHAIN = re.compile(r"^(?:In file included from |\s+from )\S+:\d+[:,]$", re.M)


def error_length(text):
    return len(INCLUDE_CHAIN.sub("", text))


def head(text):
    return "\n".join(text.splitlines()[:HEAD_LINES])


def show(title, text):
    print(f"--- {title} (first {HEAD_LINES} lines) ---")
    print(head(text) if text.strip() else "(no output)")
    print("---")


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__.strip(), file=sys.stderr)
        return BROKEN
    source, command = argv[1], argv[3:]
    name = source.rsplit("/", 1)[-1]

    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    expected = [(bool(m.group(1)), m.group(2)) for line in lines if (m := EXPECT.match(line))]
    lengths = [(float(m.group(1)), m.group(2)) for line in lines if (m := LENGTH.match(line))]
    if not expected:
        print(f"{name}: BROKEN: no `// expect-error:` line: this case would check nothing")
        return BROKEN
    try:
        patterns = [(on_error_line, re.compile(p)) for on_error_line, p in expected]
    except re.error as e:
        print(f"{name}: BROKEN: bad `// expect-error:` regex: {e}")
        return BROKEN

    status, output = compile_case(command, source, fail_macro=False)
    if status != 0:
        print(f"{name}: BROKEN: the control (without TYPENET_COMPILE_FAIL) does not compile")
        show("got", output)
        return BROKEN

    status, output = compile_case(command, source, fail_macro=True)
    if status is None:
        print(f"{name}: BROKEN: {output}")
        return BROKEN
    if status == 0:
        print(f"{name}: FAIL: compiled with TYPENET_COMPILE_FAIL, but must not")
        show("got", output)
        return FAIL

    failures = []
    top = head(output)
    errors = [line for line in output.splitlines() if ERROR_LINE.search(line)]
    for on_error_line, p in patterns:
        if on_error_line and not (errors and p.search(errors[0])):
            failures.append(f"expected, on the error line: {p.pattern}")
        if not on_error_line and not p.search(top):
            failures.append(f"expected, within the first {HEAD_LINES} lines: {p.pattern}")
    # `file:line:col:` opening a line; an "In file included from file:1" does not count.
    if not re.search(r"(?m)^(?:\S*/)?" + re.escape(name) + r":\d+:\d+: ", top):
        failures.append(f"expected the diagnostic to point at {name} within the first {HEAD_LINES} lines")
    if len(errors) != 1:
        failures.append(f"expected exactly 1 `error:` line, got {len(errors)}:")
        failures.extend("    " + e for e in errors)
    measured = ""
    for factor, other in lengths:
        other_status, other_output = compile_case(command, source.rsplit("/", 1)[0] + "/" + other if "/" in source
                                                  else other, fail_macro=True)
        if other_status in (None, 0):
            print(f"{name}: BROKEN: {other}, the yardstick of its length, does not fail to compile")
            return BROKEN
        length, other_length = error_length(output), error_length(other_output)
        measured += f"; {length} bytes, {other} {other_length}"
        if length > factor * other_length:
            failures.append(f"expected at most {factor} times as many bytes as the diagnostic of {other} "
                            f"({other_length}), got {length} (lines of the include chain not counted)")
    if failures:
        print(f"{name}: FAIL: the diagnostic is not the one promised")
        for f in failures:
            print("  " + f)
        show("got", output)
        return FAIL

    print(f"{name}: ok (the control compiles; 1 error, {len(patterns)} expect-error patterns matched{measured})")
    return PASS


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # a crash of this script is not a verdict on the case
        print(f"check.py: BROKEN: {type(e).__name__}: {e}")
        sys.exit(BROKEN)
