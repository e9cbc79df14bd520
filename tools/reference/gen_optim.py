#!/usr/bin/env python3
"""Expected values for torch.optim (SGD, Adam, AdamW and the Optimizer base), computed by real PyTorch.

Writes into --out (default: fixtures/optim at the repository root):

  sgd.json, adam.json, adamw.json  trajectories: a matrix of configurations, each in float32 and float64,
                                   two param groups, replayed gradients (one parameter has no grad on some
                                   steps), every parameter and state tensor after every step, the final
                                   state_dict layout, and for some cases a save/load/continue run
  closure.json                     Rosenbrock minimised with step(closure), float64
  api.json                         repr strings, validation and load_state_dict error messages, state_dict
                                   layouts (named params, duplicates) and the order hooks run in

Every value in the files is produced by torch; this script only chooses configurations and writes the
results down. See tools/reference/README.md for the file format and the tolerance rule.

Trajectory cases (<optimizer>_<variant>_<dtype>) have four parameters in two groups: w [2,2] and b [2] in
group 0, c [2] and s [] in group 1. Their config holds the constructor keywords ("defaults"), the groups
with their overrides ("groups"), "steps", the steps on which a parameter has no gradient ("grad_none"),
PyTorch's repr, the first step after which each parameter has state ("state_from") and its state keys
("state_keys"), and the final state_dict layout ("state_dict": param_groups as JSON, state as
[key, dtype, shape] per id in PyTorch's order). Option values are plain JSON, tuples as lists, and a tensor
hyper-parameter as {"tensor": {"dtype", "shape", "data"}}. Tensors: init/<p> (initial values), grad/<p>
(the gradients of the steps that have one, stacked), param/<p> (after every step, stacked) and
state/<p>/<key> (after every step from state_from on). A "resume" config means: save the state_dict after
step "at", load it into a fresh optimizer built with resume["defaults"] and groups without overrides, and
continue; resume/param/<p> holds the continued trajectory.

Each case is seeded from its own base name, so adding or removing a case never changes another one.
The float32 and float64 variants of a case use the same inputs (drawn in float64, rounded to float32).
"""

import argparse
import copy
import json
import math
import os
import warnings
import zlib

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

TORCH_VERSION = "2.13.0"
GENERATOR = "tools/reference/gen_optim.py"
MAX_FILE_BYTES = 1_000_000

DTYPES = {"float32": torch.float32, "float64": torch.float64}
BOTH = ("float32", "float64")
DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
OPTIMIZERS = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}


# ---------------------------------------------------------------------------------------------
# Writing (the format of gen_engine.py)
# ---------------------------------------------------------------------------------------------


