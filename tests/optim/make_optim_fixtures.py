#!/usr/bin/python3
"""Writes tests/optim/optim.bin, PyTorch's reference for the tests of include/typenet/optim/.

Run with Debian's PyTorch 1.13 (it is the only one importable here):

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/optim/make_optim_fixtures.py

Optimizers: every case starts from the same seeded float64 parameter vector (37 values)
and applies the same 20 seeded float64 gradients, one per step, with torch.optim's own
optimizer; the parameters after every step are recorded. The gradients do not depend on
the parameters (the optimizers work element by element, so any sequence will do); their
scale changes from step to step, so that AMSGrad's running maximum matters. Each case
has a twin of the same name in tests/optim/<optimizer>_test.cpp with the same options.

Schedules: torch's scheduler drives a dummy SGD optimizer for 30 epochs; the learning rate
of epoch e is the optimizer's after e calls of scheduler.step() (epoch 0 is base_lr). This
records torch's recursive formulas (what training sees), not its closed forms.

ATen runs its portable kernels (ATEN_CPU_CAPABILITY=default): the AVX2 kernels fuse
multiply-adds and so change the last bit of some values, which would make the file
depend on the machine that wrote it. main() prints how far the AVX2 results are.

File format, all little-endian:

    magic          4 bytes  "TNOP"
    version        u32      1
    n              u32      parameters (37)
    steps          u32      steps per optimizer case (20)
    initial        n float64
    gradients      steps * n float64, step after step
    case_count     u32
    then per optimizer case:
        name_len   u32, then name_len bytes of ASCII
        params     steps * n float64: the parameters after step 1, 2, ..., steps
    schedule_count u32
    then per schedule case:
        name_len   u32, then name_len bytes of ASCII
        base_lr    float64
        epochs     u32
        lr         epochs float64: the learning rate of epoch 0, 1, ..., epochs - 1
"""

import math
import os
import struct
import subprocess
import sys

# Read by ATen when it first dispatches a kernel, so it is set before torch is imported.
os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")

import torch  # noqa: E402

N = 37
STEPS = 20
EPOCHS = 30
SEED = 2023

# name -> (torch optimizer class, its options). Only what differs from torch's defaults.
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    "sgd_nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_weight_decay": (torch.optim.SGD, dict(lr=0.1, weight_decay=0.1)),
    "sgd_dampening": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.5)),
    "sgd_nesterov_weight_decay": (torch.optim.SGD, dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "adam": (torch.optim.Adam, dict()),
    "adam_weight_decay": (torch.optim.Adam, dict(lr=0.01, weight_decay=0.1)),
    "adam_amsgrad": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict()),
    "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.01, betas=(0.85, 0.995), weight_decay=0.1, amsgrad=True)),
    "rmsprop": (torch.optim.RMSprop, dict()),
    "rmsprop_momentum": (torch.optim.RMSprop, dict(momentum=0.9)),
    "rmsprop_centered": (torch.optim.RMSprop, dict(centered=True)),
    "rmsprop_weight_decay": (torch.optim.RMSprop, dict(lr=0.005, alpha=0.9, weight_decay=0.1)),
    "rmsprop_centered_momentum": (torch.optim.RMSprop, dict(alpha=0.95, eps=1e-6, momentum=0.5, centered=True,
                                                            weight_decay=0.01)),
}

# name -> (base_lr, function making torch's scheduler for an optimizer).
SCHEDULES = {
    "step_lr": (0.1, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.3)),
    "multi_step_lr": (0.1, lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[4, 11, 23], gamma=0.3)),
    # Past t_max the cosine climbs back: 30 epochs cross t_max and 2 t_max (and take the
    # branch torch uses at t_max + 1, where its ratio of cosines would divide by zero).
    "cosine_annealing": (0.1, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    "cosine_annealing_to_0": (0.05, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7)),
}


def inputs():
    """The initial parameters and the gradients, from one seeded generator."""
    g = torch.Generator().manual_seed(SEED)
    initial = torch.randn(N, generator=g, dtype=torch.float64)
    scales = torch.exp(torch.randn(STEPS, 1, generator=g, dtype=torch.float64))
    gradients = scales * torch.randn(STEPS, N, generator=g, dtype=torch.float64)
    return initial, gradients


def trajectory(make, options, initial, gradients):
    """The parameters after every step, as torch.optim computes them."""
    p = torch.nn.Parameter(initial.clone())
    optimizer = make([p], **options)
    out = []
    for g in gradients:
        p.grad = g.clone()
        optimizer.step()
        out.append(p.detach().clone())
    return torch.stack(out)


