#!/usr/bin/env python3
"""Expected values for torch.optim.lr_scheduler, computed by real PyTorch.

Writes into --out (default: fixtures/sched at the repository root):

  chainable.json   LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR,
                   PolynomialLR, CosineAnnealingLR
  cyclic.json      CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
  composite.json   SequentialLR, ChainedScheduler
  plateau.json     ReduceLROnPlateau driven by fixed metric sequences
  api.json         error messages (construction and stepping) and warnings

Every trajectory case runs one scheduler on an optimizer with two param groups of different learning rates
and records, after construction and after each of "steps" calls of `optimizer.step(); scheduler.step(...)`:

  lr          float64 [steps + 1, 2]   every group's lr
  momentum    float64 [steps + 1, 2]   the momentum (SGD) or betas[0] (Adam), for CyclicLR and OneCycleLR
  last_epoch  int64   [steps + 1]      the scheduler's last_epoch (not for ChainedScheduler, which has none)
  metrics     float64 [steps]          ReduceLROnPlateau's metric of each step

Configs are what a test needs to rebuild the run:

  optimizer   {"name": "SGD" | "Adam" | "Plain", "defaults": {...}, "groups": [{...}, {...}]}; Plain is an
              optimizer whose only hyper-parameter is lr (no momentum, no betas)
  scheduler   {"name": ..., "kwargs": {...}}; SequentialLR/ChainedScheduler have "schedulers" (the same
              form) and "milestones" / "pass_optimizer". Functions are named: "lr_lambda" and "scale_fn"
              values are names from LAMBDAS (plain functions) and CALLABLES (objects with state); the Java
              tests hold the same functions under the same names.
  steps       number of steps
  step_args   optional: the argument of each step() call (an epoch: int or float) instead of none
  set_lr      optional: {"after": k, "lrs": [...]}: the groups' lr set by hand right after step k
  resume      optional: {"at": k}: after step k, the optimizer's and the scheduler's state dicts are loaded
              into a freshly built optimizer and scheduler, which continue; tensors resume/lr (and
              resume/momentum) hold rows k..steps of the continued run, equal to the uninterrupted one
  state_dict  the scheduler's state_dict() after the last step: [[key, type], ...] in PyTorch's order, where
              a type is "int", "float", "bool", "str", "None", ["list", [types]] or ["dict", [[key, type]]]

api.json cases are configs only: "error" cases give the build (as above, plus "steps" taken before the
error, "step_args", "other_optimizer": the index of the sub-scheduler built on a second optimizer, and
"add_group_before_step" for ReduceLROnPlateau) and the raised "type" and "message" (a KeyError's key text)
(and "after" for errors raised while stepping: the scheduler's last_epoch and _step_count); "warning" cases
give a sequence of "calls" and the distinct warning texts in order.

Each case is seeded from its own name (zlib.crc32), so adding a case never changes another.
"""

import argparse
import copy
import os
import warnings
import zlib

import torch
from torch.optim import lr_scheduler as L

from gen_optim import FixtureFile as _FixtureFile
from gen_optim import _json, _number

TORCH_VERSION = "2.13.0"
GENERATOR = "tools/reference/gen_sched.py"
MAX_FILE_BYTES = 400_000
GROUP_LRS = [{}, {"lr": 0.05}]


