#!/usr/bin/python3
"""PyTorch peers for bench/PROTOCOL.md.

Usage: /usr/bin/python3 bench/pytorch_bench.py --threads N [--seconds S] [--deep]

peer=pytorch      eager model, eval mode, under torch.inference_mode()
peer=pytorch-ofi  torch.jit.optimize_for_inference(torch.jit.script(model).eval())
                  (falls back to torch.jit.trace if scripting fails)
W2train           peer=pytorch only (eager), SGD(lr=0.01, momentum=0.9) on Fashion-MNIST.
--deep            instead: torchvision's ResNet-18, ResNet-50, MobileNetV2, GoogLeNet and
                  VGG-16 (random weights, 3x224x224, batches 1 and 8), and resnet20train:
                  ResNet-20 trained eager, SGD(lr=0.1, momentum=0.9), batch 128.

Only `raw ...` / `skip ...` lines go to stdout; diagnostics go to stderr.
"""

import argparse
import gzip
import os
import statistics
import sys
import time

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def log(*a):
    print("[pytorch_bench]", *a, file=sys.stderr, flush=True)


def one_line(s):
    return " ".join(str(s).split())


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=0.5)
    p.add_argument("--deep", action="store_true")
    return p.parse_args()


ARGS = parse_args()
# Thread pinning must happen before torch (and its BLAS / OpenMP runtime) is loaded.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1" if var == "OPENBLAS_NUM_THREADS" else str(ARGS.threads)

try:
    import numpy as np
    import torch
    import torch.nn as nn

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
    import make_model_fixtures  # its ResNet-20, the one typenet's models::resnet20 is checked against
    # That script makes its fixtures in double and says so globally on import: every peer
    # here runs in float (in double, PyTorch's ResNet-18 took 1.2 s instead of 34 ms).
    torch.set_default_dtype(torch.float32)
except Exception as e:  # noqa: BLE001
    reason = one_line(f"cannot import torch: {type(e).__name__}: {e}")
    print(f"skip peer=pytorch reason={reason}")
    print(f"skip peer=pytorch-ofi reason={reason}")
    sys.exit(0)


def time_median_ms(fn, seconds, warmup=5, calls=10):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < calls or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def emit(line):
    print(line, flush=True)


def make_w1():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 14 * 14, 128), nn.ReLU(),
        nn.Linear(128, 10), nn.Softmax(dim=1))


def make_w2():
    # W2 ends in logits (no softmax layer)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def make_w3():
    return nn.Sequential(nn.Conv2d(64, 64, 3, padding=1))


def make_resnet20():
    """He et al.'s CIFAR ResNet-20 on 1x28x28, 10 classes: models::resnet20<float, 10, 1, 28>,
    as the model tests' fixtures define it against typenet's."""
    return make_model_fixtures.resnet20(1, 10)


WORKLOADS = [
    # name, factory, per-sample input shape, batches, expected per-sample output shape
    ("W1", make_w1, (3, 64, 64), (1, 64), (10,)),
    ("W2", make_w2, (1, 28, 28), (1, 64), (10,)),
    ("W3", make_w3, (64, 56, 56), (1, 8), (64, 56, 56)),
]


def deep_workloads():
    import torchvision  # only the deep workloads need it
    models = torchvision.models
    return [
        ("resnet18", models.resnet18, (3, 224, 224), (1, 8), (1000,)),
        ("resnet50", models.resnet50, (3, 224, 224), (1, 8), (1000,)),
        ("mobilenet_v2", models.mobilenet_v2, (3, 224, 224), (1, 8), (1000,)),
        ("googlenet", lambda: models.googlenet(aux_logits=False, init_weights=False), (3, 224, 224), (1, 8),
         (1000,)),
        ("vgg16", models.vgg16, (3, 224, 224), (1, 8), (1000,)),
    ]


# name, factory, batch, learning rate (SGD, momentum 0.9, on Fashion-MNIST)
TRAINING = ("W2train", make_w2, 64, 0.01)
DEEP_TRAINING = ("resnet20train", make_resnet20, 128, 0.1)


def make_ofi(model, example):
    errors = []
    for how in ("script", "trace"):
        try:
            with torch.no_grad():
                if how == "script":
                    m = torch.jit.script(model)
                else:
                    m = torch.jit.trace(model, example)
                m = torch.jit.optimize_for_inference(m.eval())
            return m, how
        except Exception as e:  # noqa: BLE001
            errors.append(f"{how}: {type(e).__name__}: {e}")
            log(f"optimize_for_inference via {how} failed: {e}")
    raise RuntimeError("; ".join(errors))


