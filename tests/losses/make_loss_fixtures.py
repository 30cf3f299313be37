#!/usr/bin/python3
"""Writes tests/losses/pytorch_fixtures.hpp, the PyTorch reference for the loss tests.

Run with Debian's PyTorch (it is the only one importable here), from the repository root:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/losses/make_loss_fixtures.py

Each case is a batch of network outputs and targets, the loss PyTorch computes for it in
float64 with its default reduction ('mean'), and d(loss)/d(outputs) from autograd:

    softmax_cross_entropy              F.cross_entropy, with class indices and with
                                       class probabilities as targets
    mean_squared_error                 F.mse_loss
    binary_cross_entropy_with_logits   F.binary_cross_entropy_with_logits

Some cases hold logits of ±1000, where a naive exp overflows, to check stability. Torch
is seeded per case (from the case's name, so adding a case changes no other). Values are
written with repr(), which reads back as the same double.
"""

import os
import zlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

CLASSES = 5  # softmax_cross_entropy<CLASSES>
MSE_SIZE = 6  # mean_squared_error<MSE_SIZE>
BCE_SIZE = 4  # binary_cross_entropy_with_logits<BCE_SIZE>


def seeded(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def with_gradient(loss_of, outputs):
    """The loss at `outputs` and its gradient, by autograd."""
    x = outputs.clone().requires_grad_(True)
    loss = loss_of(x)
    loss.backward()
    return loss.item(), x.grad


# --- The cases ----------------------------------------------------------------------------
# Each returns (outputs, targets or labels) of shape (batch, size).

def logits(batch, scale=2.0):
    return torch.randn(batch, CLASSES) * scale


def large_logits():
    # Differences of 2000 between logits: exp overflows unless the maximum is subtracted.
    return torch.tensor([[1000.0, -1000.0, 0.0, 999.0, -5.0],
                         [-1000.0, -1000.0, -1000.0, -1000.0, -1000.0],
                         [1000.0, 1000.0, -1000.0, 0.0, 3.0]])


def probabilities(batch):
    return torch.softmax(torch.randn(batch, CLASSES), dim=1)


LABEL_CASES = [
    ("one_sample", lambda: (logits(1), torch.tensor([3]))),
    ("batch_of_4", lambda: (logits(4), torch.randint(0, CLASSES, (4,)))),
    ("large_logits", lambda: (large_logits(), torch.tensor([1, 2, 0]))),
]

PROBABILITY_CASES = [
    ("one_sample", lambda: (logits(1), probabilities(1))),
    ("batch_of_3_with_one_hot", lambda: (logits(3), torch.cat([probabilities(2), F.one_hot(
        torch.tensor([4]), CLASSES).double()]))),
    ("large_logits", lambda: (large_logits(), probabilities(3))),
    # PyTorch does not ask probabilities to sum to 1; neither does typenet.
    ("not_normalised", lambda: (logits(2), probabilities(2) * torch.tensor([[0.5], [2.0]]))),
]

MSE_CASES = [
    ("one_sample", lambda: (torch.randn(1, MSE_SIZE), torch.randn(1, MSE_SIZE))),
    ("batch_of_3", lambda: (torch.randn(3, MSE_SIZE) * 3, torch.randn(3, MSE_SIZE))),
]

BCE_CASES = [
    ("one_sample", lambda: (torch.randn(1, BCE_SIZE) * 2, torch.tensor([[0.0, 1.0, 1.0, 0.0]]))),
    ("batch_of_3_soft_targets", lambda: (torch.randn(3, BCE_SIZE) * 2, torch.rand(3, BCE_SIZE))),
    ("large_logits", lambda: (torch.tensor([[1000.0, -1000.0, 30.0, -30.0],
                                            [-1000.0, 1000.0, 0.0, 1e-3]]),
                              torch.tensor([[0.0, 1.0, 1.0, 0.0],
                                            [0.0, 1.0, 0.5, 0.25]]))),
]


# --- C++ --------------------------------------------------------------------------------------

def cxx_array(name, kind, values):
    text = ", ".join(repr(float(v)) if kind == "double" else str(int(v)) for v in values)
    return f"inline constexpr {kind} {name}[] = {{{text}}};\n"


def write_set(out, set_name, cases, loss_of, labels):
    """One std::array of loss_case named `set_name`, and the arrays it points at."""
    entries = []
    for case_name, make in cases:
        seeded(f"{set_name}/{case_name}")
        outputs, targets = make()
        loss, grad = with_gradient(lambda x: loss_of(x, targets), outputs)
        prefix = f"{set_name}_{case_name}"
        out.write(cxx_array(prefix + "_outputs", "double", outputs.flatten().tolist()))
        if labels:
            out.write(cxx_array(prefix + "_labels", "std::uint8_t", targets.tolist()))
            target_fields = f"{{}}, {prefix}_labels"
        else:
            out.write(cxx_array(prefix + "_targets", "double", targets.flatten().tolist()))
            target_fields = f"{prefix}_targets, {{}}"
        out.write(cxx_array(prefix + "_grad", "double", grad.flatten().tolist()))
        entries.append(f'    loss_case{{"{case_name}", {prefix}_outputs, {target_fields}, {loss!r}, {prefix}_grad}},\n')
    out.write(f"inline constexpr std::array<loss_case, {len(entries)}> {set_name}{{{{\n")
    out.writelines(entries)
    out.write("}};\n\n")


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_fixtures.hpp")
    with open(path, "w") as out:
        out.write(f"""// Generated by tests/losses/make_loss_fixtures.py from PyTorch {torch.__version__} in float64:
// do not edit, run the script again.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace fixtures {{

/// A batch: the outputs, either targets (one per output) or labels (one per sample), and
/// PyTorch's mean loss with its gradient with respect to the outputs.
struct loss_case {{
    std::string_view name;
    std::span<const double> outputs;
    std::span<const double> targets;
    std::span<const std::uint8_t> labels;
    double loss;
    std::span<const double> grad_outputs;
}};

inline constexpr std::size_t softmax_cross_entropy_classes = {CLASSES};
inline constexpr std::size_t mean_squared_error_size = {MSE_SIZE};
inline constexpr std::size_t binary_cross_entropy_with_logits_size = {BCE_SIZE};

""")
        write_set(out, "softmax_cross_entropy_labels", LABEL_CASES, F.cross_entropy, labels=True)
        write_set(out, "softmax_cross_entropy_probabilities", PROBABILITY_CASES, F.cross_entropy, labels=False)
        write_set(out, "mean_squared_error", MSE_CASES, F.mse_loss, labels=False)
        write_set(out, "binary_cross_entropy_with_logits", BCE_CASES, F.binary_cross_entropy_with_logits,
                  labels=False)
        out.write("}  // namespace fixtures\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