def _number(v):
    """One JSON number: repr of the float64 value (exact for float32 values too)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v.is_integer() and abs(v) < 2.0**53 and not (v == 0.0 and math.copysign(1.0, v) < 0):
        return str(int(v))
    return repr(v)


def _json(value):
    """Compact JSON for config values (NaN/Infinity allowed, key order kept)."""
    return json.dumps(value, separators=(", ", ": "), allow_nan=True)


class FixtureFile:
    """The cases of one area, written as one JSON file in insertion order."""

    def __init__(self, area):
        self.area = area
        self.cases = {}

    def add(self, name, config, tensors):
        if name in self.cases:
            raise ValueError(f"duplicate case {name} in {self.area}")
        encoded = []
        for tname, t in tensors.items():
            t = t.detach().cpu().contiguous()
            if t.dtype not in DTYPE_NAMES:
                raise TypeError(f"{self.area}/{name}/{tname}: unsupported dtype {t.dtype}")
            encoded.append((tname, DTYPE_NAMES[t.dtype], list(t.shape), t.reshape(-1).tolist()))
        self.cases[name] = (config, encoded)

    def write(self, out_dir):
        lines = ["{", f' "meta": {_json({"torch": TORCH_VERSION, "generator": GENERATOR})},', ' "cases": {']
        case_items = list(self.cases.items())
        for ci, (name, (config, tensors)) in enumerate(case_items):
            lines.append(f"  {_json(name)}: {{")
            lines.append(f'   "config": {_json(config)},')
            lines.append('   "tensors": {')
            for ti, (tname, dtype, shape, data) in enumerate(tensors):
                body = ",".join(_number(v) for v in data)
                sep = "," if ti < len(tensors) - 1 else ""
                lines.append(
                    f'    {_json(tname)}: {{"dtype": "{dtype}", "shape": {_json(shape)}, "data": [{body}]}}{sep}'
                )
            lines.append("   }")
            lines.append("  }" + ("," if ci < len(case_items) - 1 else ""))
        lines.append(" }")
        lines.append("}")
        text = "\n".join(lines) + "\n"
        if len(text.encode()) > MAX_FILE_BYTES:
            raise RuntimeError(f"{self.area}.json is {len(text.encode())} bytes (limit {MAX_FILE_BYTES})")
        path = os.path.join(out_dir, f"{self.area}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path, len(text.encode())


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


# ---------------------------------------------------------------------------------------------
# Option values in configs
#
# Plain JSON for numbers, booleans, None and tuples (as lists). A tensor hyper-parameter (lr, betas,
# weight_decay) is {"tensor": {"dtype": ..., "shape": ..., "data": [...]}}: the Java tests build it.
# ---------------------------------------------------------------------------------------------


def tensor_option(value, dtype=torch.float32, shape=()):
    return torch.full(shape, value, dtype=dtype)


def encode_option(v):
    if isinstance(v, torch.Tensor):
        return {"tensor": {"dtype": DTYPE_NAMES[v.dtype], "shape": list(v.shape), "data": v.reshape(-1).tolist()}}
    if isinstance(v, tuple):
        return [encode_option(x) for x in v]
    return v


def encode_options(d):
    return {k: encode_option(v) for k, v in d.items()}


def encode_group(g, names):
    """A param group of an optimizer's param_groups or state_dict, params as names or ids."""
    out = {}
    for k, v in g.items():
        if k == "params":
            out[k] = [names[id(p)] for p in v] if names is not None else list(v)
        else:
            out[k] = encode_option(v)
    return out


def state_layout(sd):
    """The state part of a state_dict as {id: [[key, dtype, shape], ...]} (ids as strings, JSON keys)."""
    layout = {}
    for pid, st in sd["state"].items():
        layout[str(pid)] = [
            [k, DTYPE_NAMES[v.dtype], list(v.shape)] if isinstance(v, torch.Tensor) else [k, repr(v), None]
            for k, v in st.items()
        ]
    return layout


def state_dict_config(opt):
    sd = opt.state_dict()
    return {"param_groups": [encode_group(g, None) for g in sd["param_groups"]], "state": state_layout(sd)}


# ---------------------------------------------------------------------------------------------
# Trajectories: sgd.json, adam.json, adamw.json
# ---------------------------------------------------------------------------------------------

STEPS = 25
SHAPES = {"w": (2, 2), "b": (2,), "c": (2,), "s": ()}
GROUPS = (("w", "b"), ("c", "s"))
GRAD_NONE = {"b": [1, 2, 6, 11, 12, 20]}  # "b" has no gradient on these steps (1-based)
RESUME_AT = 10


def make_params(names, dt, init):
    return {n: init[n].to(dt).clone().requires_grad_(True) for n in names}


def build(opt_name, params, defaults, group_overrides):
    groups = []
    for members, overrides in zip(GROUPS, group_overrides):
        g = {"params": [params[n] for n in members]}
        g.update(overrides)
        groups.append(g)
    return OPTIMIZERS[opt_name](groups, **defaults)


def state_keys(opt, p):
    return list(opt.state[p].keys()) if p in opt.state else []


