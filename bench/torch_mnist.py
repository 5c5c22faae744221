#!/usr/bin/python3
"""PyTorch side of bench/mnist.js: one gradient of the original's MNIST network (784-100 relu-10
softmax, biases, mean negative log-likelihood), float64, torch.set_num_threads(1).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_mnist.py DATA.bin N X0.bin CALLS

DATA.bin: N x 784 inputs then N labels, float64 little-endian (written by bench/mnist.js);
X0.bin: the parameters in mlp-gradient-flow's order (per layer [W b] column-major).
Prints one JSON object: median wall and CPU seconds of CALLS timed gradient calls (zero_grad +
forward + cross_entropy + backward) after one warm-up call, the loss and the gradient's 2-norm at x0
(a check that both sides compute the same function), and the torch version.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
DT = torch.float64


def main():
    path, n, xpath, calls = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    raw = np.fromfile(path, dtype="<f8")
    X = torch.from_numpy(raw[: n * 784].reshape(n, 784).copy())
    y = torch.from_numpy(raw[n * 784 : n * 785].astype(np.int64))
    x0 = np.fromfile(xpath, dtype="<f8")
    model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10)).to(DT)
    off = 0
    for layer, (k, nin) in zip([model[0], model[2]], [(100, 784), (10, 100)]):
        block = x0[off : off + k * (nin + 1)].reshape(nin + 1, k).T  # [W b], column-major in x0
        layer.weight.data = torch.from_numpy(block[:, :nin].copy())
        layer.bias.data = torch.from_numpy(block[:, nin].copy())
        off += k * (nin + 1)

    def grad():
        model.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        return loss

    loss = grad()
    gnorm = torch.sqrt(sum((p.grad**2).sum() for p in model.parameters())).item()
    wall, cpu = [], []
    for _ in range(calls):
        t0, c0 = time.perf_counter(), time.process_time()
        grad()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps({"torch": torch.__version__, "wall_s": statistics.median(wall), "cpu_s": statistics.median(cpu), "loss": loss.item(), "gnorm": gnorm}))


if __name__ == "__main__":
    main()
