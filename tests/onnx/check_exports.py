#!/usr/bin/python3
"""Runs onnx_export_test (and onnx_models_test, when given), which write each exported
model with an input and typenet's output into a folder, then checks every model with onnx.checker and runs it in OpenCV's
dnn module (an ONNX runtime independent of typenet and of PyTorch): its outputs must be
typenet's within 1e-4 of the largest. Exits 77 (meson: skipped) where python3-onnx or
python3-opencv is missing; scripts/install-deps.sh installs both.

    check_exports.py build/tests/onnx/onnx_export_test [build/tests/onnx/onnx_models_test]
"""

import glob
import os
import subprocess
import sys
import tempfile

try:
    import cv2
    import numpy as np
    import onnx
except ImportError as e:
    print(f"skipped: {e} (apt-get install python3-onnx python3-opencv)")
    sys.exit(77)

# Models OpenCV 4.6 cannot run, and why: checked by onnx.checker (and by typenet's importer,
# in onnx_export_test) only.
OPENCV_CANNOT = {
    "signal_1d": "its pooling layer refuses a 1-D MaxPool (getMemoryShapes: addedDims <= inpShape.size())",
    "beyond_opencv": "ignores the dilations of MaxPool and ConvTranspose (its outputs are then larger than "
                     "ONNX's) and AveragePool's count_include_pad=1 (it divides by the inputs alone), and refuses a "
                     "ConvTranspose's asymmetric pads",
}

failures = 0
with tempfile.TemporaryDirectory() as folder:
    for program in sys.argv[1:]:
        subprocess.run([program, "--", folder], check=True)
    models = sorted(glob.glob(os.path.join(folder, "*.onnx")))
    assert models, "onnx_export_test wrote no model"
    for path in models:
        name = os.path.basename(path)[: -len(".onnx")]
        onnx.checker.check_model(onnx.load(path))
        model = onnx.load(path)
        dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:]]
        x = np.fromfile(path[:-5] + ".input", dtype=np.float32).reshape([-1] + dims)
        expected = np.fromfile(path[:-5] + ".output", dtype=np.float32).reshape(x.shape[0], -1)
        if name in OPENCV_CANNOT:
            print(f"{name}: onnx.checker accepts it; not run in OpenCV, which {OPENCV_CANNOT[name]}")
            continue
        net = cv2.dnn.readNetFromONNX(path)
        net.setInput(x)
        got = net.forward().reshape(x.shape[0], -1)
        error = float(np.abs(got - expected).max() / np.abs(expected).max())
        ok = error <= 1e-4
        failures += not ok
        print(f"{name}: onnx.checker accepts it; OpenCV {cv2.__version__} gives typenet's outputs within {error:.2g}"
              f" of the largest{'' if ok else ' -- MORE THAN 1e-4'}")
sys.exit(1 if failures else 0)
