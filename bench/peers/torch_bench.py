#!/usr/bin/env python3
"""Training-step timing for the PyTorch peer.

Usage: torch_bench.py WORKLOAD WARMUP STEPS   (WORKLOAD is mlp, cnn32 or cnn128)

Prints one JSON object on stdout in the format described in docs/performance.md.
"""
import json
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


def main(argv):
    if len(argv) != 4:
        raise SystemExit("usage: torch_bench.py WORKLOAD WARMUP STEPS")
    name, warmup, steps = argv[1], int(argv[2]), int(argv[3])
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
        "system": "pytorch",
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
