"""Runs one workload in PyTorch and prints its time as one JSON line: the PyTorch side of
bench/compare-pytorch.sh, whose optim4j side is org.optim4j.bench.Workloads with the same arguments.

usage: .venv-torch/bin/python bench/torch_workloads.py WORKLOAD [OPTIONS]

  optim  --optimizer Adam|AdamW|SGD|Adagrad|RMSprop --elements N --tensors T
         [--variant default|foreach|fused] [--warmup 20] [--reps 30]
         one optimizer step over N float32 values split into T tensors, state created, gradients fixed
  gemm   --n 1024 [--warmup 3] [--reps 10]              torch.mm of two float32 n x n matrices
  epoch  --model mlp|cnn --data DIR [--train-samples N] [--warmup-batches 50]
         one training epoch of torch_epoch_times.py (batch 100, randperm order, SGD(lr=0.1, momentum=0.9,
         weight_decay=5e-4), loss.item() and the batch accuracy per batch), after a warm-up of a few batches
  all workloads: [--threads 2]

The optimizers' options are those of OptimizerWorkload.java: Adam, AdamW, Adagrad and RMSprop with
PyTorch's defaults, SGD with lr=0.01 and momentum=0.9. --variant default leaves foreach and fused unset
(on CPU PyTorch then runs its single-tensor for-loop), foreach and fused set foreach=True or fused=True.
Output: {"impl": "torch", "workload": ..., <its parameters>, "ms": median, "min_ms": ..., "reps": ...}, ms
being the median over the timed repetitions of the milliseconds per operation (step, product, epoch). As in
Workloads, the warm-up stops after 2 s and the timed repetitions after 3 s once 5 are done.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

sys.dont_write_bytecode = True   # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_epoch_times import cnn, mlp, mnist_train, sgd, train_batches  # noqa: E402

OPTIMIZERS = {
    "Adam": (torch.optim.Adam, {}),
    "AdamW": (torch.optim.AdamW, {}),
    "SGD": (torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
    "Adagrad": (torch.optim.Adagrad, {}),
    "RMSprop": (torch.optim.RMSprop, {}),
}
# bytes read and written per element by one step: θ read and written, g read, each state tensor read and written
STATE_TENSORS = {"Adam": 2, "AdamW": 2, "SGD": 1, "Adagrad": 1, "RMSprop": 1}


WARMUP_SECONDS = 2   # the warm-up stops after this long even if it has not made all its repetitions
TIMED_SECONDS = 3    # the timed repetitions stop after this long once MIN_REPS are done
MIN_REPS = 5         # timed repetitions made whatever the time they take


def timed(op, warmup, reps):
    """As Workloads.time: the median, min and count of the timed repetitions, in ms per operation."""
    warmup_end = time.perf_counter() + WARMUP_SECONDS
    for i in range(warmup):
        if i > 0 and time.perf_counter() >= warmup_end:
            break
        op()
    ms = []
    timed_end = time.perf_counter() + TIMED_SECONDS
    while len(ms) < reps and (len(ms) < MIN_REPS or time.perf_counter() < timed_end):
        start = time.perf_counter()
        op()
        ms.append((time.perf_counter() - start) * 1e3)
    return {"ms": statistics.median(ms), "min_ms": min(ms), "reps": len(ms)}


def optim(a, out):
    cls, options = OPTIMIZERS[a.optimizer]
    out.update(optimizer=a.optimizer, variant=a.variant, elements=a.elements, tensors=a.tensors,
               state_dtype="float32", bytes_per_element=12 + STATE_TENSORS[a.optimizer] * 8)
    if a.variant != "default":
        options = dict(options, **{a.variant: True})
    g = torch.Generator().manual_seed(1234)
    params = []
    for i in range(a.tensors):
        n = a.elements // a.tensors + (1 if i < a.elements % a.tensors else 0)
        p = torch.randn(n, generator=g).requires_grad_()
        p.grad = torch.randn(n, generator=g).mul_(1e-3)
        params.append(p)
    try:
        opt = cls(params, **options)
    except (TypeError, RuntimeError, ValueError) as e:
        out["skipped"] = f"torch.optim.{a.optimizer} rejects {a.variant}=True: {e}"
        return
    for _ in range(2):      # creates the state, as OptimizerWorkload does
        opt.step()
    out.update(timed(opt.step, a.warmup, a.reps))


def gemm(a, out):
    g = torch.Generator().manual_seed(42)
    x = torch.randn(a.n, a.n, generator=g)
    y = torch.randn(a.n, a.n, generator=g)
    out["n"] = a.n
    out.update(timed(lambda: torch.mm(x, y), a.warmup, a.reps))
    out["gflops"] = 2 * a.n ** 3 / (out["ms"] * 1e6)


def epoch(a, out):
    if a.data is None:
        raise SystemExit("torch_workloads.py: epoch needs --data DIR (the full MNIST, scripts/fetch-data.sh)")
    x, y = mnist_train(a.data)
    if a.train_samples is not None:
        x, y = x[:a.train_samples], y[:a.train_samples]
    n = x.shape[0]
    build = {"mlp": mlp, "cnn": cnn}[a.model]
    loss_fn = nn.CrossEntropyLoss()
    out.update(model=a.model, samples=n, warmup_batches=a.warmup_batches)
    torch.manual_seed(0)
    if a.warmup_batches > 0:
        warm = build().train()
        head = torch.arange(min(a.warmup_batches * 100, n))
        train_batches(warm, sgd(warm), loss_fn, x, y, head)
    model = build().train()
    opt = sgd(model)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(2))
    start = time.perf_counter()
    loss_sum, _ = train_batches(model, opt, loss_fn, x, y, perm)
    ms = (time.perf_counter() - start) * 1e3
    out.update(ms=ms, min_ms=ms, reps=1, train_loss=loss_sum / n)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workload", choices=["optim", "gemm", "epoch"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--optimizer", default="Adam", choices=sorted(OPTIMIZERS))
    p.add_argument("--elements", type=int, default=16_000_000)
    p.add_argument("--tensors", type=int, default=1)
    p.add_argument("--variant", default="default", choices=["default", "foreach", "fused"])
    p.add_argument("--n", type=int, default=1024)
    p.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    p.add_argument("--data")
    p.add_argument("--train-samples", type=int)
    p.add_argument("--warmup-batches", type=int, default=50)
    p.add_argument("--warmup", type=int)
    p.add_argument("--reps", type=int)
    a = p.parse_args()
    defaults = {"optim": (20, 30), "gemm": (3, 10), "epoch": (0, 1)}[a.workload]
    a.warmup = defaults[0] if a.warmup is None else a.warmup
    a.reps = defaults[1] if a.reps is None else a.reps
    torch.set_num_threads(a.threads)
    out = {"impl": "torch", "workload": a.workload, "threads": torch.get_num_threads(), "torch": torch.__version__}
    {"optim": optim, "gemm": gemm, "epoch": epoch}[a.workload](a, out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
