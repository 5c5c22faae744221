#!/usr/bin/python3
"""PyTorch baseline for the mlp-gradient-flow benchmark (DESIGN.md "Performance protocol").

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        /usr/bin/python3 bench/torch_bench.py [--cells all|quick] [--json]

(`bench/bench.js --torch` launches it exactly that way).  OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be
set in some environments and force a slow OpenBLAS kernel for numpy *and* torch (Debian's torch
uses the system libblas = OpenBLAS); the script warns on stderr if it finds them set.

Protocol (the paper's scripts/efficiency.py, float64, torch.set_num_threads(1)):
* D = 2, one softplus hidden layer of k in {10, 50, 100} with biases, linear scalar output with bias
  (P = 41, 201, 401), N in {10, 1e2, 1e3, 1e4, 1e5} (`--cells quick`: N <= 1000).
  - gradient: zero_grad + forward + MSE loss (sum of squares / N) + backward of an nn.Sequential;
  - Hessian: torch.autograd.functional.hessian over the 4 parameter tensors (w1, b1, w2, b2) of a
    functional loss (as the original script; default vectorize=False).
  Each cell reports the MEDIAN seconds per call after a warm-up call; calls are grouped so that one
  timing sample lasts >= 2 ms and the number of samples is adapted so that a cell takes a bounded
  time (gradient <= ~2 s, Hessian ~8 s).  The Hessian warm-up call is timed first: if it takes
  > 60 s (`--hess-limit`) it is aborted (SIGALRM) and the cell reported as skipped (hess_s null,
  hess_note "> 60 s ..."); if it takes > 10 s that single call is the reported value.
* matrix-bound case "mlp64": D = 64, two hidden layers of 64 tanh with biases, 8 linear outputs with
  bias, N = 1e4: median gradient time.  flops = 2 x multiply-adds of the matrix products of forward
  + backward = 2 N (64*64 + 64*64 + 64*8   [forward]
                    + 64*64 + 64*64 + 64*8 [weight gradients]
                    + 64*8 + 64*64         [back-propagated deltas; none to the input])
               = 2 * 22016 * N = 4.4032e8   (bias adds and activations not counted).
* machine reference: numpy float64 1000 x 1000 `a @ b` GFLOP/s (2 n^3 flops), median of 7 after a
  warm-up; plus the BLAS kernel threadpoolctl reports (or, without threadpoolctl, what the loaded
  OpenBLAS itself reports via openblas_get_corename/openblas_get_config).

`--json` prints one JSON object on stdout:
    {"torch", "numpy_gflops", "blas", "env", "cells": [{"k", "N", "P", "grad_s", "hess_s" | null,
     "hess_note", "grad_samples", "hess_samples"}], "mlp64": {"grad_s", "flops", "gflops", ...}}
otherwise a human-readable table.  Progress goes to stderr.
"""
import argparse
import ctypes
import json
import math
import os
import signal
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
DT = torch.float64

GRAD_BUDGET = 2.0    # seconds of timed gradient calls per cell
HESS_BUDGET = 8.0    # seconds of timed Hessian calls per cell
HESS_SKIP = 60.0     # one Hessian call longer than this: not repeated, reported as skipped
HESS_SINGLE = 10.0   # one Hessian call longer than this: that call is the reported value
MIN_SAMPLE = 2e-3    # seconds; calls are grouped so that one timing sample lasts at least this


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class CallTimeout(Exception):
    pass


class time_limit:
    """Raises CallTimeout in the main thread after `seconds` (SIGALRM; no-op where unavailable).
    torch.autograd.functional.hessian (vectorize=False) loops over the P gradient entries in Python,
    so the exception lands within one backward pass."""

    def __init__(self, seconds):
        self.seconds = seconds

    def _raise(self, signum, frame):
        raise CallTimeout()

    def __enter__(self):
        self.ok = hasattr(signal, "setitimer")
        if self.ok:
            self.old = signal.signal(signal.SIGALRM, self._raise)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.ok:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


def median_time(fn, budget, max_samples=51, min_samples=5, first=None):
    """Median seconds per call of fn().  `first` = duration of a warm-up call already made."""
    if first is None:
        t0 = time.perf_counter()
        fn()
        first = time.perf_counter() - t0
    per = first
    if first < 10 * MIN_SAMPLE:
        # calibrate on a second (warm) group: the warm-up call may be much slower than the rest
        number = max(1, int(math.ceil(MIN_SAMPLE / max(first, 1e-7))))
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        per = (time.perf_counter() - t0) / number
    number = max(1, int(math.ceil(MIN_SAMPLE / max(per, 1e-7))))
    nsamp = int(max(min_samples, min(max_samples, budget / max(per * number, 1e-9))))
    if per * number * min_samples > budget:
        nsamp = max(1, int(budget / (per * number)))
    samples = []
    for _ in range(nsamp):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples), nsamp, number