def run_steps(opt, params, grads, steps, record):
    """Steps with the recorded gradients; record(t, opt) after each step t (1-based)."""
    for t in steps:
        for n, p in params.items():
            p.grad = grads[n][t - 1] if grads[n][t - 1] is not None else None
        opt.step()
        record(t, opt)


def trajectory_case(ff, opt_name, variant, defaults, group_overrides, dtypes=BOTH, resume=False, grad_none=None):
    base = f"{opt_name.lower()}_{variant}"
    grad_none = GRAD_NONE if grad_none is None else grad_none
    seed(base)
    names = [n for members in GROUPS for n in members]
    init = {n: torch.randn(SHAPES[n], dtype=torch.float64) for n in names}
    grads64 = {n: [torch.randn(SHAPES[n], dtype=torch.float64) for _ in range(STEPS)] for n in names}
    for n, none_steps in grad_none.items():
        for t in none_steps:
            grads64[n][t - 1] = None
    for dn in dtypes:
        dt = DTYPES[dn]
        params = make_params(names, dt, init)
        grads = {n: [g.to(dt) if g is not None else None for g in gs] for n, gs in grads64.items()}
        opt = build(opt_name, params, defaults, group_overrides)
        config = {
            "optimizer": opt_name,
            "defaults": encode_options(defaults),
            "groups": [dict(params=list(m), **encode_options(o)) for m, o in zip(GROUPS, group_overrides)],
            "steps": STEPS,
            "grad_none": grad_none,
            "repr": repr(opt),
        }
        traj = {n: [] for n in names}
        states = {}
        state_from = {}

        def record(t, o):
            for n, p in params.items():
                traj[n].append(p.detach().clone())
                for k in state_keys(o, p):
                    v = o.state[p][k]
                    if n not in state_from:
                        state_from[n] = t
                    states.setdefault((n, k), []).append(v.detach().clone())

        saved = None
        for t in range(1, STEPS + 1):
            run_steps(opt, params, grads, [t], record)
            if resume and t == RESUME_AT:
                saved = (copy.deepcopy(opt.state_dict()), {n: p.detach().clone() for n, p in params.items()})
        config["state_from"] = state_from
        config["state_keys"] = {n: state_keys(opt, p) for n, p in params.items()}
        config["state_dict"] = state_dict_config(opt)
        tensors = {f"init/{n}": init[n].to(dt) for n in names}
        for n in names:
            present = [g for g in grads[n] if g is not None]
            tensors[f"grad/{n}"] = torch.stack(present)
        for n in names:
            tensors[f"param/{n}"] = torch.stack(traj[n])
        for (n, k), vs in states.items():
            tensors[f"state/{n}/{k}"] = torch.stack(vs)
        if resume:
            # A fresh optimizer (constructor defaults only, groups without overrides) on copies of the
            # parameters at step RESUME_AT loads the state_dict saved there and continues.
            sd, values = saved
            params2 = {n: values[n].clone().requires_grad_(True) for n in names}
            opt2 = build(opt_name, params2, {}, [{}, {}])
            opt2.load_state_dict(sd)
            cont = {n: [] for n in names}

            def record2(t, o):
                for n, p in params2.items():
                    cont[n].append(p.detach().clone())

            run_steps(opt2, params2, grads, range(RESUME_AT + 1, STEPS + 1), record2)
            for n in names:
                resumed = torch.stack(cont[n])
                if not torch.equal(resumed, torch.stack(traj[n][RESUME_AT:])):
                    raise RuntimeError(f"{base}_{dn}: the resumed run differs from the uninterrupted one")
                tensors[f"resume/param/{n}"] = resumed
            config["resume"] = {"at": RESUME_AT, "defaults": {}, "repr_after_load": repr(opt2)}
        ff.add(f"{base}_{dn}", config, tensors)


def lr_tensor(v):
    return tensor_option(v)


