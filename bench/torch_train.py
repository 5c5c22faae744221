#!/usr/bin/python3
"""PyTorch / scipy baseline of the mlp-gradient-flow training benchmark (bench/train_bench.js, part b).

What a Python user would run to fit a small softplus MLP to its teacher as precisely as possible:

* ``scipy-bfgs``: ``scipy.optimize.minimize(method="BFGS", jac=True)`` with float64 PyTorch
  gradients (``loss.backward()``), gtol = 1e-300, maxiter = 10**9;
* ``scipy-trust-exact``: ``minimize(method="trust-exact")`` with the same gradient and the exact
  PyTorch Hessian ``torch.autograd.functional.hessian`` (P × P, of the flat parameter vector), gtol = 1e-300;
* ``torch-lbfgs``: ``torch.optim.LBFGS(lr=1, history_size=100, line_search_fn="strong_wolfe")``
  with tolerance_grad = tolerance_change = 0, ``step(closure)`` in chunks of max_iter = 100;
* ``torch-adam``: ``torch.optim.Adam`` full batch, lr from the problem file (a small sweep on these
  problems picked it; see bench/TRAIN_RESULTS.md).

Loss = mean over samples of the squared error summed over outputs, no 1/2 (the package's convention).
Every method is timed from its start (after the data are on the tensors) until the loss of any
evaluation first reaches <= threshold (the package likewise stops on its best evaluation), or until
the wall-clock budget; then it reports the best loss seen.  One thread: torch.set_num_threads(1).

Input (``--problems FILE``, written by train_bench.js): JSON
    {"threshold": 1e-20, "budget": 60, "adam_lr": 1e-3, "methods": [...] (optional),
     "problems": [{"name", "layers": [[k, "softplus", true], [1, "identity", true]],
                   "input": [[...], ...] (N x D), "target": [[...], ...] (N x 1), "x0": [...]}]}
``x0`` uses the package's parameter order (MLPGradientFlow.jl's): layer by layer the k x (n_in + 1)
matrix [W b] flattened column-major.

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \\
        /usr/bin/python3 bench/torch_train.py --problems FILE [--json]

``--json`` prints one JSON object on stdout:
    {"torch", "scipy", "numpy", "threads", "results": [{"problem", "method", "reached", "time_s",
      "loss", "evals", "hess_evals", "iterations", "stopped_by", "settings"}]}
otherwise a human-readable table.  Progress goes to stderr.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import scipy
import scipy.optimize
import torch

torch.set_num_threads(1)
DT = torch.float64
METHODS = ("scipy-bfgs", "scipy-trust-exact", "torch-lbfgs", "torch-adam")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Done(Exception):
    """Raised inside an objective to end a run (threshold reached or budget spent)."""


class Problem:
    """Data, the flat-vector loss of a one-hidden-layer softplus MLP with biases and a linear output
    with bias, and the bookkeeping of one timed run (best loss, first time <= threshold)."""

    def __init__(self, spec, threshold, budget):
        (k, act, b1), (kout, act2, b2) = spec["layers"]
        assert act == "softplus" and act2 == "identity" and b1 and b2, "only softplus + identity with biases"
        self.inp = torch.tensor(spec["input"], dtype=DT)
        self.targ = torch.tensor(spec["target"], dtype=DT)
        self.N, self.D = self.inp.shape
        self.k = k
        self.kout = self.targ.shape[1]
        self.P = k * (self.D + 1) + self.kout * (k + 1)
        self.x0 = np.array(spec["x0"], dtype=np.float64)
        assert self.x0.shape == (self.P,), f"x0 has {self.x0.shape} entries, expected {self.P}"
        self.threshold, self.budget = threshold, budget

    def unflatten(self, x):
        """W1 (k x D), b1 (k), W2 (kout x k), b2 (kout) from the column-major [W b] blocks."""
        k, D, ko = self.k, self.D, self.kout
        n1 = k * (D + 1)
        m1 = x[:n1].reshape(D + 1, k).T  # column-major k x (D+1)
        m2 = x[n1:].reshape(k + 1, ko).T
        return m1[:, :D], m1[:, D], m2[:, :k], m2[:, k]

    def loss_t(self, x):
        w1, b1, w2, b2 = self.unflatten(x)
        y = torch.nn.functional.softplus(self.inp @ w1.T + b1) @ w2.T + b2
        return ((y - self.targ) ** 2).sum() / self.N

    # -- bookkeeping of a timed run
    def start(self):
        self.t0 = time.perf_counter()
        self.best = math.inf
        self.reached = None
        self.evals = 0
        self.hevals = 0

    def record(self, loss):
        self.evals += 1
        if loss < self.best:
            self.best = loss
        if self.reached is None and loss <= self.threshold:
            self.reached = time.perf_counter() - self.t0
            raise Done("threshold")
        if time.perf_counter() - self.t0 > self.budget:
            raise Done("budget")

    # -- numpy interface for scipy
    def fg(self, x):
        xt = torch.tensor(x, dtype=DT, requires_grad=True)
        loss = self.loss_t(xt)
        loss.backward()
        lv = loss.item()
        self.record(lv)
        return lv, xt.grad.numpy().copy()

    def hess(self, x):
        self.hevals += 1
        h = torch.autograd.functional.hessian(self.loss_t, torch.tensor(x, dtype=DT))
        if time.perf_counter() - self.t0 > self.budget:
            raise Done("budget")
        return h.numpy()


def run(prob, method, adam_lr):
    prob.start()
    it = [0]
    stopped, settings = "", ""

    def cb(*_):
        it[0] += 1

    try:
        if method == "scipy-bfgs":
            settings = "gtol=1e-300, maxiter=1e9"
            r = scipy.optimize.minimize(prob.fg, prob.x0, jac=True, method="BFGS", callback=cb,
                                        options={"gtol": 1e-300, "maxiter": 10 ** 9})
            stopped = f"scipy: {r.message}"
        elif method == "scipy-trust-exact":
            settings = "gtol=1e-300, maxiter=1e9, Hessian: torch.autograd.functional.hessian"
            r = scipy.optimize.minimize(prob.fg, prob.x0, jac=True, hess=prob.hess, method="trust-exact",
                                        callback=cb, options={"gtol": 1e-300, "maxiter": 10 ** 9})
            stopped = f"scipy: {r.message}"
        elif method == "torch-lbfgs":
            settings = "lr=1, history_size=100, strong_wolfe, tolerance_grad=tolerance_change=0, max_iter=100 per step()"
            x = torch.tensor(prob.x0, dtype=DT, requires_grad=True)
            opt = torch.optim.LBFGS([x], lr=1, max_iter=100, history_size=100, tolerance_grad=0,
                                    tolerance_change=0, line_search_fn="strong_wolfe")

            def closure():
                opt.zero_grad()
                loss = prob.loss_t(x)
                loss.backward()
                prob.record(loss.item())
                return loss

            last = None
            while True:
                opt.step(closure)
                it[0] = opt.state[opt._params[0]]["n_iter"]
                # LBFGS.step returns early (without error) once it cannot move; stop when stuck
                if last is not None and torch.equal(last, x.detach()):
                    stopped = "no progress (LBFGS step returned without moving)"
                    break
                last = x.detach().clone()
        elif method == "torch-adam":
            settings = f"lr={adam_lr:g}, betas=(0.9, 0.999), eps=1e-8, full batch"
            x = torch.tensor(prob.x0, dtype=DT, requires_grad=True)
            opt = torch.optim.Adam([x], lr=adam_lr)
            while True:
                opt.zero_grad()
                loss = prob.loss_t(x)
                loss.backward()
                prob.record(loss.item())
                opt.step()
                it[0] += 1
        else:
            raise ValueError(method)
    except Done as e:
        stopped = "loss <= threshold" if str(e) == "threshold" else f"budget {prob.budget:g} s"
    wall = time.perf_counter() - prob.t0
    return {"method": method, "reached": prob.reached is not None,
            "time_s": prob.reached if prob.reached is not None else wall, "loss": prob.best,
            "evals": prob.evals, "hess_evals": prob.hevals, "iterations": it[0], "stopped_by": stopped,
            "settings": settings}


def main():
    ap = argparse.ArgumentParser(description="PyTorch/scipy baseline of the training benchmark")
    ap.add_argument("--problems", required=True, help="JSON file written by bench/train_bench.js")
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument("--methods", default=None, help="comma-separated subset of " + ",".join(METHODS))
    args = ap.parse_args()
    with open(args.problems) as fh:
        spec = json.load(fh)
    methods = args.methods.split(",") if args.methods else spec.get("methods", METHODS)
    threshold, budget = spec.get("threshold", 1e-20), spec.get("budget", 60)
    adam_lr = spec.get("adam_lr", 1e-3)
    log(f"torch {torch.__version__}, scipy {scipy.__version__}, threads {torch.get_num_threads()}")
    results = []
    for p in spec["problems"]:
        prob = Problem(p, threshold, budget)
        xw = torch.tensor(prob.x0, dtype=DT, requires_grad=True)  # warm-up (not timed)
        prob.loss_t(xw).backward()
        for m in methods:
            r = run(prob, m, adam_lr)
            r["problem"] = p["name"]
            results.append(r)
            log(f"{p['name']} {m}: {'reached' if r['reached'] else 'NOT reached'} in {r['time_s']:.3f} s, "
                f"loss {r['loss']:.3e}, {r['evals']} evals, {r['hess_evals']} Hessians, {r['iterations']} it, "
                f"{r['stopped_by']}")
    res = {"torch": torch.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
           "threads": torch.get_num_threads(), "threshold": threshold, "budget": budget, "results": results}
    if args.json:
        json.dump(res, sys.stdout)
        print()
        return
    print(f"torch {torch.__version__}, scipy {scipy.__version__} (1 thread), float64; "
          f"time to loss <= {threshold:g} (budget {budget:g} s)")
    print(f"{'problem':>10s} {'method':>18s} {'time [s]':>10s} {'loss':>10s} {'evals':>7s} {'hess':>6s}  stopped by")
    for r in results:
        t = (f"{r['time_s']:.3f}" if r["reached"] else f">{budget:g}" if r["time_s"] >= budget - 0.5
             else "never")
        print(f"{r['problem']:>10s} {r['method']:>18s} {t:>10s} {r['loss']:10.2e} {r['evals']:7d} "
              f"{r['hess_evals']:6d}  {r['stopped_by']}")


if __name__ == "__main__":
    main()
