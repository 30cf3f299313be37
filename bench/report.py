"""Turns the raw lines of bench/run.sh into the bench table, the machine-readable
`bench ...` lines and the verdict on each target of the speed issues; with the deep
workloads (DEEP=1), their table against PyTorch's best and where typenet's time goes.

    python3 bench/report.py RAW_FILE
"""
import statistics
import sys
from collections import defaultdict

# Multiply-adds of one sample's forward pass (bench/PROTOCOL.md); GFLOP/s counts 2 per
# multiply-add of the direct sum, an effective rate for a Winograd kernel, which does
# fewer. Training counts the forward pass and a backward pass of twice its work.
MACS = {
    "W1": 62 * 62 * 32 * 27 + 29 * 29 * 64 * 288 + 12544 * 128 + 128 * 10,
    "W2": 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10,
    "W3": 56 * 56 * 64 * 64 * 9,
}
MACS["W2train"] = 3 * MACS["W2"]
PEERS = ["typenet", "onednn", "pytorch", "pytorch-ofi", "dlib"]
# The deep workloads (bench/PROTOCOL.md), in the order of their table; their FLOPs per
# sample come from typenet's `model` lines.
DEEP_MODELS = ["resnet18", "resnet50", "mobilenet_v2", "googlenet", "vgg16"]
DEEP_TRAINING = "resnet20train"
# Issue 18's bounds on typenet/best PyTorch time at batch 1 (batch 8: 0.9 for each).
DEEP_BATCH1_BOUND = {"resnet18": 0.7, "resnet50": 0.8, "mobilenet_v2": 0.7, "googlenet": 0.7, "vgg16": 0.6}


def fields(line):
    return dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)


