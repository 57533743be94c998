#!/usr/bin/env python3
"""Training-step timing for the PyTorch peer.

Usage: torch_bench.py WORKLOAD WARMUP STEPS [--bf16]   (WORKLOAD is mlp, cnn32 or cnn128)
       torch_bench.py rate

"rate" times PyTorch's own 1024^3 matrix product (float32, and bfloat16 for information) on the
same threads and names the BLAS library the process loaded, for bench/compare's check that the
peer runs at its library's speed (Debian's PyTorch falls back to the reference BLAS without
libopenblas0-pthread).

--bf16 runs the forward pass and the loss under torch.autocast('cpu', dtype=torch.bfloat16),
PyTorch's CPU mixed precision (bfloat16 products and convolutions, float32 weights, optimizer and
max-norm), and reports the system as pytorch-bf16.

Prints one JSON object on stdout in the format described in docs/performance.md.
"""
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn

THREADS = 2
SEED = 42
POOL = 8          # distinct random batches, cycled
MAX_NORM = 3.0


def workload(name):
    if name == "mlp":
        model = nn.Sequential(
            nn.Dropout(0.2),
            nn.Linear(784, 1024), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(1024, 1024), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(1024, 10))
        return model, 128, (784,)
    if name in ("cnn32", "cnn128"):
        model = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Dropout(0.2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 16 * 16, 512), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(512, 10))
        return model, 32 if name == "cnn32" else 128, (3, 32, 32)
    raise SystemExit(f"unknown workload '{name}', expected mlp, cnn32 or cnn128")


def percentile(sorted_values, q):
    """Linear-interpolated percentile of an ascending list (q in [0, 100])."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def blas_libraries():
    """Resolved paths of the BLAS libraries mapped into this process."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if "blas" in os.path.basename(path):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def rate():
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(SEED)
    out = {"system": "pytorch", "version": torch.__version__, "workload": "rate"}
    for dtype, key in ((torch.float32, ""), (torch.bfloat16, "bf16_")):
        a = torch.rand((1024, 1024), generator=gen).to(dtype)
        b = torch.rand((1024, 1024), generator=gen).to(dtype)
        for _ in range(3):
            a @ b
        rates = []
        for _ in range(15):
            t0 = time.perf_counter_ns()
            a @ b
            rates.append(2 * 1024 ** 3 / (time.perf_counter_ns() - t0))
        rates.sort()
        out[key + "median_gflops"] = round(percentile(rates, 50), 1)
        out[key + "best_gflops"] = round(rates[-1], 1)
    out["blas"] = blas_libraries()
    print(json.dumps(out))


def main(argv):
    if len(argv) == 2 and argv[1] == "rate":
        rate()
        return
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "--bf16"):
        raise SystemExit("usage: torch_bench.py WORKLOAD WARMUP STEPS [--bf16]")
    name, warmup, steps = argv[1], int(argv[2]), int(argv[3])
    bf16 = len(argv) == 5
    if warmup < 0 or steps < 1:
        raise SystemExit(f"need WARMUP >= 0 and STEPS >= 1, received {warmup} and {steps}")
    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    model, batch, feature_shape = workload(name)
    model.train()
    kernels = [m.weight for m in model if isinstance(m, (nn.Linear, nn.Conv2d))]
    gen = torch.Generator().manual_seed(SEED)
    xs = [torch.rand((batch,) + feature_shape, generator=gen) for _ in range(POOL)]
    ys = [torch.randint(0, 10, (batch,), generator=gen) for _ in range(POOL)]
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step(i):
        opt.zero_grad(set_to_none=True)
        if bf16:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = loss_fn(model(xs[i % POOL]), ys[i % POOL])
        else:
            loss = loss_fn(model(xs[i % POOL]), ys[i % POOL])
        loss.backward()
        opt.step()
        with torch.no_grad():
            for w in kernels:
                # max-norm per output unit / filter: dim 0 indexes units in (out, in, ...)
                w.renorm_(2, 0, MAX_NORM)
        return loss

    for i in range(warmup):
        step(i)
    times = []
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(warmup, warmup + steps):
        t0 = time.perf_counter_ns()
        step(i)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ordered = sorted(times)
    median = percentile(ordered, 50)
    print(json.dumps({
        "system": "pytorch-bf16" if bf16 else "pytorch",
        "version": torch.__version__,
        "workload": name,
        "batch": batch,
        "threads": torch.get_num_threads(),
        "warmup": warmup,
        "steps": steps,
        "step_ms": [round(t, 4) for t in times],
        "median_ms": round(median, 4),
        "p10_ms": round(percentile(ordered, 10), 4),
        "p90_ms": round(percentile(ordered, 90), 4),
        "samples_per_s": round(batch * 1000.0 / median, 2),
        "minor_faults_per_step": round((usage.ru_minflt - faults_before) / steps, 2),
        "peak_rss_kb": usage.ru_maxrss,
    }))


if __name__ == "__main__":
    main(sys.argv)