def logits(y):
    # A scripted GoogLeNet returns (logits, aux2, aux1) whatever aux_logits says.
    return y[0] if isinstance(y, tuple) else y


def bench_inference(workloads, threads, seconds, warmup, calls):
    for name, factory, shape, batches, out_shape in workloads:
        torch.manual_seed(0)
        model = factory().eval()
        assert next(model.parameters()).dtype == torch.float32, name
        ofi = None
        ofi_reason = None
        try:
            ofi, how = make_ofi(model, torch.rand(batches[0], *shape))
            log(f"{name}: optimize_for_inference via torch.jit.{how}")
        except Exception as e:  # noqa: BLE001
            ofi_reason = one_line(e)[:300]
        for batch in batches:
            x = torch.rand(batch, *shape)
            with torch.inference_mode():
                ref = model(x)
            assert tuple(ref.shape) == (batch, *out_shape), (name, tuple(ref.shape))
            for peer, m in (("pytorch", model), ("pytorch-ofi", ofi)):
                if m is None:
                    continue

                def call(m=m, x=x):
                    with torch.inference_mode():
                        return logits(m(x))

                try:
                    y = call()
                    if not torch.allclose(y, ref, rtol=1e-3, atol=1e-4):
                        log(f"{name} {peer} b={batch}: max abs diff vs eager "
                            f"{(y - ref).abs().max().item():.3g}")
                    med = time_median_ms(call, seconds, warmup, calls)
                except Exception as e:  # noqa: BLE001
                    if peer == "pytorch-ofi":
                        ofi_reason = one_line(f"{type(e).__name__}: {e}")[:300]
                        ofi = None
                        continue
                    raise
                emit(f"raw workload={name} peer={peer} threads={threads} batch={batch} "
                     f"median_ms={med:.4f}")
        if ofi_reason is not None:
            emit(f"skip peer=pytorch-ofi reason=workload {name}: {ofi_reason}")


def read_idx_gz(path, header):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def bench_train(training, threads, seconds, warmup, calls):
    name, factory, bs, lr = training
    try:
        imgs = read_idx_gz(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"), 16)
        labels = read_idx_gz(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"), 8)
    except OSError as e:
        log(f"{name} skipped: {e}")
        return
    x_all = torch.from_numpy(imgs.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y_all = torch.from_numpy(labels.astype(np.int64))
    nbatches = x_all.shape[0] // bs
    batches = [(x_all[i * bs:(i + 1) * bs].contiguous(), y_all[i * bs:(i + 1) * bs].contiguous())
               for i in range(nbatches)]

    torch.manual_seed(0)
    model = factory().train()
    assert next(model.parameters()).dtype == torch.float32, name
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    state = {"i": 0, "loss": 0.0}

    def step():
        x, y = batches[state["i"] % nbatches]
        state["i"] += 1
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        state["loss"] = loss

    med = time_median_ms(step, seconds, warmup, calls)
    log(f"{name}: {state['i']} steps, last loss {float(state['loss']):.4f}")
    emit(f"raw workload={name} peer=pytorch threads={threads} batch={bs} "
         f"median_ms={med:.4f} images_per_s={1000.0 * bs / med:.1f}")


def main():
    threads = ARGS.threads
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError as e:
        log(f"set_num_interop_threads: {e}")
    log(f"torch {torch.__version__}, num_threads={torch.get_num_threads()}, "
        f"interop={torch.get_num_interop_threads()}, mkldnn={torch.backends.mkldnn.is_available()}")
    try:
        if ARGS.deep:  # fewer calls, as typenet's: one of VGG-16 at batch 8 takes seconds, eager
            bench_inference(deep_workloads(), threads, ARGS.seconds, warmup=2, calls=5)
            bench_train(DEEP_TRAINING, threads, ARGS.seconds, warmup=2, calls=5)
        else:
            bench_inference(WORKLOADS, threads, ARGS.seconds, warmup=5, calls=10)
            bench_train(TRAINING, threads, ARGS.seconds, warmup=5, calls=10)
    except Exception as e:  # noqa: BLE001
        reason = one_line(f"{type(e).__name__}: {e}")[:300]
        log(f"failed: {reason}")
        emit(f"skip peer=pytorch reason={reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
