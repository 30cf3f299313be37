#!/usr/bin/python3
"""PyTorch peers for bench/PROTOCOL.md.

Usage: /usr/bin/python3 bench/pytorch_bench.py --threads N [--seconds S]

peer=pytorch      eager nn.Sequential, eval mode, under torch.inference_mode()
peer=pytorch-ofi  torch.jit.optimize_for_inference(torch.jit.script(model).eval())
                  (falls back to torch.jit.trace if scripting fails)
W2train           peer=pytorch only (eager), SGD(lr=0.01, momentum=0.9) on Fashion-MNIST.

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
    return p.parse_args()


ARGS = parse_args()
# Thread pinning must happen before torch (and its BLAS / OpenMP runtime) is loaded.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1" if var == "OPENBLAS_NUM_THREADS" else str(ARGS.threads)

try:
    import numpy as np
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001
    reason = one_line(f"cannot import torch: {type(e).__name__}: {e}")
    print(f"skip peer=pytorch reason={reason}")
    print(f"skip peer=pytorch-ofi reason={reason}")
    sys.exit(0)


def time_median_ms(fn, seconds, warmup=5):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < 10 or time.perf_counter() - start < seconds:
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


WORKLOADS = [
    # name, factory, per-sample input shape, batches, expected per-sample output shape
    ("W1", make_w1, (3, 64, 64), (1, 64), (10,)),
    ("W2", make_w2, (1, 28, 28), (1, 64), (10,)),
    ("W3", make_w3, (64, 56, 56), (1, 8), (64, 56, 56)),
]


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


def bench_inference(threads, seconds):
    for name, factory, shape, batches, out_shape in WORKLOADS:
        torch.manual_seed(0)
        model = factory().eval()
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
                        return m(x)

                try:
                    y = call()
                    if not torch.allclose(y, ref, rtol=1e-3, atol=1e-4):
                        log(f"{name} {peer} b={batch}: max abs diff vs eager "
                            f"{(y - ref).abs().max().item():.3g}")
                    med = time_median_ms(call, seconds)
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


def bench_train(threads, seconds):
    try:
        imgs = read_idx_gz(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"), 16)
        labels = read_idx_gz(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"), 8)
    except OSError as e:
        log(f"W2train skipped: {e}")
        return
    x_all = torch.from_numpy(imgs.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y_all = torch.from_numpy(labels.astype(np.int64))
    bs = 64
    nbatches = x_all.shape[0] // bs
    batches = [(x_all[i * bs:(i + 1) * bs].contiguous(), y_all[i * bs:(i + 1) * bs].contiguous())
               for i in range(nbatches)]

    torch.manual_seed(0)
    model = make_w2().train()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    state = {"i": 0, "loss": 0.0}

    def step():
        x, y = batches[state["i"] % nbatches]
        state["i"] += 1
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        state["loss"] = loss

    med = time_median_ms(step, seconds)
    log(f"W2train: {state['i']} steps, last loss {float(state['loss']):.4f}")
    emit(f"raw workload=W2train peer=pytorch threads={threads} batch=64 "
         f"median_ms={med:.4f} images_per_s={64000.0 / med:.1f}")


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
        bench_inference(threads, ARGS.seconds)
        bench_train(threads, ARGS.seconds)
    except Exception as e:  # noqa: BLE001
        reason = one_line(f"{type(e).__name__}: {e}")[:300]
        log(f"failed: {reason}")
        emit(f"skip peer=pytorch reason={reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