def gen_sgd():
    ff = FixtureFile("sgd")
    cases = [
        ("plain", {"lr": 0.1}, [{}, {"lr": 0.05}], True),
        ("momentum", {"lr": 0.1, "momentum": 0.9}, [{}, {"lr": 0.05, "momentum": 0.5}], True),
        ("dampening", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}, [{}, {"dampening": 0}], False),
        ("nesterov", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, [{}, {"momentum": 0.6, "lr": 0.2}], True),
        ("weight_decay", {"lr": 0.1, "weight_decay": 0.1}, [{}, {"weight_decay": 0}], False),
        ("all", {"lr": 0.05, "momentum": 0.8, "dampening": 0.2, "weight_decay": 0.05, "maximize": True},
         [{}, {"momentum": 0.95, "dampening": 0.6, "weight_decay": 0.3}], True),
        ("nesterov_wd_maximize", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1, "maximize": True},
         [{}, {"weight_decay": 0.2, "maximize": False}], False),
        ("tensor_lr", {"lr": lr_tensor(0.1), "momentum": 0.9, "weight_decay": tensor_option(0.05)}, [{}, {}], False),
        ("foreach_false", {"lr": 0.1, "momentum": 0.5, "foreach": False}, [{}, {"foreach": True}], False),
    ]
    for variant, defaults, overrides, resume in cases:
        trajectory_case(ff, "SGD", variant, defaults, overrides, resume=resume)
    # PyTorch's fused SGD fails when only some parameters of a group already have a momentum buffer
    # (a parameter whose first gradient comes late), so this case gives every parameter a gradient.
    # Its float32 results differ from the single-tensor path in the last bits (no fused multiply-adds), so
    # only float64 is recorded: optim4j runs the single-tensor maths for fused=True.
    trajectory_case(ff, "SGD", "fused", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1, "fused": True},
                    [{}, {"lr": 0.05}], dtypes=("float64",), resume=True, grad_none={})
    return ff


def gen_adam():
    ff = FixtureFile("adam")
    group1 = {"lr": 0.05, "betas": (0.8, 0.95)}
    cases = [
        ("default", {"lr": 0.01}, [{}, group1], True, BOTH),
        ("amsgrad", {"lr": 0.01, "amsgrad": True}, [{}, group1], True, BOTH),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False, BOTH),
        ("decoupled", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.5, "lr": 0.1}], True, BOTH),
        ("all", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.2, "maximize": True, "decoupled_weight_decay": True},
         [{}, {"amsgrad": False, "decoupled_weight_decay": False, "eps": 1e-3}], True, BOTH),
        ("small_betas", {"lr": 0.01, "betas": (0.3, 0.4), "eps": 1e-3}, [{}, {"betas": (0.0, 0.0)}], False, BOTH),
        ("tensor_lr", {"lr": lr_tensor(0.01), "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.0}], False, BOTH),
        # Tensor betas make the bias corrections 0-dim tensor arithmetic in the betas' dtype. PyTorch's float32
        # sqrt is not correctly rounded, so float32 betas are recorded with float32 parameters only (where an
        # ulp of the bias correction is within tolerance) and float64 parameters get float64 betas.
        ("tensor_betas", {"lr": 0.01, "betas": (tensor_option(0.9), tensor_option(0.999)), "weight_decay": 0.1,
                          "decoupled_weight_decay": True}, [{}, {"lr": lr_tensor(0.05)}], False, ("float32",)),
        ("tensor_betas64", {"lr": 0.01, "betas": (tensor_option(0.9, torch.float64), tensor_option(0.999, torch.float64))},
         [{}, {"betas": (tensor_option(0.5, torch.float64), tensor_option(0.75, torch.float64))}], False, ("float64",)),
        ("fused", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "fused": True}, [{}, group1], False, ("float64",)),
    ]
    for variant, defaults, overrides, resume, dtypes in cases:
        trajectory_case(ff, "Adam", variant, defaults, overrides, dtypes=dtypes, resume=resume)
    mixed_dtype_case(ff)
    return ff