class FixtureFile(_FixtureFile):
    """gen_optim's file format, with this generator's name in the meta."""

    def write(self, out_dir):
        lines = ["{", f' "meta": {_json({"torch": TORCH_VERSION, "generator": GENERATOR})},', ' "cases": {']
        items = list(self.cases.items())
        for ci, (name, (config, tensors)) in enumerate(items):
            lines.append(f"  {_json(name)}: {{")
            lines.append(f'   "config": {_json(config)},')
            lines.append('   "tensors": {')
            for ti, (tname, dtype, shape, data) in enumerate(tensors):
                body = ",".join(_number(v) for v in data)
                sep = "," if ti < len(tensors) - 1 else ""
                lines.append(f'    {_json(tname)}: {{"dtype": "{dtype}", "shape": {_json(shape)}, "data": [{body}]}}{sep}')
            lines.append("   }")
            lines.append("  }" + ("," if ci < len(items) - 1 else ""))
        lines.append(" }")
        lines.append("}")
        text = "\n".join(lines) + "\n"
        size = len(text.encode())
        if size > MAX_FILE_BYTES:
            raise RuntimeError(f"{self.area}.json is {size} bytes (limit {MAX_FILE_BYTES})")
        path = os.path.join(out_dir, f"{self.area}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path, size


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


# ---------------------------------------------------------------------------------------------
# Named functions (the Java tests define the same ones under the same names)
# ---------------------------------------------------------------------------------------------

LAMBDAS = {
    "pow095": lambda e: 0.95**e,
    "div30": lambda e: e // 30,
    "warmup10": lambda e: min(1.0, (e + 1) / 10),
    "inverse": lambda e: 1.0 / (1.0 + 0.05 * e),
    "const095": lambda e: 0.95,
    "decay_every10": lambda e: 0.5 if e % 10 == 0 else 0.99,
    "half_life20": lambda x: 0.5 ** (x / 20),
}


class Warmup:
    """A callable object: its __dict__ is saved in the scheduler's state_dict."""

    def __init__(self, warmup_steps):
        self.warmup_steps = warmup_steps

    def __call__(self, e):
        return min(1.0, (e + 1) / self.warmup_steps)


class CycleDecay:
    """A callable scale function object of the cycle number."""

    def __init__(self, decay):
        self.decay = decay

    def __call__(self, x):
        return self.decay ** (x - 1)


CALLABLES = {"warmup_obj5": lambda: Warmup(5), "cycle_decay_obj08": lambda: CycleDecay(0.8)}


def resolve_fn(name):
    if name in LAMBDAS:
        return LAMBDAS[name]
    return CALLABLES[name]()


class Plain(torch.optim.Optimizer):
    """An optimizer with only an lr: neither momentum nor betas."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, {"lr": lr})

    def step(self, closure=None):
        return None


OPTIMIZERS = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "Plain": Plain}


# ---------------------------------------------------------------------------------------------
# Building and driving
# ---------------------------------------------------------------------------------------------


def build_optimizer(cfg):
    params = [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in cfg["groups"]]
    groups = [{"params": [p], **g} for p, g in zip(params, cfg["groups"])]
    return OPTIMIZERS[cfg["name"]](groups, **cfg["defaults"])


def build_scheduler(spec, opt):
    name = spec["name"]
    if name == "SequentialLR":
        subs = [build_scheduler(s, opt) for s in spec["schedulers"]]
        return L.SequentialLR(opt, subs, spec["milestones"], **spec.get("kwargs", {}))
    if name == "ChainedScheduler":
        subs = [build_scheduler(s, opt) for s in spec["schedulers"]]
        return L.ChainedScheduler(subs, opt) if spec.get("pass_optimizer") else L.ChainedScheduler(subs)
    kwargs = dict(spec.get("kwargs", {}))
    for key in ("lr_lambda", "scale_fn"):
        if key in kwargs:
            v = kwargs[key]
            if isinstance(v, list):
                kwargs[key] = [resolve_fn(n) for n in v]
            elif v is not None:
                kwargs[key] = resolve_fn(v)
    return getattr(L, name)(opt, **kwargs)


def momentum_of(group):
    if "betas" in group:
        return float(group["betas"][0])
    return float(group["momentum"])


def describe(v):
    """A value's type as the Java tests describe theirs (see the module docstring)."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    if isinstance(v, (list, tuple)):
        return ["list", [describe(x) for x in v]]
    if isinstance(v, dict):
        return ["dict", [[str(k), describe(x)] for k, x in v.items()]]
    raise TypeError(f"unexpected state_dict value {v!r}")


def layout(sd):
    return [[k, describe(v)] for k, v in sd.items()]


class Run:
    """One run of a case: the optimizer, the scheduler and what was recorded."""

    def __init__(self, cfg, metrics):
        self.cfg = cfg
        self.metrics = metrics
        self.opt = build_optimizer(cfg["optimizer"])
        self.sched = build_scheduler(cfg["scheduler"], self.opt)
        self.lr, self.momentum, self.last_epoch = [], [], []
        self.record()

    def record(self):
        self.lr.append([float(g["lr"]) for g in self.opt.param_groups])
        if self.cfg.get("record_momentum"):
            self.momentum.append([momentum_of(g) for g in self.opt.param_groups])
        if hasattr(self.sched, "last_epoch"):
            self.last_epoch.append(self.sched.last_epoch)

    def step(self, t):
        """Step t (1-based): optimizer step, scheduler step, record, then a hand-set lr if due."""
        self.opt.step()
        if self.metrics is not None:
            self.sched.step(self.metrics[t - 1])
        elif "step_args" in self.cfg:
            self.sched.step(self.cfg["step_args"][t - 1])
        else:
            self.sched.step()
        self.record()
        set_lr = self.cfg.get("set_lr")
        if set_lr and set_lr["after"] == t:
            for g, lr in zip(self.opt.param_groups, set_lr["lrs"]):
                g["lr"] = lr


def trajectory(ff, name, cfg, metrics=None):
    """Runs a case (and its resumed variant) and adds it to ff."""
    seed(name)
    cfg = copy.deepcopy(cfg)
    steps = cfg["steps"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = Run(cfg, metrics)
        for t in range(1, steps + 1):
            run.step(t)
        if [float(x) for x in run.sched.get_last_lr()] != run.lr[-1]:
            raise AssertionError(f"{name}: get_last_lr() differs from the groups' lr")
        cfg["state_dict"] = layout(run.sched.state_dict())
        tensors = {"lr": torch.tensor(run.lr, dtype=torch.float64)}
        if run.momentum:
            tensors["momentum"] = torch.tensor(run.momentum, dtype=torch.float64)
        if run.last_epoch:
            tensors["last_epoch"] = torch.tensor(run.last_epoch, dtype=torch.int64)
        if metrics is not None:
            tensors["metrics"] = torch.tensor(metrics, dtype=torch.float64)
        if "resume" in cfg:
            k = cfg["resume"]["at"]
            first = Run(cfg, metrics)
            for t in range(1, k + 1):
                first.step(t)
            osd = copy.deepcopy(first.opt.state_dict())
            ssd = copy.deepcopy(first.sched.state_dict())
            second = Run(cfg, metrics)
            second.opt.load_state_dict(osd)
            second.sched.load_state_dict(ssd)
            second.lr, second.momentum = [], []
            second.record()
            for t in range(k + 1, steps + 1):
                second.step(t)
            if second.lr != run.lr[k:]:
                raise AssertionError(f"{name}: the resumed run differs from the uninterrupted one")
            tensors["resume/lr"] = torch.tensor(second.lr, dtype=torch.float64)
            if second.momentum:
                tensors["resume/momentum"] = torch.tensor(second.momentum, dtype=torch.float64)
    ff.add(name, cfg, tensors)


def sgd(lr=0.1, momentum=0.9, groups=None):
    return {"name": "SGD", "defaults": {"lr": lr, "momentum": momentum}, "groups": groups or GROUP_LRS}


def adam(lr=0.01, groups=None):
    return {"name": "Adam", "defaults": {"lr": lr, "betas": [0.9, 0.999]},
            "groups": groups or [{}, {"lr": 0.005}]}


def case(ff, name, scheduler, steps=120, optimizer=None, **extra):
    cfg = {"optimizer": optimizer or sgd(), "scheduler": scheduler, "steps": steps}
    cfg.update(extra)
    trajectory(ff, name, cfg)


def S(name, **kwargs):
    return {"name": name, "kwargs": kwargs}


# ---------------------------------------------------------------------------------------------
# chainable.json
# ---------------------------------------------------------------------------------------------


def gen_chainable():
    ff = FixtureFile("chainable")
    case(ff, "LambdaLR_pow095", S("LambdaLR", lr_lambda="pow095"))
    case(ff, "LambdaLR_per_group", S("LambdaLR", lr_lambda=["warmup10", "inverse"]), resume={"at": 37})
    case(ff, "LambdaLR_div30", S("LambdaLR", lr_lambda="div30"))
    case(ff, "LambdaLR_callable_object", S("LambdaLR", lr_lambda=["warmup_obj5", "pow095"]), resume={"at": 3})
    case(ff, "LambdaLR_seed_adam", S("LambdaLR", lr_lambda="pow095"), steps=100, optimizer=adam())
    case(ff, "LambdaLR_epochs", S("LambdaLR", lr_lambda="inverse"), steps=100,
         step_args=[(7 * t) % 60 for t in range(1, 101)])

    case(ff, "MultiplicativeLR_const095", S("MultiplicativeLR", lr_lambda="const095"))
    case(ff, "MultiplicativeLR_per_group", S("MultiplicativeLR", lr_lambda=["decay_every10", "const095"]),
         resume={"at": 55})
    case(ff, "MultiplicativeLR_set_lr", S("MultiplicativeLR", lr_lambda="inverse"),
         set_lr={"after": 40, "lrs": [0.3, 0.02]})

    case(ff, "StepLR_30_0.1", S("StepLR", step_size=30, gamma=0.1))
    case(ff, "StepLR_7_0.5", S("StepLR", step_size=7, gamma=0.5), resume={"at": 20})
    case(ff, "StepLR_1_0.97", S("StepLR", step_size=1, gamma=0.97))
    case(ff, "StepLR_set_lr", S("StepLR", step_size=10, gamma=0.5), set_lr={"after": 25, "lrs": [0.2, 0.5]})
    case(ff, "StepLR_epochs", S("StepLR", step_size=3, gamma=0.5), steps=100,
         step_args=[(5 * t) % 41 for t in range(1, 101)])
    case(ff, "StepLR_negative_step_size", S("StepLR", step_size=-4, gamma=0.5))

    case(ff, "MultiStepLR_30_80", S("MultiStepLR", milestones=[30, 80], gamma=0.1))
    case(ff, "MultiStepLR_seed_6_11", S("MultiStepLR", milestones=[6, 11], gamma=0.1), steps=100,
         optimizer={"name": "SGD", "defaults": {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4},
                    "groups": GROUP_LRS})
    case(ff, "MultiStepLR_repeated", S("MultiStepLR", milestones=[2, 5, 5, 8, 40], gamma=0.5), resume={"at": 5})
    case(ff, "MultiStepLR_unsorted", S("MultiStepLR", milestones=[80, 30, 30, 10], gamma=0.5))
    case(ff, "MultiStepLR_epochs", S("MultiStepLR", milestones=[10, 20, 20, 50], gamma=0.5), steps=100,
         step_args=[(3 * t) % 70 for t in range(1, 101)])

    case(ff, "ConstantLR_default", S("ConstantLR"))
    case(ff, "ConstantLR_0.5_4", S("ConstantLR", factor=0.5, total_iters=4))
    case(ff, "ConstantLR_0.25_50", S("ConstantLR", factor=0.25, total_iters=50), resume={"at": 30})
    case(ff, "ConstantLR_epochs", S("ConstantLR", factor=0.5, total_iters=10), steps=100,
         step_args=[(7 * t) % 23 for t in range(1, 101)])

    case(ff, "LinearLR_default", S("LinearLR"))
    case(ff, "LinearLR_warmup", S("LinearLR", start_factor=0.25, end_factor=1.0, total_iters=4))
    case(ff, "LinearLR_decay", S("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=80), resume={"at": 33})
    case(ff, "LinearLR_to_zero", S("LinearLR", start_factor=0.5, end_factor=0.0, total_iters=100))
    case(ff, "LinearLR_set_lr", S("LinearLR", start_factor=0.1, end_factor=1.0, total_iters=50),
         set_lr={"after": 20, "lrs": [0.05, 0.05]})
    case(ff, "LinearLR_epochs", S("LinearLR", start_factor=0.2, end_factor=0.9, total_iters=30), steps=100,
         step_args=[(11 * t) % 45 for t in range(1, 101)])

    case(ff, "ExponentialLR_0.9", S("ExponentialLR", gamma=0.9))
    case(ff, "ExponentialLR_0.99", S("ExponentialLR", gamma=0.99), resume={"at": 64})
    case(ff, "ExponentialLR_set_lr", S("ExponentialLR", gamma=0.995), set_lr={"after": 50, "lrs": [0.5, 0.001]})
    case(ff, "ExponentialLR_epochs", S("ExponentialLR", gamma=0.95), steps=100,
         step_args=[(13 * t) % 90 for t in range(1, 101)])

    case(ff, "PolynomialLR_default", S("PolynomialLR"))
    case(ff, "PolynomialLR_100_2", S("PolynomialLR", total_iters=100, power=2.0), resume={"at": 71})
    case(ff, "PolynomialLR_50_0.5", S("PolynomialLR", total_iters=50, power=0.5))
    case(ff, "PolynomialLR_epochs", S("PolynomialLR", total_iters=60, power=1.5), steps=100,
         step_args=[(17 * t) % 80 for t in range(1, 101)])

    case(ff, "CosineAnnealingLR_100", S("CosineAnnealingLR", T_max=100))
    case(ff, "CosineAnnealingLR_10_eta", S("CosineAnnealingLR", T_max=10, eta_min=0.001), resume={"at": 15})
    case(ff, "CosineAnnealingLR_50_set_lr", S("CosineAnnealingLR", T_max=50, eta_min=0.01),
         set_lr={"after": 20, "lrs": [0.2, 0.2]})
    case(ff, "CosineAnnealingLR_epochs", S("CosineAnnealingLR", T_max=30, eta_min=0.002), steps=100,
         step_args=[(7 * t) % 75 for t in range(1, 101)])
    case(ff, "CosineAnnealingLR_resume_last_epoch",
         S("CosineAnnealingLR", T_max=40, eta_min=0.0, last_epoch=9),
         optimizer=sgd(groups=[{"initial_lr": 0.1}, {"lr": 0.05, "initial_lr": 0.08}]))
    return ff


# ---------------------------------------------------------------------------------------------
# cyclic.json
# ---------------------------------------------------------------------------------------------


def gen_cyclic():
    ff = FixtureFile("cyclic")
    W = "CosineAnnealingWarmRestarts"
    case(ff, f"{W}_10", S(W, T_0=10))
    case(ff, f"{W}_5_2_eta", S(W, T_0=5, T_mult=2, eta_min=0.001), resume={"at": 17})
    case(ff, f"{W}_3_3", S(W, T_0=3, T_mult=3, eta_min=0.0))
    iters = 12
    case(ff, f"{W}_fractional", S(W, T_0=2, T_mult=2), steps=120,
         step_args=[e + i / iters for e in range(10) for i in range(iters)], resume={"at": 50})
    case(ff, f"{W}_int_epochs_mult2", S(W, T_0=2, T_mult=2), steps=100, step_args=list(range(1, 101)))
    case(ff, f"{W}_int_epochs_mult3", S(W, T_0=1, T_mult=3), steps=100,
         step_args=[(t * 7) % 121 for t in range(1, 101)])
    case(ff, f"{W}_int_epochs_mult1", S(W, T_0=7), steps=100, step_args=[(t * 5) % 60 for t in range(1, 101)],
         resume={"at": 40})
    case(ff, f"{W}_mixed", S(W, T_0=4, T_mult=2), steps=100,
         step_args=[None if t % 3 else t / 2 for t in range(1, 101)])

    C = "CyclicLR"
    m = {"record_momentum": True}
    case(ff, f"{C}_triangular", S(C, base_lr=[0.01, 0.005], max_lr=[0.1, 0.05], step_size_up=10), **m)
    case(ff, f"{C}_triangular2", S(C, base_lr=0.01, max_lr=0.1, step_size_up=7, step_size_down=13,
                                   mode="triangular2", base_momentum=[0.8, 0.85], max_momentum=[0.9, 0.95]),
         resume={"at": 45}, **m)
    case(ff, f"{C}_exp_range", S(C, base_lr=0.001, max_lr=0.01, step_size_up=5, mode="exp_range", gamma=0.99),
         **m)
    case(ff, f"{C}_custom_iterations", S(C, base_lr=0.01, max_lr=0.1, step_size_up=8, scale_fn="half_life20",
                                         scale_mode="iterations"), **m)
    case(ff, f"{C}_custom_object_cycle", S(C, base_lr=0.01, max_lr=0.1, step_size_up=6, scale_fn="cycle_decay_obj08",
                                           scale_mode="cycle", mode="not_a_mode"), resume={"at": 30}, **m)
    case(ff, f"{C}_adam_betas", S(C, base_lr=0.001, max_lr=0.006, step_size_up=15, mode="triangular2"),
         optimizer=adam(), **m)
    case(ff, f"{C}_no_momentum", S(C, base_lr=0.01, max_lr=0.1, step_size_up=4, cycle_momentum=False),
         optimizer={"name": "Plain", "defaults": {"lr": 0.1}, "groups": GROUP_LRS})
    case(ff, f"{C}_sgd_momentum0", S(C, base_lr=0.1, max_lr=1.0, step_size_up=2),
         optimizer=sgd(lr=1.0, momentum=0.0), **m)
    case(ff, f"{C}_epochs", S(C, base_lr=0.01, max_lr=0.1, step_size_up=5, step_size_down=3), steps=100,
         step_args=[(7 * t) % 50 for t in range(1, 101)], **m)

    O = "OneCycleLR"
    case(ff, f"{O}_cos_100", S(O, max_lr=0.5, total_steps=100), steps=100, **m)
    case(ff, f"{O}_linear_three_phase", S(O, max_lr=[1.0, 0.4], total_steps=100, anneal_strategy="linear",
                                          three_phase=True), steps=100, resume={"at": 42}, **m)
    case(ff, f"{O}_epochs", S(O, max_lr=0.2, epochs=10, steps_per_epoch=12, pct_start=0.25, div_factor=10.0,
                              final_div_factor=100.0), steps=120, **m)
    case(ff, f"{O}_adam_betas", S(O, max_lr=0.01, total_steps=110, base_momentum=[0.8, 0.85],
                                  max_momentum=[0.95, 0.9]), steps=110, optimizer=adam(), resume={"at": 60}, **m)
    case(ff, f"{O}_three_phase_cos", S(O, max_lr=0.3, total_steps=105, three_phase=True, pct_start=0.4),
         steps=105, **m)
    case(ff, f"{O}_no_momentum", S(O, max_lr=0.1, total_steps=100, cycle_momentum=False), steps=100,
         optimizer={"name": "Plain", "defaults": {"lr": 0.1}, "groups": GROUP_LRS})
    case(ff, f"{O}_golden_12", S(O, max_lr=1.0, total_steps=12), steps=12,
         optimizer=sgd(lr=1.0, groups=[{}, {"lr": 0.5}]), **m)
    case(ff, f"{O}_golden_12_three_phase_linear", S(O, max_lr=1.0, total_steps=12, three_phase=True,
                                                    anneal_strategy="linear"), steps=12,
         optimizer=sgd(lr=1.0, groups=[{}, {"lr": 0.5}]), **m)
    return ff


# ---------------------------------------------------------------------------------------------
# composite.json
# ---------------------------------------------------------------------------------------------


def gen_composite():
    ff = FixtureFile("composite")
    Q, CH = "SequentialLR", "ChainedScheduler"
    case(ff, f"{Q}_warmup_cosine", {"name": Q, "milestones": [5], "schedulers": [
        S("LinearLR", start_factor=0.1, end_factor=1.0, total_iters=5), S("CosineAnnealingLR", T_max=95)]},
         resume={"at": 50})
    case(ff, f"{Q}_constant_exponential", {"name": Q, "milestones": [3], "schedulers": [
        S("ConstantLR", factor=0.1, total_iters=2), S("ExponentialLR", gamma=0.9)]})
    case(ff, f"{Q}_three", {"name": Q, "milestones": [10, 50], "schedulers": [
        S("LinearLR", start_factor=0.5, total_iters=10), S("StepLR", step_size=7, gamma=0.7),
        S("ExponentialLR", gamma=0.97)]}, resume={"at": 30})
    case(ff, f"{Q}_lambda_multistep", {"name": Q, "milestones": [20], "schedulers": [
        S("LambdaLR", lr_lambda="warmup10"), S("MultiStepLR", milestones=[40, 70], gamma=0.2)]})
    case(ff, f"{Q}_nested_chained", {"name": Q, "milestones": [30], "schedulers": [
        {"name": CH, "schedulers": [S("ConstantLR", factor=0.5, total_iters=10), S("ExponentialLR", gamma=0.98)]},
        S("CosineAnnealingLR", T_max=90, eta_min=0.001)]})
    case(ff, f"{CH}_constant_exponential", {"name": CH, "schedulers": [
        S("ConstantLR", factor=0.1, total_iters=3), S("ExponentialLR", gamma=0.9)]}, resume={"at": 2})
    case(ff, f"{CH}_warmup_cosine", {"name": CH, "pass_optimizer": True, "schedulers": [
        S("LinearLR", start_factor=0.2, total_iters=10), S("CosineAnnealingLR", T_max=120, eta_min=0.0)]},
         resume={"at": 60})
    case(ff, f"{CH}_step_multistep", {"name": CH, "schedulers": [
        S("StepLR", step_size=25, gamma=0.5), S("MultiStepLR", milestones=[10, 60, 60], gamma=0.8)]})
    return ff


# ---------------------------------------------------------------------------------------------
# plateau.json
# ---------------------------------------------------------------------------------------------


def metric_sequence(name, steps, kind):
    """A deterministic metric: a noisy decay with plateaus, seeded from the case name."""
    seed(name)
    noise = torch.rand(steps, dtype=torch.float64).tolist()
    values = []
    for t in range(steps):
        base = 1.0 / (1.0 + 0.1 * min(t, 25)) + (0.02 if (t // 15) % 2 else 0.0)
        v = base + 0.01 * noise[t]
        values.append(v if kind == "min" else 1.0 - v)
    return values


def plateau(ff, name, kwargs, kind="min", steps=120, optimizer=None, metrics=None, **extra):
    cfg = {"optimizer": optimizer or sgd(), "scheduler": S("ReduceLROnPlateau", **kwargs), "steps": steps}
    cfg.update(extra)
    trajectory(ff, name, cfg, metrics if metrics is not None else metric_sequence(name, steps, kind))


def gen_plateau():
    ff = FixtureFile("plateau")
    R = "ReduceLROnPlateau"
    plateau(ff, f"{R}_default", {})
    plateau(ff, f"{R}_min_rel_patience3", {"patience": 3, "factor": 0.5}, resume={"at": 50})
    plateau(ff, f"{R}_max_abs", {"mode": "max", "threshold_mode": "abs", "threshold": 0.001, "patience": 2,
                                 "factor": 0.3}, kind="max")
    plateau(ff, f"{R}_cooldown_min_lrs", {"patience": 1, "factor": 0.5, "cooldown": 4, "min_lr": [0.01, 0.001]},
            resume={"at": 33})
    plateau(ff, f"{R}_eps", {"patience": 0, "factor": 0.5, "eps": 0.004})
    plateau(ff, f"{R}_max_rel_int_metrics", {"mode": "max", "patience": 2, "cooldown": 1, "min_lr": 0.002},
            metrics=[(t // 7) % 5 + (t // 40) for t in range(120)])
    plateau(ff, f"{R}_golden", {"patience": 1, "factor": 0.5, "cooldown": 1, "min_lr": 0.1}, steps=12,
            optimizer=sgd(lr=1.0, groups=[{}, {"lr": 0.5}]), metrics=[5.0] * 6 + [4.0] * 6)
    return ff


# ---------------------------------------------------------------------------------------------
# api.json: errors and warnings
# ---------------------------------------------------------------------------------------------


def error_case(ff, name, scheduler, optimizer=None, steps=0, step_args=None, other_optimizer=None,
               add_group_before_step=False):
    cfg = {"kind": "error", "optimizer": optimizer or sgd(), "scheduler": scheduler, "steps": steps}
    if step_args is not None:
        cfg["step_args"] = step_args
    if other_optimizer is not None:
        cfg["other_optimizer"] = other_optimizer
    if add_group_before_step:
        cfg["add_group_before_step"] = True
    sched = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            opt = build_optimizer(cfg["optimizer"])
            if other_optimizer is not None:
                spec = cfg["scheduler"]
                other = build_optimizer(cfg["optimizer"])
                subs = [build_scheduler(s, other if i == other_optimizer else opt)
                        for i, s in enumerate(spec["schedulers"])]
                if spec["name"] == "SequentialLR":
                    L.SequentialLR(opt, subs, spec["milestones"])
                else:
                    L.ChainedScheduler(subs, opt)
            else:
                sched = build_scheduler(cfg["scheduler"], opt)
            if add_group_before_step:
                opt.add_param_group({"params": [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))]})
            for t in range(1, steps + 1):
                opt.step()
                if isinstance(sched, L.ReduceLROnPlateau):
                    sched.step(step_args[t - 1])
                elif step_args is not None:
                    sched.step(step_args[t - 1])
                else:
                    sched.step()
        except Exception as e:  # noqa: BLE001 - recording whatever torch raises is the point
            cfg["type"] = type(e).__name__
            cfg["message"] = e.args[0] if isinstance(e, KeyError) else str(e)
            if steps > 0 and sched is not None and hasattr(sched, "last_epoch"):
                cfg["after"] = {"last_epoch": sched.last_epoch, "_step_count": getattr(sched, "_step_count", None)}
            ff.add(name, cfg, {})
            return
    raise AssertionError(f"{name}: torch raised nothing")


def resume_error(ff):
    cfg = {"kind": "error", "optimizer": sgd(), "scheduler": S("StepLR", step_size=3, last_epoch=3), "steps": 0}
    try:
        build_scheduler(cfg["scheduler"], build_optimizer(cfg["optimizer"]))
    except KeyError as e:
        cfg["type"] = "KeyError"
        cfg["message"] = e.args[0]
    ff.add("resume_without_initial_lr", cfg, {})


def warning_case(ff, name, optimizer, scheduler, calls):
    """calls: "opt" (optimizer.step()), "sched" (scheduler.step()), ["sched", arg] (scheduler.step(arg))."""
    seen = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = build_optimizer(optimizer)
        sched = None
        for c in calls:
            if c == "opt":
                opt.step()
            elif c == "build":
                sched = build_scheduler(scheduler, opt)
            elif c == "sched":
                sched.step()
            else:
                sched.step(c[1])
        for w in caught:
            text = str(w.message)
            if text not in seen:
                seen.append(text)
    ff.add(name, {"kind": "warning", "optimizer": optimizer, "scheduler": scheduler, "calls": calls,
                  "warnings": seen}, {})


def gen_api():
    ff = FixtureFile("api")
    plain = {"name": "Plain", "defaults": {"lr": 0.1}, "groups": GROUP_LRS}
    e = error_case
    e(ff, "LambdaLR_count", S("LambdaLR", lr_lambda=["pow095"]))
    e(ff, "MultiplicativeLR_count", S("MultiplicativeLR", lr_lambda=["pow095", "pow095", "pow095"]))
    e(ff, "MultiplicativeLR_none", S("MultiplicativeLR", lr_lambda=None))
    e(ff, "StepLR_missing_step_size", S("StepLR"))
    e(ff, "StepLR_step_size_0", S("StepLR", step_size=0), steps=1)
    e(ff, "StepLR_step_size_0_epoch", S("StepLR", step_size=0), steps=1, step_args=[3])
    e(ff, "ConstantLR_factor_above_1", S("ConstantLR", factor=1.5))
    e(ff, "ConstantLR_factor_negative", S("ConstantLR", factor=-0.1))
    e(ff, "ConstantLR_factor_0", S("ConstantLR", factor=0.0, total_iters=3), steps=3)
    e(ff, "LinearLR_start_0", S("LinearLR", start_factor=0.0))
    e(ff, "LinearLR_start_above_1", S("LinearLR", start_factor=1.5))
    e(ff, "LinearLR_end_negative", S("LinearLR", end_factor=-0.1))
    e(ff, "LinearLR_end_above_1", S("LinearLR", end_factor=1.01))
    e(ff, "LinearLR_total_iters_0_epoch", S("LinearLR", total_iters=0), steps=1, step_args=[2])
    e(ff, "ExponentialLR_missing_gamma", S("ExponentialLR"))
    e(ff, "PolynomialLR_total_iters_0_epoch", S("PolynomialLR", total_iters=0), steps=1, step_args=[1])
    e(ff, "CosineAnnealingLR_missing_T_max", S("CosineAnnealingLR"))
    e(ff, "CosineAnnealingLR_T_max_0", S("CosineAnnealingLR", T_max=0), steps=1)
    W = "CosineAnnealingWarmRestarts"
    e(ff, f"{W}_T_0_0", S(W, T_0=0))
    e(ff, f"{W}_T_0_negative", S(W, T_0=-3))
    e(ff, f"{W}_T_0_float", S(W, T_0=2.5))
    e(ff, f"{W}_T_mult_0", S(W, T_0=2, T_mult=0))
    e(ff, f"{W}_T_mult_float", S(W, T_0=2, T_mult=1.5))
    e(ff, f"{W}_negative_epoch", S(W, T_0=2), steps=1, step_args=[-1])
    e(ff, f"{W}_negative_float_epoch", S(W, T_0=2), steps=1, step_args=[-0.5])
    C = "CyclicLR"
    e(ff, f"{C}_missing", S(C))
    e(ff, f"{C}_base_lr_count", S(C, base_lr=[0.1], max_lr=1.0))
    e(ff, f"{C}_max_lr_count", S(C, base_lr=0.1, max_lr=[1.0, 1.0, 1.0]))
    e(ff, f"{C}_mode", S(C, base_lr=0.1, max_lr=1.0, mode="sawtooth"))
    e(ff, f"{C}_no_momentum", S(C, base_lr=0.1, max_lr=1.0), optimizer=plain)
    e(ff, f"{C}_base_momentum_count", S(C, base_lr=0.1, max_lr=1.0, base_momentum=[0.8]))
    e(ff, f"{C}_step_sizes_0", S(C, base_lr=0.1, max_lr=1.0, step_size_up=0, step_size_down=0))
    O = "OneCycleLR"
    e(ff, f"{O}_missing", S(O))
    e(ff, f"{O}_total_steps_0", S(O, max_lr=1.0, total_steps=0))
    e(ff, f"{O}_total_steps_negative", S(O, max_lr=1.0, total_steps=-5))
    e(ff, f"{O}_total_steps_float", S(O, max_lr=1.0, total_steps=2.5))
    e(ff, f"{O}_no_total", S(O, max_lr=1.0))
    e(ff, f"{O}_epochs_only", S(O, max_lr=1.0, epochs=3))
    e(ff, f"{O}_epochs_0", S(O, max_lr=1.0, epochs=0, steps_per_epoch=4))
    e(ff, f"{O}_steps_per_epoch_0", S(O, max_lr=1.0, epochs=3, steps_per_epoch=0))
    e(ff, f"{O}_pct_start_int", S(O, max_lr=1.0, total_steps=10, pct_start=1))
    e(ff, f"{O}_pct_start_above_1", S(O, max_lr=1.0, total_steps=10, pct_start=1.5))
    e(ff, f"{O}_pct_start_negative", S(O, max_lr=1.0, total_steps=10, pct_start=-0.1))
    e(ff, f"{O}_anneal_strategy", S(O, max_lr=1.0, total_steps=10, anneal_strategy="exp"))
    e(ff, f"{O}_max_lr_count", S(O, max_lr=[1.0], total_steps=10))
    e(ff, f"{O}_no_momentum", S(O, max_lr=1.0, total_steps=10), optimizer=plain)
    e(ff, f"{O}_empty_phase", S(O, max_lr=1.0, total_steps=10, pct_start=0.1))
    e(ff, f"{O}_past_total_steps", S(O, max_lr=1.0, total_steps=10), steps=11)
    R = "ReduceLROnPlateau"
    e(ff, f"{R}_factor_1", S(R, factor=1.0))
    e(ff, f"{R}_min_lr_count", S(R, min_lr=[0.1]))
    e(ff, f"{R}_mode", S(R, mode="lowest"))
    e(ff, f"{R}_threshold_mode", S(R, threshold_mode="pct"))
    e(ff, f"{R}_group_added", S(R, patience=0, min_lr=[0.0, 0.0]), steps=2, step_args=[1.0, 2.0],
      add_group_before_step=True)
    Q, CH = "SequentialLR", "ChainedScheduler"
    e(ff, f"{Q}_empty", {"name": Q, "milestones": [], "schedulers": []})
    e(ff, f"{Q}_plateau", {"name": Q, "milestones": [3], "schedulers": [S("StepLR", step_size=2), S(R)]})
    e(ff, f"{Q}_milestones_count", {"name": Q, "milestones": [3, 6], "schedulers": [S("StepLR", step_size=2)]})
    e(ff, f"{Q}_other_optimizer", {"name": Q, "milestones": [3], "schedulers": [
        S("StepLR", step_size=2), S("ExponentialLR", gamma=0.9)]}, other_optimizer=1)
    e(ff, f"{CH}_empty", {"name": CH, "schedulers": []})
    e(ff, f"{CH}_plateau", {"name": CH, "schedulers": [S(R)]})
    e(ff, f"{CH}_other_optimizer", {"name": CH, "schedulers": [
        S("StepLR", step_size=2), S("ExponentialLR", gamma=0.9)]}, other_optimizer=0)
    resume_error(ff)

    w = warning_case
    step = S("StepLR", step_size=2)
    w(ff, "warn_scheduler_before_optimizer", sgd(), step, ["build", "sched", "sched", "opt", "sched"])
    w(ff, "warn_none_in_order", sgd(), step, ["build", "opt", "sched", "opt", "sched"])
    w(ff, "warn_optimizer_stepped_before_build", sgd(), step, ["opt", "build", "sched"])
    w(ff, "warn_epoch_deprecated", sgd(), step, ["build", "opt", ["sched", 3], "opt", ["sched", 5]])
    w(ff, "warn_sequential_milestone_none", sgd(), {"name": "SequentialLR", "milestones": [2], "schedulers": [
        S("ConstantLR", factor=0.5, total_iters=1), S("ExponentialLR", gamma=0.9)]},
      ["build", "opt", "sched", "opt", "sched", "opt", "sched"])
    w(ff, "warn_warm_restarts_epoch_none", sgd(), S("CosineAnnealingWarmRestarts", T_0=3),
      ["build", ["sched", 0.5], ["sched", 2]])
    w(ff, "warn_plateau_none", sgd(), S("ReduceLROnPlateau"), ["build", ["sched", 1.0], ["sched", 2]])
    return ff


AREAS = [gen_chainable, gen_cyclic, gen_composite, gen_plateau, gen_api]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "sched"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"gen_sched.py needs torch {TORCH_VERSION}, found {torch.__version__}")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for area in AREAS:
        path, size = area().write(args.out)
        total += size
        print(f"{path}: {size} bytes")
    print(f"total: {total} bytes")


if __name__ == "__main__":
    main()