def main(path):
    times = defaultdict(list)  # (workload, peer, threads, batch) -> [median_ms per round]
    peak = defaultdict(list)  # (isa, threads) -> [gflops]
    compiles = defaultdict(list)  # program -> [(seconds, peak_mib)]
    skipped = {}
    kinds = defaultdict(lambda: defaultdict(list))  # (workload, threads) -> kind -> [fields per round]
    profiles = defaultdict(list)  # (workload, threads) -> [fields per round]
    model_lines = {}  # workload -> fields of typenet's `model` line
    for line in open(path):
        kind = line.split(" ", 1)[0]
        f = fields(line)
        if kind == "raw" and f.get("workload") == "peak":
            peak[(f["isa"], int(f["threads"]))].append(float(f["gflops"]))
        elif kind == "raw":
            key = (f["workload"], f["peer"], int(f["threads"]), int(f["batch"]))
            times[key].append(float(f["median_ms"]))
        elif kind == "kind":
            kinds[(f["workload"], int(f["threads"]))][f["kind"]].append(f)
        elif kind == "profile":
            profiles[(f["workload"], int(f["threads"]))].append(f)
        elif kind == "model":
            model_lines[f["workload"]] = f
        elif kind == "compile":
            compiles[f["program"]].append((float(f["seconds"]), float(f["peak_mib"])))
        elif kind == "skip":
            skipped[f["peer"]] = line.split("reason=", 1)[-1].strip()

    def peak_of(threads):
        for isa in ("avx512", "avx2"):
            if peak.get((isa, threads)):
                return max(peak[(isa, threads)]), isa
        return None, None

    median = {key: statistics.median(v) for key, v in times.items()}
    for workload, f in model_lines.items():
        MACS[workload] = int(f["flops"]) / 2
    for threads in (1, 2):
        value, isa = peak_of(threads)
        if value:
            print(f"bench workload=peak peer=probe threads={threads} isa={isa} gflops={value:.1f}")
    for (workload, peer, threads, batch), ms in sorted(median.items()):
        line = f"bench workload={workload} peer={peer} threads={threads} batch={batch} median_ms={ms:.4f}"
        if workload in MACS:
            gflops = 2 * MACS[workload] * batch / (ms / 1000) / 1e9
            value, _ = peak_of(threads)
            percent = f"{100 * gflops / value:.1f}" if value else "na"
            line += f" gflops={gflops:.2f} percent_of_peak={percent}"
        if workload in ("W2train", DEEP_TRAINING):
            line += f" images_per_s={1000 * batch / ms:.1f}"
        print(line)
    for peer, reason in sorted(skipped.items()):
        print(f"bench peer={peer} skipped reason={reason}")
    for program, runs in sorted(compiles.items()):
        seconds = statistics.median(r[0] for r in runs)
        mib = statistics.median(r[1] for r in runs)
        print(f"bench compile program={program} seconds={seconds:.2f} peak_mib={mib:.0f}")

    # The table: one row per workload, threads and batch; typenet/peer is a time ratio
    # (below 1: typenet is faster).
    print()
    header = f"{'workload':9} {'thr':>3} {'batch':>5} " + " ".join(f"{p:>11}" for p in PEERS)
    print(header + "   typenet/peer (time)")
    deep = set(DEEP_MODELS) | {DEEP_TRAINING}
    rows = sorted({(w, t, b) for (w, _, t, b) in median if w not in deep})
    for workload, threads, batch in rows:
        cells, ratios = [], []
        mine = median.get((workload, "typenet", threads, batch))
        for peer in PEERS:
            ms = median.get((workload, peer, threads, batch))
            cells.append(f"{ms:11.3f}" if ms is not None else f"{'-':>11}")
            if peer != "typenet" and ms and mine:
                ratios.append(f"{peer} {mine / ms:.2f}")
        print(f"{workload:9} {threads:>3} {batch:>5} " + " ".join(cells) + "   " + ", ".join(ratios))
    print("(median ms per call; W2train: per optimizer step of 64 images)")

    # The targets of the speed issue, each with its number.
    print()
    def get(w, p, t, b):
        return median.get((w, p, t, b))

    def ratio(w, p, t, b):
        a, c = get(w, "typenet", t, b), get(w, p, t, b)
        return a / c if a and c else None

    def verdict(name, value, ok, text):
        state = "n/a" if value is None else ("met" if ok(value) else "MISSED")
        shown = "no measurement" if value is None else text.format(value)
        print(f"target {state:6} {name}: {shown}")

    w3 = get("W3", "typenet", 1, 1)
    p1, _ = peak_of(1)
    verdict("W3 >= 85% of FMA peak (1 thread)", (2 * MACS["W3"] / (w3 / 1000) / 1e9 / p1 * 100) if w3 and p1 else None,
            lambda v: v >= 85, "{:.1f}%")
    for t in (1, 2):
        verdict(f"W3 at least as fast as oneDNN ({t} thread{'s' if t > 1 else ''}, batch 1)", ratio("W3", "onednn", t, 1),
                lambda v: v <= 1.0, "typenet/onednn time {:.2f}")
    w3_2 = get("W3", "typenet", 2, 1)
    verdict("W3 2 threads >= 1.8x 1 thread (batch 1)", w3 / w3_2 if w3 and w3_2 else None, lambda v: v >= 1.8,
            "{:.2f}x")
    for t in (1, 2):
        verdict(f"W1 batch 1 <= 0.8x oneDNN ({t}T)", ratio("W1", "onednn", t, 1), lambda v: v <= 0.8, "{:.2f}")
        verdict(f"W1 batch 1 <= 0.15x PyTorch eager ({t}T)", ratio("W1", "pytorch", t, 1), lambda v: v <= 0.15,
                "{:.2f}")
        verdict(f"W2 batch 1 <= 0.6x oneDNN ({t}T)", ratio("W2", "onednn", t, 1), lambda v: v <= 0.6, "{:.2f}")
        for w in ("W1", "W2"):
            r = ratio(w, "onednn", t, 64)
            verdict(f"{w} batch 64 >= 1.1x oneDNN throughput ({t}T)", 1 / r if r else None, lambda v: v >= 1.1,
                    "{:.2f}x")
    r = ratio("W2train", "pytorch", 1, 64)
    verdict("W2 training >= 3x PyTorch eager (1 thread)", 1 / r if r else None, lambda v: v >= 3, "{:.2f}x")
    mine, theirs = compiles.get("typenet_lenet5_train"), compiles.get("dlib_lenet5_train")
    if mine and theirs:
        s = statistics.median(r[0] for r in mine) / statistics.median(r[0] for r in theirs)
        m = statistics.median(r[1] for r in mine) / statistics.median(r[1] for r in theirs)
        verdict("W2 training program compile time <= 0.8x dlib", s, lambda v: v <= 0.8, "{:.2f}")
        verdict("W2 training program compiler memory <= 0.8x dlib", m, lambda v: v <= 0.8, "{:.2f}")
    if any(w in deep for (w, _, _, _) in median):
        deep_report(median, kinds, profiles, model_lines, verdict)


def best_pytorch(median, workload, threads, batch):
    """PyTorch's faster peer at this configuration: (ms, peer), or (None, None)."""
    found = [(median[(workload, p, threads, batch)], p) for p in ("pytorch", "pytorch-ofi")
             if (workload, p, threads, batch) in median]
    return min(found) if found else (None, None)


