"""Turns the raw lines of bench/run.sh into the bench table, the machine-readable
`bench ...` lines and the verdict on each target of the speed issue.

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


def fields(line):
    return dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)


def main(path):
    times = defaultdict(list)  # (workload, peer, threads, batch) -> [median_ms per round]
    peak = defaultdict(list)  # (isa, threads) -> [gflops]
    compiles = defaultdict(list)  # program -> [(seconds, peak_mib)]
    skipped = {}
    for line in open(path):
        kind = line.split(" ", 1)[0]
        f = fields(line)
        if kind == "raw" and f.get("workload") == "peak":
            peak[(f["isa"], int(f["threads"]))].append(float(f["gflops"]))
        elif kind == "raw":
            key = (f["workload"], f["peer"], int(f["threads"]), int(f["batch"]))
            times[key].append(float(f["median_ms"]))
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
    for threads in (1, 2):
        value, isa = peak_of(threads)
        if value:
            print(f"bench workload=peak peer=probe threads={threads} isa={isa} gflops={value:.1f}")
    for (workload, peer, threads, batch), ms in sorted(median.items()):
        gflops = 2 * MACS[workload] * batch / (ms / 1000) / 1e9
        value, _ = peak_of(threads)
        percent = f"{100 * gflops / value:.1f}" if value else "na"
        line = (f"bench workload={workload} peer={peer} threads={threads} batch={batch} "
                f"median_ms={ms:.4f} gflops={gflops:.2f} percent_of_peak={percent}")
        if workload == "W2train":
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
    rows = sorted({(w, t, b) for (w, _, t, b) in median})
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


if __name__ == "__main__":
    main(sys.argv[1])