def gen_adamw():
    ff = FixtureFile("adamw")
    cases = [
        ("default", {"lr": 0.01}, [{}, {"lr": 0.05, "weight_decay": 0.5}], True, BOTH),
        ("amsgrad", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}, [{}, {"amsgrad": False}], True, BOTH),
        ("maximize", {"lr": 0.01, "maximize": True, "weight_decay": 0.1}, [{}, {"weight_decay": 0}], False, BOTH),
        ("betas_eps", {"lr": 0.03, "betas": (0.5, 0.8), "eps": 1e-4}, [{}, {"betas": (0.99, 0.9999)}], False, BOTH),
        ("tensor_lr", {"lr": lr_tensor(0.01), "weight_decay": 0.2}, [{}, {}], False, BOTH),
        ("fused", {"lr": 0.01, "fused": True}, [{}, {"lr": 0.05}], False, ("float64",)),
    ]
    for variant, defaults, overrides, resume, dtypes in cases:
        trajectory_case(ff, "AdamW", variant, defaults, overrides, dtypes=dtypes, resume=resume)
    return ff


def mixed_dtype_case(ff):
    """One float32 and one float64 parameter in one Adam: state follows each parameter's dtype."""
    base = "adam_mixed_dtypes"
    seed(base)
    init = {"w32": torch.randn(3, dtype=torch.float64), "w64": torch.randn(3, dtype=torch.float64)}
    dts = {"w32": torch.float32, "w64": torch.float64}
    grads64 = {n: [torch.randn(3, dtype=torch.float64) for _ in range(STEPS)] for n in init}
    params = {n: init[n].to(dts[n]).clone().requires_grad_(True) for n in init}
    defaults = {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}
    opt = torch.optim.Adam(list(params.values()), **defaults)
    traj = {n: [] for n in init}
    states = {}
    for t in range(STEPS):
        for n, p in params.items():
            p.grad = grads64[n][t].to(dts[n])
        opt.step()
        for n, p in params.items():
            traj[n].append(p.detach().clone())
            for k, v in opt.state[p].items():
                states.setdefault((n, k), []).append(v.detach().clone())
    config = {
        "optimizer": "Adam",
        "defaults": defaults,
        "params": {n: DTYPE_NAMES[dts[n]] for n in init},
        "steps": STEPS,
        "repr": repr(opt),
        "state_dict": state_dict_config(opt),
    }
    tensors = {f"init/{n}": init[n].to(dts[n]) for n in init}
    for n in init:
        tensors[f"grad/{n}"] = torch.stack([g.to(dts[n]) for g in grads64[n]])
    for n in init:
        tensors[f"param/{n}"] = torch.stack(traj[n])
    for (n, k), vs in states.items():
        tensors[f"state/{n}/{k}"] = torch.stack(vs)
    ff.add(base, config, tensors)


# ---------------------------------------------------------------------------------------------
# closure.json: Rosenbrock with step(closure)
# ---------------------------------------------------------------------------------------------

ROSENBROCK_STEPS = 100
ROSENBROCK_START = [-1.5, 2.0]


def gen_closure():
    ff = FixtureFile("closure")
    for opt_name, defaults in (("SGD", {"lr": 1e-4, "momentum": 0.9}), ("Adam", {"lr": 0.05}),
                               ("AdamW", {"lr": 0.05, "weight_decay": 0.1})):
        x = torch.tensor(ROSENBROCK_START, dtype=torch.float64, requires_grad=True)
        opt = OPTIMIZERS[opt_name]([x], **defaults)
        calls = [0]

        def closure():
            calls[0] += 1
            opt.zero_grad()
            loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
            loss.backward()
            return loss

        losses, xs = [], []
        for _ in range(ROSENBROCK_STEPS):
            losses.append(opt.step(closure).detach().clone())
            xs.append(x.detach().clone())
        if calls[0] != ROSENBROCK_STEPS:
            raise RuntimeError("the closure must run once per step")
        config = {
            "optimizer": opt_name,
            "defaults": defaults,
            "function": "(1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2",
            "closure": "zero_grad(); loss = f(x); loss.backward(); return loss",
            "start": ROSENBROCK_START,
            "steps": ROSENBROCK_STEPS,
        }
        ff.add(f"rosenbrock_{opt_name.lower()}_float64", config,
               {"losses": torch.stack(losses), "x": torch.stack(xs)})
    return ff