def deep_report(median, kinds, profiles, model_lines, verdict):
    # Models against PyTorch's best (eager or optimize_for_inference) at each threads and batch.
    print()
    print(f"{'model':13} {'thr':>3} {'batch':>5} {'typenet':>10} {'pytorch':>10} {'pytorch-ofi':>11} "
          f"{'typenet/best':>12}")
    for workload in DEEP_MODELS:
        for threads in (1, 2):
            for batch in (1, 8):
                mine = median.get((workload, "typenet", threads, batch))
                best, _ = best_pytorch(median, workload, threads, batch)
                if mine is None and best is None:
                    continue
                cells = [median.get((workload, p, threads, batch)) for p in ("typenet", "pytorch", "pytorch-ofi")]
                shown = " ".join(f"{c:10.2f}" if c else f"{'-':>10}" for c in cells[:2])
                shown += f" {cells[2]:11.2f}" if cells[2] else f" {'-':>11}"
                ratio = f"{mine / best:12.2f}" if mine and best else f"{'-':>12}"
                print(f"{workload:13} {threads:>3} {batch:>5} {shown} {ratio}")
    print("(median ms per call of a batch; typenet/best: time over the faster PyTorch peer's)")
    for threads in (1, 2):
        mine = median.get((DEEP_TRAINING, "typenet", threads, 128))
        theirs = median.get((DEEP_TRAINING, "pytorch", threads, 128))
        if mine or theirs:
            shown = [f"{128000 / ms:.1f}" if ms else "-" for ms in (mine, theirs)]
            speedup = f", typenet {theirs / mine:.2f}x PyTorch's" if mine and theirs else ""
            print(f"{DEEP_TRAINING} {threads} thread(s), batch 128: typenet {shown[0]} images/s, "
                  f"PyTorch eager {shown[1]}{speedup}")

    # Where typenet's batch-1 time goes: each kind's steps timed alone (median over rounds).
    for (workload, threads), by_kind in sorted(kinds.items()):
        print()
        runs = profiles.get((workload, threads), [])
        whole = statistics.median(float(f["whole_ms"]) for f in runs) if runs else None
        total = statistics.median(float(f["sum_ms"]) for f in runs) if runs else None
        print(f"{workload}, {threads} thread(s), batch 1: whole pass {whole:.2f} ms, its steps timed alone "
              f"{total:.2f} ms ({total / whole:.2f} of it)" if whole else f"{workload}, {threads} thread(s)")
        print(f"  {'kind':11} {'steps':>5} {'ms':>9} {'share':>6} {'rate':>14}")
        def kind_ms(rounds):
            return statistics.median(float(f["ms"]) for f in rounds)

        for kind, rounds in sorted(by_kind.items(), key=lambda kv: -kind_ms(kv[1])):
            ms = kind_ms(rounds)
            share = statistics.median(float(f["share"]) for f in rounds)
            unit = "gflops" if "gflops" in rounds[0] else "gbps"
            rate = statistics.median(float(f[unit]) for f in rounds)
            shown = f"{rate:8.1f} {'GFLOP/s' if unit == 'gflops' else 'GB/s'}"
            print(f"  {kind:11} {rounds[0]['steps']:>5} {ms:9.3f} {share:6.3f} {shown}")
    if model_lines:
        print()
        for workload in DEEP_MODELS:
            f = model_lines.get(workload)
            if f:
                arena, pair = float(f["arena_mib"]), float(f["largest_pair_mib"])
                bound = pair + float(f["largest_scratch_mib"]) + float(f["largest_shortcut_mib"])
                print(f"{workload}: inference arena {arena:.1f} MiB, largest input+output of a step {pair:.1f} MiB, "
                      f"+ largest scratch + largest shortcut {bound:.1f} MiB; derived weights kept "
                      f"{float(f['kept_mib']):.1f} MiB per thread, parameters {float(f['parameter_mib']):.1f} MiB")
                verdict(f"{workload} arena <= 1.5x (largest in+out + shortcut + scratch)", arena / bound,
                        lambda v: v <= 1.5, "{:.2f}x")

    print()
    for workload in DEEP_MODELS:
        for threads in (1, 2):
            for batch, bound in ((1, DEEP_BATCH1_BOUND[workload]), (8, 0.9)):
                mine = median.get((workload, "typenet", threads, batch))
                best, peer = best_pytorch(median, workload, threads, batch)
                verdict(f"{workload} batch {batch} <= {bound}x PyTorch's best ({threads}T)",
                        mine / best if mine and best else None, lambda v, b=bound: v <= b,
                        "{:.2f}" + (f" ({peer})" if peer else ""))
    mine1 = median.get((DEEP_TRAINING, "typenet", 1, 128))
    theirs1 = median.get((DEEP_TRAINING, "pytorch", 1, 128))
    verdict("ResNet-20 training >= 3x PyTorch eager (1 thread)", theirs1 / mine1 if mine1 and theirs1 else None,
            lambda v: v >= 3, "{:.2f}x")
    mine2 = median.get((DEEP_TRAINING, "typenet", 2, 128))
    verdict("ResNet-20 training 2 threads >= 1.7x 1 thread", mine1 / mine2 if mine1 and mine2 else None,
            lambda v: v >= 1.7, "{:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1])