def schedule(base_lr, make):
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=base_lr)
    scheduler = make(optimizer)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def cosine_closed_form(base_lr, eta_min, t_max, epoch):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / t_max)) / 2


def check_cases(initial, gradients, trajectories, lrs):
    """Each case must exercise what it is named after, or its test proves nothing."""
    def differ(a, b):
        return not torch.equal(trajectories[a], trajectories[b])

    for a, b in [("sgd_momentum", "sgd_nesterov"), ("sgd_momentum", "sgd_dampening"),
                 ("adam", "adamw")]:
        assert differ(a, b), f"{a} and {b} give the same parameters"
    no_amsgrad = trajectory(torch.optim.Adam, dict(OPTIMIZERS["adam_amsgrad"][1], amsgrad=False), initial, gradients)
    assert not torch.equal(no_amsgrad, trajectories["adam_amsgrad"]), "amsgrad changes nothing"
    for name, t in trajectories.items():
        assert t.dtype == torch.float64 and torch.isfinite(t).all(), name
    # torch's recursive cosine equals its closed form, past t_max too, up to rounding.
    for name, eta_min, t_max in [("cosine_annealing", 0.001, 10), ("cosine_annealing_to_0", 0.0, 7)]:
        base_lr = SCHEDULES[name][0]
        worst = max(abs(lr - cosine_closed_form(base_lr, eta_min, t_max, e)) / (lr or 1)
                    for e, lr in enumerate(lrs[name]))
        assert worst < 1e-13, f"{name}: torch's recursion is {worst} from the closed form"
        print(f"{name}: recursion vs closed form, largest relative difference {worst:.2e}")


def avx2_distance(trajectories):
    """How far ATen's AVX2 kernels take each case, for the record: this script again, in
    a child process with ATEN_CPU_CAPABILITY=avx2, prints its trajectories."""
    env = dict(os.environ, ATEN_CPU_CAPABILITY="avx2")
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--print-trajectories"], env=env, check=True,
                         capture_output=True, text=True).stdout
    distance = {}
    for line in out.splitlines():
        name, *values = line.split()
        avx2 = torch.tensor([float.fromhex(v) for v in values], dtype=torch.float64)
        t = trajectories[name].flatten()
        distance[name] = ((avx2 - t).abs() / t.abs().clamp(min=1)).max().item()
    return distance


def write_name(f, name):
    encoded = name.encode("ascii")
    f.write(struct.pack("<I", len(encoded)))
    f.write(encoded)


def write_f64(f, values):
    values = [float(v) for v in values]
    f.write(struct.pack(f"<{len(values)}d", *values))


def all_trajectories():
    initial, gradients = inputs()
    return {name: trajectory(make, options, initial, gradients) for name, (make, options) in OPTIMIZERS.items()}


def main():
    assert os.environ["ATEN_CPU_CAPABILITY"] == "default", "run without ATEN_CPU_CAPABILITY (see the docstring)"
    initial, gradients = inputs()
    trajectories = all_trajectories()
    lrs = {name: schedule(base_lr, make) for name, (base_lr, make) in SCHEDULES.items()}
    check_cases(initial, gradients, trajectories, lrs)

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim.bin")
    with open(path, "wb") as f:
        f.write(b"TNOP")
        f.write(struct.pack("<III", 1, N, STEPS))
        write_f64(f, initial.tolist())
        write_f64(f, gradients.flatten().tolist())
        f.write(struct.pack("<I", len(trajectories)))
        for name, t in trajectories.items():
            write_name(f, name)
            write_f64(f, t.flatten().tolist())
        f.write(struct.pack("<I", len(lrs)))
        for name, values in lrs.items():
            write_name(f, name)
            write_f64(f, [SCHEDULES[name][0]])
            f.write(struct.pack("<I", len(values)))
            write_f64(f, values)

    for name, distance in avx2_distance(trajectories).items():
        print(f"{name:28} with AVX2 kernels: at most {distance:.1e} away (relative; absolute where |p| < 1)")
    print(f"{len(trajectories)} optimizer cases, {len(lrs)} schedules, {os.path.getsize(path)} bytes -> {path}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--print-trajectories"]:
        for name, t in all_trajectories().items():
            print(name, *(v.hex() for v in t.flatten().tolist()))
    else:
        main()