# ---------------------------------------------------------------------------------------------
# api.json: repr, messages, state_dict layouts, hooks
# ---------------------------------------------------------------------------------------------


def p2(*shape):
    return torch.zeros(shape or (2,), requires_grad=True)


def repr_cases(ff):
    cases = [
        ("repr_sgd_default", "SGD", {}, None, False),
        ("repr_adam_default", "Adam", {}, None, False),
        ("repr_adamw_default", "AdamW", {}, None, False),
        ("repr_sgd_momentum_ints", "SGD", {"lr": 1, "momentum": 0.9, "weight_decay": 5e-4, "nesterov": True}, None, False),
        ("repr_adam_groups_extra", "Adam", {"lr": 1e16, "betas": (0.0, 0.5), "eps": 1e-12, "foreach": False},
         [{"lr": 1e-05, "extra": "abc", "tup": (0.5,), "pair": (1, 2.5), "none": None, "flag": True,
           "third": 0.1 + 0.2, "big": 123456789012345678.0, "tiny": 1.5e-300, "neg": -0.0, "inf": math.inf}, {}],
         False),
        ("repr_named", "SGD", {"lr": 0.1}, None, True),
        ("repr_adamw_tensor_lr", "AdamW", {"lr": tensor_option(0.01)}, None, False),
        ("repr_sgd_tensor_lr_1d", "SGD", {"lr": tensor_option(0.01, shape=(1,))}, None, False),
        ("repr_adam_capturable_fused", "Adam", {"capturable": True, "fused": True, "amsgrad": True}, None, False),
    ]
    for name, opt_name, kwargs, groups, named in cases:
        params = [p2(), p2(3)]
        if named:
            opt = OPTIMIZERS[opt_name]([("weight", params[0]), ("bias", params[1])], **kwargs)
            groups_cfg = None
        elif groups is not None:
            opt = OPTIMIZERS[opt_name]([dict(params=[params[0]], **groups[0]), dict(params=[params[1]], **groups[1])],
                                       **kwargs)
            groups_cfg = [encode_options(g) for g in groups]
        else:
            opt = OPTIMIZERS[opt_name](params, **kwargs)
            groups_cfg = None
        ff.add(name, {"optimizer": opt_name, "defaults": encode_options(kwargs), "groups": groups_cfg,
                      "named": named, "repr": repr(opt), "state_dict": state_dict_config(opt)}, {})


