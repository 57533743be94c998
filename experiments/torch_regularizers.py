#!/usr/bin/python3
"""The dropout + max-norm recipe of the `regularizers` experiment, in PyTorch.

Same data (the Fashion-MNIST IDX .gz files, pixels / 255), same network (784-1024-1024-10 ReLU,
dropout 0.2 on the input and 0.5 after each hidden layer, inverted), same initialization (Keras
glorot_uniform kernels, zero biases), same optimizer (SGD, momentum 0.95, constant learning rate,
batch 100), same epochs, and max-norm applied after every step with torch.renorm over each output
unit's incoming weights (dim 0 of the (out, in) weight), on every Linear layer.

Writes one CSV row per seed in the format of the Java experiments' runs CSV, and a per-epoch
history in long form, so the two can be read side by side.

    OMP_NUM_THREADS=2 /usr/bin/python3 experiments/torch_regularizers.py \
        --lr 0.1 --max-norm 3 --epochs 2 --seeds 3 --out docs/experiments
"""
import argparse
import gzip
import math
import os
import struct
import time

# Idle OpenMP threads sleep instead of spinning: on a machine shared with other jobs, spinning
# threads slow every step many times over. Must be set before torch loads its OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack(">I", raw[:4])[0]
    rank = magic & 0xFF
    if (magic >> 8) != 0x08:
        raise ValueError(f"{path}: expected unsigned-byte IDX data, magic {magic:#x}")
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} values for dims {dims}")
    return data.reshape(dims)


def load(data_dir, train_size):
    xtr = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))
    xte = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))
    if train_size > 0:
        xtr, ytr = xtr[:train_size], ytr[:train_size]

    def prep(x, y):
        return (torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / 255.0),
                torch.from_numpy(y.astype(np.int64)))

    return prep(xtr, ytr), prep(xte, yte)


class Mlp(nn.Module):
    def __init__(self, hidden, input_rate, hidden_rate):
        super().__init__()
        sizes = [784] + list(hidden) + [10]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.input_rate = input_rate
        self.hidden_rate = hidden_rate
        for layer in self.layers:
            # Keras glorot_uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)); zero biases.
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        h = F.dropout(x, self.input_rate, self.training)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i < len(self.layers) - 1:
                h = F.dropout(F.relu(h), self.hidden_rate, self.training)
        return h  # logits; the softmax is inside the cross-entropy


def max_unit_norm(model):
    return max(layer.weight.detach().norm(dim=1).max().item() for layer in model.layers)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--max-norm", type=float, required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--momentum", type=float, default=0.95)
    p.add_argument("--hidden", type=int, nargs="+", default=[1024, 1024])
    p.add_argument("--train-size", type=int, default=0, help="first N training samples; 0 = all")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=DATA)
    p.add_argument("--out", default="runs/experiments")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    (xtr, ytr), (xte, yte) = load(a.data, a.train_size)
    os.makedirs(a.out, exist_ok=True)
    name = "torch-regularizers"
    config = f"torch dropout+maxnorm lr={a.lr:g} c={a.max_norm:g}"
    runs = open(os.path.join(a.out, name + ".csv"), "w")
    hist = open(os.path.join(a.out, name + "-history.csv"), "w")
    runs.write("experiment,config,seed,epochs,final_loss,diverged_at,test_accuracy,"
               "max_unit_norm,wall_seconds\n")
    hist.write("experiment,config,seed,epoch,key,value\n")
    n = len(xtr)
    steps = math.ceil(n / a.batch)
    for seed in range(1, a.seeds + 1):
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        model = Mlp(a.hidden, 0.2, 0.5)
        # PyTorch's momentum (b = m b + g; w -= lr b) equals Keras's (v = m v - lr g; w += v) at a
        # constant learning rate.
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
        t0 = time.time()
        diverged = ""
        done = 0
        loss_avg = float("nan")
        for epoch in range(a.epochs):
            model.train()
            order = torch.randperm(n, generator=gen)
            total, correct = 0.0, 0
            for step in range(steps):
                idx = order[step * a.batch:(step + 1) * a.batch]
                x, y = xtr[idx], ytr[idx]
                opt.zero_grad()
                out = model(x)
                loss = F.cross_entropy(out, y)
                if not torch.isfinite(loss):
                    diverged = f"{epoch + 1}:{step + 1}"
                    break
                loss.backward()
                opt.step()
                with torch.no_grad():
                    for layer in model.layers:
                        layer.weight.copy_(torch.renorm(layer.weight, 2, 0, a.max_norm))
                total += loss.item() * len(y)
                correct += (out.argmax(1) == y).sum().item()
            done = epoch + 1
            loss_avg = total / n if not diverged else float("nan")
            for key, v in (("loss", loss_avg), ("accuracy", correct / n),
                           ("max_unit_norm", max_unit_norm(model))):
                hist.write(f"{name},{config},{seed},{epoch + 1},{key},{v:.6g}\n")
            hist.flush()
            if diverged:
                break
        model.eval()
        with torch.no_grad():
            acc = sum((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                      for i in range(0, len(xte), 1000)) / len(xte)
        secs = time.time() - t0
        row = (f"{name},{config},{seed},{done},{loss_avg:.6g},{diverged},{acc:.6g},"
               f"{max_unit_norm(model):.6g},{secs:.1f}")
        runs.write(row + "\n")
        runs.flush()
        print(row, flush=True)
    runs.close()
    hist.close()


if __name__ == "__main__":
    main()
