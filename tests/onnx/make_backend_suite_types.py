#!/usr/bin/python3
"""Writes tests/onnx/backend_suite_types.hpp: the typenet network of each CNN test of the
ONNX backend test suite that Debian ships (libonnx-testdata), as examples/onnx_to_type
prints it, for backend_suite_test.cpp to load each model into and compare with the
suite's expected outputs. The suite passes weights as inputs (input_1.pb, ...): they
become initializers first, as backend_suite_test.cpp does too. A test typenet cannot
express is listed at the end of the header with onnx_to_type's reason.

    /usr/bin/python3 tests/onnx/make_backend_suite_types.py build/examples/onnx_to_type
"""

import os
import subprocess
import sys
import tempfile

import onnx

SUITE = "/usr/share/libonnx-testdata/data"
# The suite's tests of the CNN operators (issue 16): node/ and pytorch-converted/.
PREFIXES = ("test_conv", "test_basic_conv", "test_averagepool", "test_maxpool", "test_globalaveragepool",
            "test_globalmaxpool", "test_batchnorm", "test_gemm", "test_matmul", "test_flatten", "test_relu",
            "test_leakyrelu", "test_sigmoid", "test_tanh", "test_softmax", "test_dropout", "test_add", "test_concat",
            "test_prelu", "test_elu", "test_logsoftmax", "test_convtranspose",
            "test_Conv", "test_AvgPool", "test_MaxPool", "test_BatchNorm", "test_Linear", "test_LeakyReLU",
            "test_ReLU", "test_Sigmoid", "test_Tanh", "test_Softmax", "test_PReLU", "test_ELU", "test_LogSoftmax",
            "test_log_softmax", "test_ZeroPad2d", "test_ConstantPad2d", "test_ConvTranspose")


def cases():
    for part in ("node", "pytorch-converted"):
        for name in sorted(os.listdir(os.path.join(SUITE, part))):
            if name.startswith(PREFIXES) and not name.endswith("_expanded"):
                yield part, name


def with_weights_inside(folder):
    """The model with its inputs past the first turned into initializers."""
    model = onnx.load(os.path.join(folder, "model.onnx"))
    known = {t.name for t in model.graph.initializer}
    for k, value in enumerate(model.graph.input):
        if k == 0 or value.name in known:
            continue
        path = os.path.join(folder, "test_data_set_0", f"input_{k}.pb")
        if not os.path.exists(path):
            continue
        t = onnx.TensorProto()
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        t.name = value.name
        model.graph.initializer.append(t)
    return model


def main():
    generator = sys.argv[1]
    types, refused = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for part, name in cases():
            folder = os.path.join(SUITE, part, name)
            model = with_weights_inside(folder)
            path = os.path.join(tmp, name + ".onnx")
            onnx.save(model, path)
            ident = f"{'node' if part == 'node' else 'torch'}_{name[len('test_'):]}".lower()
            run = subprocess.run([generator, path, ident], capture_output=True, text=True)
            if run.returncode == 0:
                body = run.stdout[run.stdout.index("using "):]
                types.append((part, name, ident, body))
            else:
                reason = run.stderr.strip().replace(path + ": ", "")
                refused.append((part, name, reason.replace("onnx_to_type: ", "")))
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "backend_suite_types.hpp"), "w") as out:
        out.write("// Written by tests/onnx/make_backend_suite_types.py: the typenet network of each CNN test\n"
                  "// of the ONNX backend test suite (libonnx-testdata), as examples/onnx_to_type prints it.\n"
                  "#pragma once\n\n#include <typenet/typenet.hpp>\n\nnamespace typenet::testing::backend_suite {\n\n"
                  "namespace tn = typenet;\n\n")
        for part, name, ident, body in types:
            out.write(f"// {part}/{name}\n{body}\n")
        out.write("// Each test as a case: its folder under the suite, and its network.\n"
                  "#define TYPENET_BACKEND_SUITE_CASES(CASE) \\\n")
        out.write(" \\\n".join(f"    CASE(\"{part}/{name}\", {ident})" for part, name, ident, _ in types) + "\n\n")
        out.write("// The suite's CNN tests onnx_to_type finds no typenet network for, and why:\n")
        for part, name, reason in refused:
            out.write(f"//   {part}/{name}: {reason.splitlines()[0]}\n")
        out.write("\n}  // namespace typenet::testing::backend_suite\n")
    print(f"{len(types)} tests with a typenet network, {len(refused)} without")


if __name__ == "__main__":
    main()