def expect_error(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001 - the exception is the expected value
        return [type(e).__name__, str(e)]
    raise RuntimeError("expected an exception")


def error_cases(ff):
    """Constructor validation: [optimizer, kwargs, exception type, message]."""
    table = [
        ("SGD", {"lr": -1}), ("SGD", {"lr": -1.0}), ("SGD", {"lr": -0.5e-7}), ("SGD", {"momentum": -0.5}),
        ("SGD", {"weight_decay": -1e-3}), ("SGD", {"nesterov": True}),
        ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}), ("SGD", {"nesterov": True, "momentum": 0}),
        ("SGD", {"fused": True, "foreach": True}), ("SGD", {"fused": True, "differentiable": True}),
        ("SGD", {"lr": -1.0, "momentum": -1.0}),
        ("Adam", {"lr": -1}), ("Adam", {"lr": -1.0}), ("Adam", {"lr": math.nan}), ("Adam", {"eps": -1e-9}),
        ("Adam", {"betas": (1.0, 0.5)}), ("Adam", {"betas": (-0.1, 0.5)}), ("Adam", {"betas": (0.5, 1.0)}),
        ("Adam", {"betas": (0.5, 1)}), ("Adam", {"weight_decay": -0.1}),
        ("Adam", {"fused": True, "foreach": True}), ("Adam", {"fused": True, "differentiable": True}),
        ("Adam", {"lr": -1.0, "eps": -1.0}),
        ("AdamW", {"lr": -2.5}), ("AdamW", {"betas": (0.9, 1.5)}), ("AdamW", {"weight_decay": -1}),
        ("AdamW", {"eps": -1.0}), ("AdamW", {"fused": True, "foreach": True}),
    ]
    rows = []
    for opt_name, kwargs in table:
        kind, message = expect_error(lambda: OPTIMIZERS[opt_name]([p2()], **kwargs))
        rows.append([opt_name, encode_options(kwargs), kind, message])
    ff.add("constructor_errors", {"rows": rows}, {})

    x, y = p2(), p2()
    scenarios = {
        "empty_params": lambda: torch.optim.SGD([]),
        "non_leaf": lambda: torch.optim.SGD([x * 2]),
        "set_in_group": lambda: torch.optim.SGD([{"params": {x}}]),
        "duplicate_across_groups": lambda: torch.optim.SGD([{"params": [x]}, {"params": [y, x]}]),
        "names_missing": lambda: torch.optim.SGD([("a", x), y]),
        "unnamed_after_named": lambda: torch.optim.SGD([{"params": [("a", x)]}, {"params": [y]}]),
        "named_after_unnamed": lambda: torch.optim.SGD([{"params": [x]}, {"params": [("b", y)]}]),
        "load_group_count": lambda: torch.optim.SGD([x]).load_state_dict({"state": {}, "param_groups": []}),
        "load_group_size": lambda: torch.optim.SGD([x]).load_state_dict(
            {"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]}),
        "load_group_size_second": lambda: torch.optim.SGD([{"params": [x]}, {"params": [y]}]).load_state_dict(
            torch.optim.SGD([{"params": [x]}, {"params": [y, p2()]}]).state_dict()),
    }
    rows = [[name] + expect_error(fn) for name, fn in scenarios.items()]
    ff.add("base_errors", {"rows": rows}, {})


def state_dict_cases(ff):
    # Named parameters: param_names leads the group keys; Adam state after one step.
    w, b = torch.ones(2, 2, dtype=torch.float64, requires_grad=True), torch.ones(2, requires_grad=True)
    opt = torch.optim.Adam([("weight", w), ("bias", b)], lr=0.1)
    w.grad, b.grad = torch.full_like(w, 0.5), torch.full_like(b, -1.0)
    opt.step()
    ff.add("state_dict_named_adam", {"optimizer": "Adam", "defaults": {"lr": 0.1}, "named": ["weight", "bias"],
                                     "dtypes": ["float64", "float32"], "grads": [0.5, -1.0],
                                     "state_dict": state_dict_config(opt), "repr": repr(opt)},
           {"weight": w, "bias": b, "exp_avg_sq/0": opt.state[w]["exp_avg_sq"]})
    # A parameter twice in one group: a warning; ids map to the last index.
    p = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = torch.optim.SGD([p, p], lr=0.1, momentum=0.9)
    p.grad = torch.ones(2)
    opt.step()
    ff.add("state_dict_duplicate_sgd", {"optimizer": "SGD", "defaults": {"lr": 0.1, "momentum": 0.9},
                                        "warning": str(caught[0].message), "state_dict": state_dict_config(opt)},
           {"param": p, "momentum_buffer": opt.state[p]["momentum_buffer"]})
    # Loading an old-style Adam state_dict: missing flags are filled in, a plain-number step becomes a tensor,
    # state tensors take the parameter's dtype, "step" keeps its own; unknown ids are kept as they are.
    q = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([q])
    old = {"state": {0: {"step": 3, "exp_avg": torch.tensor([0.5, -0.25]), "exp_avg_sq": torch.tensor([0.25, 1.0])}},
           "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False,
                             "params": [0]}]}
    opt.load_state_dict(old)
    ff.add("load_legacy_adam", {"optimizer": "Adam", "param_dtype": "float64", "state_dict": state_dict_config(opt),
                                "repr": repr(opt)},
           {"step": opt.state[q]["step"], "exp_avg": opt.state[q]["exp_avg"]})
    # AdamW forces decoupled_weight_decay back on.
    opt = torch.optim.AdamW([p2()])
    sd = opt.state_dict()
    sd["param_groups"][0]["decoupled_weight_decay"] = False
    del sd["param_groups"][0]["amsgrad"]
    opt.load_state_dict(sd)
    ff.add("load_adamw_forces_decoupled", {"optimizer": "AdamW", "state_dict": state_dict_config(opt)}, {})
    # SGD's back-compat defaults (fused becomes False, not None).
    opt = torch.optim.SGD([p2()])
    opt.load_state_dict({"state": {}, "param_groups": [{"params": [0], "lr": 0.1, "momentum": 0, "dampening": 0,
                                                        "weight_decay": 0}]})
    ff.add("load_legacy_sgd", {"optimizer": "SGD", "state_dict": state_dict_config(opt), "repr": repr(opt)}, {})


