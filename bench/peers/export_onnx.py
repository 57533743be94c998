#!/usr/bin/env python3
"""Exports the training comparison's networks to ONNX for bench/predict's ONNX Runtime peer.

Usage: export_onnx.py WORKLOAD OUT.onnx   (WORKLOAD is mlp, cnn32 or cnn128)

The network is torch_bench.py's (the same layers as maxnorm's TrainStepBench; dropout is the
identity at inference), with random weights from seed 42, exported by PyTorch's own exporter
(opset 13, the batch axis dynamic). CNN inputs are channels first, as PyTorch lays them out.
"""
import sys

import torch

from torch_bench import SEED, workload


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: export_onnx.py WORKLOAD OUT.onnx")
    torch.manual_seed(SEED)
    model, _, feature_shape = workload(argv[1])
    model.eval()
    example = torch.rand((1,) + feature_shape)
    torch.onnx.export(model, example, argv[2], input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13)


if __name__ == "__main__":
    main(sys.argv)