# ----------------------------------------------------------------------------- protocol cells
def make_data(D, N, k, gen):
    inp = torch.randn(N, D, dtype=DT, generator=gen)
    # teacher of the same shape (as the original's setup): softplus layer + linear readout
    tw1 = torch.randn(k, D, dtype=DT, generator=gen)
    tb1 = torch.randn(k, dtype=DT, generator=gen)
    tw2 = torch.randn(1, k, dtype=DT, generator=gen) / math.sqrt(k)
    tb2 = torch.randn(1, dtype=DT, generator=gen)
    targ = nn.functional.softplus(inp @ tw1.T + tb1) @ tw2.T + tb2
    return inp, targ


def bench_cell(k, N, D=2, seed=0):
    gen = torch.Generator().manual_seed(seed)
    inp, targ = make_data(D, N, k, gen)
    torch.manual_seed(seed)
    mlp = nn.Sequential(nn.Linear(D, k, dtype=DT), nn.Softplus(), nn.Linear(k, 1, dtype=DT))
    P = sum(p.numel() for p in mlp.parameters())
    lossf = nn.MSELoss()  # mean over N * Dout = sum of squares / N for Dout = 1

    def grad_once():
        mlp.zero_grad()
        lossf(mlp(inp), targ).backward()

    grad_s, gs, gn = median_time(grad_once, GRAD_BUDGET)

    params = tuple(p.detach().clone() for p in mlp.parameters())  # w1 (k x D), b1, w2 (1 x k), b2

    def loss(w1, b1, w2, b2):
        y = nn.functional.softplus(inp @ w1.T + b1) @ w2.T + b2
        return ((y - targ) ** 2).sum() / N

    def hess_once():
        return torch.autograd.functional.hessian(loss, params)

    t0 = time.perf_counter()
    try:
        with time_limit(HESS_SKIP):
            hess_once()
        first = time.perf_counter() - t0
    except CallTimeout:
        first = math.inf
    if first > HESS_SKIP:
        hess_s, hs = None, 0
        note = (f"> {HESS_SKIP:g} s (skipped; the first call was aborted after {time.perf_counter() - t0:.1f} s)"
                if first == math.inf else f"> {HESS_SKIP:g} s (skipped; one call took {first:.0f} s)")
    elif first > HESS_SINGLE:
        hess_s, note, hs = first, "single call (no repeat: one call > 10 s)", 1
    else:
        hess_s, hs, hn = median_time(hess_once, HESS_BUDGET, max_samples=25, min_samples=3, first=first)
        note = f"median of {hs} samples x {hn} call(s)"
    return {"k": k, "N": N, "P": P, "grad_s": grad_s, "hess_s": hess_s, "hess_note": note,
            "grad_samples": f"median of {gs} samples x {gn} call(s)"}


# ----------------------------------------------------------------------------- mlp64
MLP64_MACS_PER_SAMPLE = (64 * 64 + 64 * 64 + 64 * 8) * 2 + (64 * 8 + 64 * 64)


def bench_mlp64(N=10_000, seed=1):
    gen = torch.Generator().manual_seed(seed)
    inp = torch.randn(N, 64, dtype=DT, generator=gen)
    targ = torch.randn(N, 8, dtype=DT, generator=gen)
    torch.manual_seed(seed)
    mlp = nn.Sequential(nn.Linear(64, 64, dtype=DT), nn.Tanh(), nn.Linear(64, 64, dtype=DT), nn.Tanh(),
                        nn.Linear(64, 8, dtype=DT))

    def grad_once():
        mlp.zero_grad()
        (((mlp(inp) - targ) ** 2).sum() / N).backward()

    grad_s, gs, gn = median_time(grad_once, GRAD_BUDGET)
    flops = 2 * MLP64_MACS_PER_SAMPLE * N
    return {"D": 64, "layers": "64 tanh + b, 64 tanh + b, 8 identity + b", "N": N,
            "P": sum(p.numel() for p in mlp.parameters()), "grad_s": grad_s, "flops": flops,
            "flops_note": "2 x multiply-adds of forward + weight-gradient + delta matrix products "
                          "(22016 per sample; bias adds and activations not counted)",
            "gflops": flops / grad_s / 1e9, "grad_samples": f"median of {gs} samples x {gn} call(s)"}


