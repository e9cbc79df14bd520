"""Optimizer steps of optim4j and PyTorch measured side by side, interleaved (A B A B ...).

Run from the repository root after `mvn -q -B -o -pl optim4j-optim -am test-compile`:

    .venv-torch/bin/python optim4j-optim/src/test/python/optimizer_steps.py [--rounds 7] [--steps 20] [--jvm-arg ...]

The optim4j side is org.optim4j.optim.perf.StepTiming, a JVM kept alive for the whole run and driven over
its standard input, so that both sides are warm and every round times optim4j, then PyTorch's default
(single-tensor on CPU), foreach and fused paths, one after the other on the same machine state. Prints the
median over rounds of each side's median milliseconds per step (and, in parentheses, the best single step of
all rounds), and the ratio PyTorch / optim4j (above 1: optim4j is faster) as the median over rounds of each
round's ratio (and, in parentheses, the ratio of the best steps). "torch" is PyTorch's single-tensor path (foreach=False, its CPU default).
"""
import argparse
import glob
import os
import statistics
import subprocess
import time

import torch

CONFIGS = [
    # name, optimizer, tensors, elements per tensor, options (PyTorch keywords), optim4j-only options
    ("Adam 1x16M", "Adam", 1, 16_000_000, {"lr": 1e-3}, {}),
    ("Adam 200x80k", "Adam", 200, 80_000, {"lr": 1e-3}, {}),
    ("AdamW 1x16M", "AdamW", 1, 16_000_000, {"lr": 1e-3}, {}),
    ("AdamW 200x80k", "AdamW", 200, 80_000, {"lr": 1e-3}, {}),
    ("SGDm 1x16M", "SGD", 1, 16_000_000, {"lr": 1e-3, "momentum": 0.9}, {}),
    ("SGDm 200x80k", "SGD", 200, 80_000, {"lr": 1e-3, "momentum": 0.9}, {}),
    # bfloat16 moments (optim4j's state_dtype) against PyTorch's float32 state
    ("Adam-bf16 1x16M", "Adam", 1, 16_000_000, {"lr": 1e-3}, {"state_dtype": "bfloat16"}),
    ("Adam-bf16 200x80k", "Adam", 200, 80_000, {"lr": 1e-3}, {"state_dtype": "bfloat16"}),
    ("SGDm-bf16 1x16M", "SGD", 1, 16_000_000, {"lr": 1e-3, "momentum": 0.9}, {"state_dtype": "bfloat16"}),
]


def torch_median(opt_name, params, kwargs, steps):
    time.sleep(0.05)  # let the other side's spinning threads go to sleep
    opt = getattr(torch.optim, opt_name)(params, **kwargs)
    for _ in range(3):
        opt.step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        opt.step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--only", default="", help="comma-separated substrings of the configurations to run")
    ap.add_argument("--jvm-arg", action="append", default=[])
    ap.add_argument("--variants", default="torch,foreach,fused", help="PyTorch paths to time (comma-separated)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    root = os.getcwd()
    cp = ":".join([f"{root}/optim4j-tensor/target/classes", f"{root}/optim4j-optim/target/classes",
                   f"{root}/optim4j-optim/target/test-classes"])
    jvm = subprocess.Popen(["java", "-Xmx6g", *args.jvm_arg, "-cp", cp, "org.optim4j.optim.perf.StepTiming"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    configs = [c for c in CONFIGS if any(o in c[0] for o in args.only.split(","))]
    results = {c[0]: {"optim4j": [], "torch": [], "foreach": [], "fused": []} for c in configs}
    for name, opt_name, tensors, n, kwargs, java_only in configs:
        g = torch.Generator().manual_seed(0)
        params = [torch.randn(n, generator=g).requires_grad_() for _ in range(tensors)]
        for p in params:
            p.grad = torch.randn(n, generator=g)
        opts = " ".join(f"{k}={v}" for k, v in dict(kwargs, **java_only).items())
        for r in range(args.rounds):
            time.sleep(0.05)
            jvm.stdin.write(f"{opt_name} {tensors} {n} {args.steps} {opts}\n")
            jvm.stdin.flush()
            results[name]["optim4j"].append(tuple(float(x) for x in jvm.stdout.readline().split()))
            for variant, flags in (("torch", {"foreach": False}), ("foreach", {"foreach": True}),
                                   ("fused", {"fused": True})):
                if variant in args.variants.split(","):
                    results[name][variant].append(torch_median(opt_name, params, dict(kwargs, **flags), args.steps))
        del params
        res = {k: statistics.median(m for m, _ in v) for k, v in results[name].items() if v}
        best = {k: min(b for _, b in v) for k, v in results[name].items() if v}
        line = f"{name:17s} optim4j {res['optim4j']:6.2f} (best {best['optim4j']:6.2f}) ms"
        for variant in ("torch", "foreach", "fused"):
            if variant in res:
                # the median of the rounds' ratios: each round's two sides ran back to back, on the same load
                paired = statistics.median(t[0] / j[0] for t, j in zip(results[name][variant], results[name]["optim4j"]))
                line += (f" | {variant} {res[variant]:6.2f} ({best[variant]:6.2f}) ms "
                         f"{paired:.3f}x ({best[variant] / best['optim4j']:.3f}x)")
        print(line, flush=True)
    jvm.stdin.close()
    jvm.wait()


if __name__ == "__main__":
    main()