def hooks_case(ff):
    """The order in which every kind of hook runs, prepend included."""
    events = []
    p = p2()
    opt = torch.optim.SGD([p], lr=0.1)
    handles = [
        register_optimizer_step_pre_hook(lambda o, a, k: events.append("global_pre")),
        register_optimizer_step_post_hook(lambda o, a, k: events.append("global_post")),
    ]
    opt.register_step_pre_hook(lambda o, a, k: events.append("pre_a"))
    h = opt.register_step_pre_hook(lambda o, a, k: events.append("pre_removed"))
    opt.register_step_pre_hook(lambda o, a, k: events.append("pre_b"))
    opt.register_step_post_hook(lambda o, a, k: events.append("post_a"))
    opt.register_step_post_hook(lambda o, a, k: events.append("post_b"))
    h.remove()
    opt.register_state_dict_pre_hook(lambda o: events.append("sd_pre_a"))
    opt.register_state_dict_pre_hook(lambda o: events.append("sd_pre_first"), prepend=True)
    opt.register_state_dict_post_hook(lambda o, sd: events.append("sd_post_a"))
    opt.register_state_dict_post_hook(lambda o, sd: events.append("sd_post_first"), prepend=True)
    opt.register_load_state_dict_pre_hook(lambda o, sd: events.append("load_pre_a"))
    opt.register_load_state_dict_pre_hook(lambda o, sd: events.append("load_pre_first"), prepend=True)
    opt.register_load_state_dict_post_hook(lambda o: events.append("load_post_a"))
    opt.register_load_state_dict_post_hook(lambda o: events.append("load_post_first"), prepend=True)
    p.grad = torch.ones(2)
    events.append("step")
    opt.step()
    events.append("state_dict")
    sd = opt.state_dict()
    events.append("load_state_dict")
    opt.load_state_dict(sd)
    for handle in handles:
        handle.remove()
    events.append("step_after_removing_global")
    opt.step()
    ff.add("hooks_order", {"events": events}, {})


def gen_api():
    ff = FixtureFile("api")
    repr_cases(ff)
    error_cases(ff)
    state_dict_cases(ff)
    hooks_case(ff)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = (gen_sgd, gen_adam, gen_adamw, gen_closure, gen_api)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "optim"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"gen_optim.py needs torch {TORCH_VERSION}, found {torch.__version__}")
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