# ----------------------------------------------------------------------------- machine reference
def numpy_gflops(n=1000, reps=7):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    a @ b
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        a @ b
        ts.append(time.perf_counter() - t0)
    return 2 * n ** 3 / statistics.median(ts) / 1e9


def blas_info():
    try:
        import threadpoolctl
        return {"source": "threadpoolctl",
                "libraries": [{k: v for k, v in d.items() if k in ("internal_api", "version", "architecture",
                                                                   "num_threads", "filepath", "threading_layer")}
                              for d in threadpoolctl.threadpool_info() if d.get("user_api") == "blas"]}
    except ImportError:
        pass
    # fallback: ask the OpenBLAS mapped into this process directly
    try:
        with open("/proc/self/maps") as fh:
            libs = sorted({ln.split()[-1] for ln in fh if "blas" in ln and ".so" in ln})
    except OSError:
        return None
    out = []
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            out.append({"filepath": os.path.realpath(path),
                        "architecture": lib.openblas_get_corename().decode(),
                        "config": lib.openblas_get_config().decode().strip(),
                        "num_threads": lib.openblas_get_num_threads()})
        except (OSError, AttributeError):
            continue
    return {"source": "openblas_get_corename (threadpoolctl not installed)", "libraries": out} if out else None


# ----------------------------------------------------------------------------- main
def main():
    global HESS_SKIP
    ap = argparse.ArgumentParser(description="PyTorch baseline of the mlp-gradient-flow benchmark")
    ap.add_argument("--cells", choices=["all", "quick"], default="all",
                    help="quick = N <= 1000 only")
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument("--hess-limit", type=float, default=HESS_SKIP,
                    help="seconds after which a Hessian call is aborted and the cell reported as "
                         "skipped (default 60)")
    args = ap.parse_args()
    HESS_SKIP = args.hess_limit

    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                          "OMP_NUM_THREADS")}
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if env[k] is not None:
            log(f"warning: {k}={env[k]} is set; OpenBLAS (numpy and torch) may use a slow kernel. "
                "Run via: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 ...")
    if env["OPENBLAS_NUM_THREADS"] != "1":
        log("warning: OPENBLAS_NUM_THREADS is not 1; numpy's matmul may use several threads")

    gf = numpy_gflops()
    blas = blas_info()
    log(f"numpy 1000x1000 matmul: {gf:.2f} GFLOP/s; torch {torch.__version__}, threads {torch.get_num_threads()}")

    Ns = [10, 100, 1000] if args.cells == "quick" else [10, 100, 1000, 10_000, 100_000]
    cells = []
    for k in (10, 50, 100):
        for N in Ns:
            t0 = time.perf_counter()
            c = bench_cell(k, N)
            cells.append(c)
            hs = "skipped" if c["hess_s"] is None else f"{c['hess_s']:.3e} s"
            log(f"k={k:3d} N={N:6d} P={c['P']:3d}: grad {c['grad_s']:.3e} s, hess {hs} "
                f"[cell {time.perf_counter() - t0:.1f} s]")
    m64 = bench_mlp64()
    log(f"mlp64: grad {m64['grad_s']:.3e} s = {m64['gflops']:.2f} GFLOP/s")

    res = {"torch": torch.__version__, "numpy": np.__version__, "numpy_gflops": gf, "blas": blas,
           "env": env, "threads": torch.get_num_threads(), "cells": cells, "mlp64": m64}
    if args.json:
        json.dump(res, sys.stdout)
        print()
        return
    print(f"torch {torch.__version__} (1 thread), float64; numpy dgemm 1000^3: {gf:.2f} GFLOP/s")
    if blas:
        for lib in blas["libraries"]:
            print(f"BLAS ({blas['source']}): {lib.get('architecture')} {lib.get('filepath')}")
    print(f"{'k':>4s} {'N':>7s} {'P':>4s} {'gradient [s]':>13s} {'Hessian [s]':>13s}  note")
    for c in cells:
        hs = f"> {HESS_SKIP:g} s" if c["hess_s"] is None else f"{c['hess_s']:.4e}"
        print(f"{c['k']:4d} {c['N']:7d} {c['P']:4d} {c['grad_s']:13.4e} {hs:>13s}  {c['hess_note']}")
    print(f"mlp64 (D=64, 64 tanh, 64 tanh, 8 linear, N=1e4, P={m64['P']}): gradient {m64['grad_s']:.4e} s, "
          f"{m64['flops']:.4g} flop -> {m64['gflops']:.2f} GFLOP/s "
          f"({m64['gflops'] / gf * 100:.0f} % of dgemm)")


if __name__ == "__main__":
    main()
