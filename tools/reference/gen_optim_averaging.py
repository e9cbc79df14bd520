#!/usr/bin/env python3
"""Expected values for ASGD, NAdam, RAdam and SparseAdam, computed by real PyTorch.

Writes into --out (default: fixtures/optim_averaging at the repository root):

  asgd.json, nadam.json,       trajectories in gen_optim.py's format (its trajectory_case): a matrix of
  radam.json                   configurations turning each option on and off, float32 and float64, two param
                               groups with different hyper-parameters, one parameter without a gradient on
                               some steps, 25 steps, save/load/continue for several cases
  sparse/sparse_adam.json      SparseAdam trajectories with sparse COO gradients (format below); in a
                               subdirectory because their gradients are not the dense rows TrajectoryTest
                               replays (it reads the .json files directly in fixtures/optim*/ only)
  closure.json                 Rosenbrock minimised with step(closure), float64, for ASGD, NAdam and RAdam
                               (not SparseAdam: a dense objective has dense gradients, which it rejects)
  api.json                     repr strings, constructor and step error messages, unknown keywords, and
                               back-compat loading of old state dicts (__setstate__), each followed by a step

NAdam's float64 resume cases are built by attach_resume below, not by trajectory_case: load_state_dict casts
every state tensor but "step" to the parameter's dtype, so the float32 mu_product becomes float64 and the
continued run differs from the uninterrupted one in the last bits (PyTorch's behaviour, which the Java test
replays). Their config says so ("resume_matches_uninterrupted": false).

Sparse cases ("sparse_adam_<variant>_<dtype>") have three parameters: "emb" [6, 3] (an embedding table whose
gradient comes from F.embedding(..., sparse=True): uncoalesced, indices repeat) and "vec" [5] (sparse_dim 1,
no dense dims) in group 0, "mat" [3, 4] (sparse_dim 2) in group 1. Config: as a trajectory case, plus
"empty_grad" (steps on which a parameter's gradient is an empty sparse tensor). Tensors: init/<p>;
grad/<p>/nnz (int64 [number of steps with a gradient]: the entries of each), grad/<p>/indices (int64
[sparse_dim, total], each step's indices in turn, as PyTorch produced them) and grad/<p>/values
([total, dense...]); param/<p> after every step; state/<p>/step (int64), state/<p>/exp_avg and
state/<p>/exp_avg_sq after every step from state_from on; resume/param/<p> for a resume case.

Every value in the files is produced by torch; this script only chooses configurations and writes the results
down. See tools/reference/README.md for the file format and the tolerance rule.
"""

import argparse
import copy
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optim  # noqa: E402  (the shared trajectory machinery; its main() does not run on import)
from gen_optim import (  # noqa: E402
    BOTH,
    DTYPES,
    GROUPS,
    RESUME_AT,
    STEPS,
    FixtureFile,
    encode_group,
    encode_options,
    expect_error,
    lr_tensor,
    p2,
    seed,
    state_dict_config,
    tensor_option,
    trajectory_case,
)

GENERATOR = "tools/reference/gen_optim_averaging.py"
gen_optim.GENERATOR = GENERATOR  # the meta line of the files written here
AVERAGING = {
    "ASGD": torch.optim.ASGD,
    "NAdam": torch.optim.NAdam,
    "RAdam": torch.optim.RAdam,
    "SparseAdam": torch.optim.SparseAdam,
}
gen_optim.OPTIMIZERS.update(AVERAGING)
F64 = ("float64",)
F32 = ("float32",)


def attach_resume(ff, opt_name, variant, dn, defaults, overrides):
    """Adds save/load/continue to a case trajectory_case wrote without it, when the continued run may differ.

    The case's recorded inputs are replayed up to RESUME_AT, the state_dict saved there is loaded into a fresh
    optimizer (constructor defaults, groups without overrides) and the run continues: resume/param/<p> holds
    PyTorch's continued trajectory, whether or not it equals the uninterrupted one.
    """
    name = f"{opt_name.lower()}_{variant}_{dn}"
    config, encoded = ff.cases[name]
    dt = DTYPES[dn]
    t = {tn: torch.tensor(data, dtype=dt).reshape(shape) for tn, _, shape, data in encoded}
    names = [n for members in GROUPS for n in members]
    grads = {}
    for n in names:
        present = iter(t[f"grad/{n}"])
        none = set(config["grad_none"].get(n, []))
        grads[n] = [None if s in none else next(present) for s in range(1, STEPS + 1)]
    params = {n: t[f"init/{n}"].clone().requires_grad_(True) for n in names}
    opt = gen_optim.build(opt_name, params, defaults, overrides)
    gen_optim.run_steps(opt, params, grads, range(1, RESUME_AT + 1), lambda s, o: None)
    for n in names:
        if not torch.equal(params[n].detach(), t[f"param/{n}"][RESUME_AT - 1]):
            raise RuntimeError(f"{name}: the replayed run differs from the recorded one")
    sd = copy.deepcopy(opt.state_dict())
    params2 = {n: p.detach().clone().requires_grad_(True) for n, p in params.items()}
    opt2 = gen_optim.build(opt_name, params2, {}, [{}, {}])
    opt2.load_state_dict(sd)
    cont = {n: [] for n in names}

    def record(s, o):
        for n, p in params2.items():
            cont[n].append(p.detach().clone())

    gen_optim.run_steps(opt2, params2, grads, range(RESUME_AT + 1, STEPS + 1), record)
    same = all(torch.equal(torch.stack(cont[n]), t[f"param/{n}"][RESUME_AT:]) for n in names)
    config["resume"] = {"at": RESUME_AT, "defaults": {}, "repr_after_load": repr(opt2),
                        "resume_matches_uninterrupted": same}
    for n in names:
        resumed = torch.stack(cont[n])
        encoded.append((f"resume/param/{n}", dn, list(resumed.shape), resumed.reshape(-1).tolist()))


# ---------------------------------------------------------------------------------------------
# Trajectories: asgd.json, nadam.json, radam.json
# ---------------------------------------------------------------------------------------------


def gen_asgd():
    ff = FixtureFile("asgd")
    cases = [
        # The default t0 = 1e6 never averages (mu stays 1: ax is the last iterate).
        ("default", {"lr": 0.05}, [{}, {"lr": 0.1, "lambd": 0.01}], True, BOTH),
        ("averaging", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.5, "t0": 5}, [{}, {"t0": 10.0, "alpha": 1.0}], True,
         BOTH),
        ("weight_decay", {"lr": 0.05, "weight_decay": 0.1, "t0": 3}, [{}, {"weight_decay": 0}], False, BOTH),
        ("maximize", {"lr": 0.02, "maximize": True, "weight_decay": 0.05, "t0": 0}, [{}, {"maximize": False}], True,
         BOTH),
        ("large_lambd", {"lr": 0.1, "lambd": 0.5, "alpha": 0.9, "t0": 2.0}, [{}, {"lambd": 0.0, "lr": 0.01}], False,
         BOTH),
        # A tensor lr makes the new eta 0-dim tensor arithmetic in the lr's dtype.
        ("tensor_lr", {"lr": lr_tensor(0.05), "lambd": 0.01, "t0": 4}, [{}, {}], False, BOTH),
        ("tensor_lr64", {"lr": tensor_option(0.05, torch.float64), "lambd": 0.01, "alpha": 0.6, "t0": 4}, [{}, {}],
         False, F64),
        # foreach=False is the single-tensor path PyTorch runs on CPU anyway. (foreach=True is not recorded:
        # PyTorch's multi-tensor ASGD computes the new eta in float32 from the float32 step tensor, about 1e-9
        # relative away from the single-tensor eta that optim4j computes for every foreach value.)
        ("foreach_false", {"lr": 0.05, "t0": 5, "weight_decay": 0.1, "foreach": False}, [{}, {"lr": 0.02}], False,
         F64),
    ]
    for variant, defaults, overrides, resume, dtypes in cases:
        trajectory_case(ff, "ASGD", variant, defaults, overrides, dtypes=dtypes, resume=resume)
    return ff


def gen_nadam():
    ff = FixtureFile("nadam")
    group1 = {"lr": 0.05, "betas": (0.8, 0.95)}
    cases = [
        ("default", {"lr": 0.01}, [{}, group1], True),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False),
        ("decoupled", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.5, "lr": 0.1}], True),
        ("momentum_decay", {"lr": 0.02, "momentum_decay": 0.1}, [{}, {"momentum_decay": 0.0}], False),
        ("maximize_eps", {"lr": 0.01, "maximize": True, "eps": 1e-3, "betas": (0.5, 0.8)}, [{}, {"maximize": False}],
         False),
        ("all", {"lr": 0.02, "weight_decay": 0.2, "decoupled_weight_decay": True, "maximize": True,
                 "momentum_decay": 0.01}, [{}, {"decoupled_weight_decay": False, "eps": 1e-4}], True),
        ("tensor_lr", {"lr": lr_tensor(0.01), "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.0}], False),
    ]
    for variant, defaults, overrides, resume in cases:
        # float32: the loaded mu_product stays float32 and the continued run is the uninterrupted one.
        trajectory_case(ff, "NAdam", variant, defaults, overrides, dtypes=F32, resume=resume)
        trajectory_case(ff, "NAdam", variant, defaults, overrides, dtypes=F64)
        if resume:
            attach_resume(ff, "NAdam", variant, "float64", defaults, overrides)
    trajectory_case(ff, "NAdam", "foreach", {"lr": 0.01, "weight_decay": 0.1, "foreach": True}, [{}, group1],
                    dtypes=F64)
    return ff


def gen_radam():
    ff = FixtureFile("radam")
    cases = [
        # With beta2 = 0.999 the first five steps are un-adapted (rho_t <= 5); (0.8, 0.95) switches at step 6.
        ("default", {"lr": 0.01}, [{}, {"lr": 0.05, "betas": (0.8, 0.95)}], True, BOTH),
        # beta2 = 0.5: rho_inf = 3, so no step of group 1 is ever adapted.
        ("never_rectified", {"lr": 0.01, "betas": (0.9, 0.99)}, [{}, {"betas": (0.9, 0.5)}], False, BOTH),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False, BOTH),
        ("decoupled", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.5, "lr": 0.1}], True, BOTH),
        ("maximize_eps", {"lr": 0.02, "maximize": True, "eps": 1e-3, "betas": (0.5, 0.9)}, [{}, {"maximize": False}],
         False, BOTH),
        ("all", {"lr": 0.02, "weight_decay": 0.2, "decoupled_weight_decay": True, "maximize": True,
                 "betas": (0.8, 0.9)}, [{}, {"decoupled_weight_decay": False, "eps": 1e-4}], True, BOTH),
        ("tensor_lr", {"lr": lr_tensor(0.01), "weight_decay": 0.1, "decoupled_weight_decay": True},
         [{}, {"weight_decay": 0.0, "betas": (0.8, 0.95)}], False, BOTH),
        ("foreach", {"lr": 0.01, "foreach": True, "betas": (0.8, 0.95)}, [{}, {"foreach": False}], False, F64),
    ]
    for variant, defaults, overrides, resume, dtypes in cases:
        trajectory_case(ff, "RAdam", variant, defaults, overrides, dtypes=dtypes, resume=resume)
    return ff


# ---------------------------------------------------------------------------------------------
# sparse/sparse_adam.json: SparseAdam with sparse COO gradients
# ---------------------------------------------------------------------------------------------

SPARSE_SHAPES = {"emb": (6, 3), "vec": (5,), "mat": (3, 4)}
SPARSE_GROUPS = (("emb", "vec"), ("mat",))
SPARSE_GRAD_NONE = {"vec": [1, 2, 6, 11]}
SPARSE_EMPTY = {"mat": [7, 15]}


def sparse_inputs(base):
    """Initial values and, per step, (indices, float64 values) of each parameter's sparse gradient (or None)."""
    seed(base)
    init = {n: torch.randn(s, dtype=torch.float64) for n, s in SPARSE_SHAPES.items()}
    grads = {n: [] for n in SPARSE_SHAPES}
    for t in range(1, STEPS + 1):
        for n, shape in SPARSE_SHAPES.items():
            if t in SPARSE_GRAD_NONE.get(n, []):
                grads[n].append(None)
                continue
            empty = t in SPARSE_EMPTY.get(n, [])
            if n == "emb":
                # An embedding lookup (indices repeat): the gradient PyTorch builds is uncoalesced.
                ids = torch.randint(0, shape[0], (int(torch.randint(2, 6, ())),))
                weight = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
                out = F.embedding(ids, weight, sparse=True)
                out.backward(torch.randn(out.shape, dtype=torch.float64))
                g = weight.grad
                grads[n].append((g._indices().clone(), g._values().clone()))
            else:
                nnz = 0 if empty else int(torch.randint(1, 6, ()))
                idx = torch.stack([torch.randint(0, d, (nnz,)) for d in shape])
                grads[n].append((idx, torch.randn(nnz, dtype=torch.float64)))
    return init, grads


def sparse_case(ff, variant, defaults, overrides, dtypes=BOTH, resume=False):
    base = f"sparse_adam_{variant}"
    init, grads64 = sparse_inputs(base)
    names = list(SPARSE_SHAPES)
    for dn in dtypes:
        dt = DTYPES[dn]
        shapes = SPARSE_SHAPES

        def grad_tensor(n, step):
            entry = grads64[n][step - 1]
            if entry is None:
                return None
            idx, vals = entry
            return torch.sparse_coo_tensor(idx, vals.to(dt), shapes[n], check_invariants=True)

        def make(values):
            return {n: values[n].to(dt).clone().requires_grad_(True) for n in names}

        def build(params, d, o):
            groups = []
            for members, over in zip(SPARSE_GROUPS, o):
                g = {"params": [params[n] for n in members]}
                g.update(over)
                groups.append(g)
            return torch.optim.SparseAdam(groups, **d)

        params = make(init)
        opt = build(params, defaults, overrides)
        config = {
            "optimizer": "SparseAdam",
            "defaults": encode_options(defaults),
            "groups": [dict(params=list(m), **encode_options(o)) for m, o in zip(SPARSE_GROUPS, overrides)],
            "steps": STEPS,
            "grad_none": SPARSE_GRAD_NONE,
            "empty_grad": SPARSE_EMPTY,
            "repr": repr(opt),
        }
        traj = {n: [] for n in names}
        states = {}
        state_from = {}
        saved = None
        for t in range(1, STEPS + 1):
            for n, p in params.items():
                p.grad = grad_tensor(n, t)
            opt.step()
            for n, p in params.items():
                traj[n].append(p.detach().clone())
                for k, v in opt.state[p].items() if p in opt.state else ():
                    state_from.setdefault(n, t)
                    states.setdefault((n, k), []).append(torch.tensor(v) if k == "step" else v.detach().clone())
            if resume and t == RESUME_AT:
                saved = (copy.deepcopy(opt.state_dict()), {n: p.detach().clone() for n, p in params.items()})
        config["state_from"] = state_from
        config["state_keys"] = {n: list(opt.state[p].keys()) if p in opt.state else [] for n, p in params.items()}
        config["state_dict"] = state_dict_config(opt)
        tensors = {f"init/{n}": init[n].to(dt) for n in names}
        for n in names:
            present = [grads64[n][t - 1] for t in range(1, STEPS + 1) if grads64[n][t - 1] is not None]
            tensors[f"grad/{n}/nnz"] = torch.tensor([idx.shape[1] for idx, _ in present], dtype=torch.int64)
            tensors[f"grad/{n}/indices"] = torch.cat([idx for idx, _ in present], dim=1)
            tensors[f"grad/{n}/values"] = torch.cat([vals for _, vals in present], dim=0).to(dt)
        for n in names:
            tensors[f"param/{n}"] = torch.stack(traj[n])
        for (n, k), vs in states.items():
            tensors[f"state/{n}/{k}"] = torch.stack(vs)
        if resume:
            sd, values = saved
            params2 = make({n: v for n, v in values.items()})
            opt2 = build(params2, {}, [{}, {}])
            opt2.load_state_dict(sd)
            cont = {n: [] for n in names}
            for t in range(RESUME_AT + 1, STEPS + 1):
                for n, p in params2.items():
                    p.grad = grad_tensor(n, t)
                opt2.step()
                for n, p in params2.items():
                    cont[n].append(p.detach().clone())
            for n in names:
                resumed = torch.stack(cont[n])
                if not torch.equal(resumed, torch.stack(traj[n][RESUME_AT:])):
                    raise RuntimeError(f"{base}_{dn}: the resumed run differs from the uninterrupted one")
                tensors[f"resume/param/{n}"] = resumed
            config["resume"] = {"at": RESUME_AT, "defaults": {}, "repr_after_load": repr(opt2)}
        ff.add(f"{base}_{dn}", config, tensors)


def gen_sparse_adam():
    ff = FixtureFile("sparse_adam")
    sparse_case(ff, "default", {"lr": 0.01}, [{}, {"lr": 0.05, "betas": (0.8, 0.95)}], resume=True)
    sparse_case(ff, "maximize_eps", {"lr": 0.02, "maximize": True, "eps": 1e-3}, [{}, {"maximize": False}])
    sparse_case(ff, "betas", {"lr": 0.01, "betas": (0.0, 0.5)}, [{}, {"betas": (0.99, 0.9999), "eps": 1e-6}],
                resume=True)
    sparse_case(ff, "tensor_lr", {"lr": lr_tensor(0.01)}, [{}, {}])
    return ff


# ---------------------------------------------------------------------------------------------
# closure.json: Rosenbrock with step(closure)
# ---------------------------------------------------------------------------------------------

ROSENBROCK_STEPS = 100
ROSENBROCK_START = [-1.5, 2.0]
ROSENBROCK = (
    ("ASGD", {"lr": 1e-4, "lambd": 1e-3, "t0": 10}),
    ("NAdam", {"lr": 0.05}),
    ("RAdam", {"lr": 1e-3, "weight_decay": 0.01, "decoupled_weight_decay": True}),
)


def gen_closure():
    ff = FixtureFile("closure")
    for opt_name, defaults in ROSENBROCK:
        x = torch.tensor(ROSENBROCK_START, dtype=torch.float64, requires_grad=True)
        opt = AVERAGING[opt_name]([x], **defaults)
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
        if calls[0] != ROSENBROCK_STEPS or not all(math.isfinite(v.item()) for v in losses):
            raise RuntimeError(f"{opt_name}: one finite closure call per step expected")
        config = {
            "optimizer": opt_name,
            "defaults": defaults,
            "function": "(1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2",
            "closure": "zero_grad(); loss = f(x); loss.backward(); return loss",
            "start": ROSENBROCK_START,
            "steps": ROSENBROCK_STEPS,
        }
        ff.add(f"rosenbrock_{opt_name.lower()}_float64", config, {"losses": torch.stack(losses), "x": torch.stack(xs)})
    return ff


# ---------------------------------------------------------------------------------------------
# api.json: repr, messages, back-compat loading
# ---------------------------------------------------------------------------------------------


def repr_cases(ff):
    """[optimizer, defaults, groups or None]: the repr and the state_dict of an optimizer of p2() and p2(3)."""
    cases = [
        ("repr_asgd_default", "ASGD", {}, None),
        ("repr_nadam_default", "NAdam", {}, None),
        ("repr_radam_default", "RAdam", {}, None),
        ("repr_sparse_adam_default", "SparseAdam", {}, None),
        ("repr_asgd_groups", "ASGD", {"lr": 0.5, "t0": 100, "lambd": 0.0, "foreach": True, "capturable": True},
         [{"alpha": 1, "weight_decay": 1e-5}, {}]),
        ("repr_nadam_tensor_lr", "NAdam", {"lr": lr_tensor(0.01), "momentum_decay": 0.0},
         [{"decoupled_weight_decay": True, "weight_decay": 0.01}, {"betas": (0.5, 0.75)}]),
        ("repr_radam_groups", "RAdam", {"eps": 1e-6, "foreach": False, "maximize": True},
         [{"lr": 1e-5}, {"betas": (0.0, 0.5), "capturable": True}]),
        ("repr_sparse_adam_groups", "SparseAdam", {"lr": 0.1, "betas": (0.5, 0.6)},
         [{"eps": 1e-3}, {"maximize": True}]),
    ]
    for name, opt_name, kwargs, groups in cases:
        params = [p2(), p2(3)]
        if groups is not None:
            opt = AVERAGING[opt_name]([dict(params=[params[0]], **groups[0]), dict(params=[params[1]], **groups[1])],
                                      **kwargs)
            groups_cfg = [encode_options(g) for g in groups]
        else:
            opt = AVERAGING[opt_name](params, **kwargs)
            groups_cfg = None
        ff.add(name, {"optimizer": opt_name, "defaults": encode_options(kwargs), "groups": groups_cfg,
                      "repr": repr(opt), "state_dict": state_dict_config(opt)}, {})


def sparse_coo(indices, values, size, dtype=torch.float32):
    """A sparse COO tensor, torch.sparse_coo_tensor(indices, values, size) with its invariants checked."""
    values = torch.tensor(values, dtype=dtype)
    return torch.sparse_coo_tensor(torch.tensor(indices), values, size, check_invariants=True)


def error_cases(ff):
    """Constructor validation: [optimizer, kwargs, exception type, message]."""
    two = tensor_option(0.1, shape=(2,))
    table = [
        ("ASGD", {"lr": -1}), ("ASGD", {"lr": -1.0}), ("ASGD", {"lr": math.nan}), ("ASGD", {"lr": two}),
        ("ASGD", {"lr": lr_tensor(-0.5)}), ("ASGD", {"weight_decay": -0.1}), ("ASGD", {"lr": -1.0, "weight_decay": -1}),
        ("NAdam", {"lr": -1.0}), ("NAdam", {"lr": two}), ("NAdam", {"eps": -1e-9}), ("NAdam", {"betas": (1.0, 0.5)}),
        ("NAdam", {"betas": (-0.1, 0.5)}), ("NAdam", {"betas": (0.5, 1)}), ("NAdam", {"weight_decay": -1}),
        ("NAdam", {"momentum_decay": -0.004}), ("NAdam", {"momentum_decay": math.nan}),
        ("NAdam", {"eps": -1.0, "momentum_decay": -1.0}),
        ("RAdam", {"lr": -0.1}), ("RAdam", {"lr": two}), ("RAdam", {"eps": -1e-9}), ("RAdam", {"betas": (1.5, 0.5)}),
        ("RAdam", {"betas": (0.9, 1.0)}), ("RAdam", {"weight_decay": -0.5}), ("RAdam", {"lr": -1, "eps": -1}),
        ("SparseAdam", {"lr": 0}), ("SparseAdam", {"lr": 0.0}), ("SparseAdam", {"lr": -1e-3}),
        ("SparseAdam", {"lr": two}), ("SparseAdam", {"eps": 0.0}), ("SparseAdam", {"eps": -1}),
        ("SparseAdam", {"betas": (1.0, 0.9)}), ("SparseAdam", {"betas": (0.9, 1.0)}),
        ("SparseAdam", {"lr": 0.0, "eps": 0.0}),
    ]
    rows = []
    for opt_name, kwargs in table:
        kind, message = expect_error(lambda: AVERAGING[opt_name]([p2()], **kwargs))
        rows.append([opt_name, encode_options(kwargs), kind, message])
    ff.add("constructor_errors", {"rows": rows}, {})

    # Keywords the signature does not have (the Java message adds the list of valid keywords).
    rows = []
    for opt_name, key in (("ASGD", "fused"), ("ASGD", "betas"), ("NAdam", "fused"), ("RAdam", "momentum_decay"),
                          ("SparseAdam", "weight_decay"), ("SparseAdam", "foreach"), ("SparseAdam", "differentiable")):
        kind, message = expect_error(lambda: AVERAGING[opt_name]([p2()], **{key: True}))
        rows.append([opt_name, key, kind, message])
    ff.add("unknown_keywords", {"rows": rows}, {})

    # SparseAdam's parameter checks (after the base class's) and the gradient-layout errors of step().
    dense = p2()
    sparse = sparse_coo([[0, 2]], [1.0, 2.0], (3,)).requires_grad_(True)
    sparse2 = sparse_coo([[1]], [1.0], (3,)).requires_grad_(True)

    def step_with(opt_cls, param, grad):
        param.grad = grad
        opt_cls([param]).step()

    sparse_grad = sparse_coo([[1, 1]], [1.0, 2.0], (2,))
    scenarios = {
        "sparse_param": lambda: torch.optim.SparseAdam([dense, sparse]),
        "sparse_params_in_groups": lambda: torch.optim.SparseAdam([{"params": [sparse]},
                                                                   {"params": [p2(), sparse2], "lr": 0.1}]),
        "empty_params_first": lambda: torch.optim.SparseAdam([]),
        "invalid_lr_before_sparse_params": lambda: torch.optim.SparseAdam([sparse], lr=-1.0),
        "sparse_adam_dense_grad": lambda: step_with(torch.optim.SparseAdam, p2(), torch.ones(2)),
        "asgd_sparse_grad": lambda: step_with(torch.optim.ASGD, p2(), sparse_grad),
        "nadam_sparse_grad": lambda: step_with(torch.optim.NAdam, p2(), sparse_grad),
        "radam_sparse_grad": lambda: step_with(torch.optim.RAdam, p2(), sparse_grad),
    }
    ff.add("scenario_errors", {"rows": [[name] + expect_error(fn) for name, fn in scenarios.items()]}, {})


def encode_state_dict(sd):
    """A state_dict as JSON: ids as strings, tensors as {"tensor": ...}, plain numbers as they are."""
    return {
        "state": {str(pid): {k: gen_optim.encode_option(v) for k, v in st.items()} for pid, st in sd["state"].items()},
        "param_groups": [encode_group(g, None) for g in sd["param_groups"]],
    }


def legacy_case(ff, name, opt_name, dtype, old, grad, kwargs=None):
    """Loads an old-style state_dict into a fresh optimizer of one parameter of 3 zeros, then takes one step."""
    q = torch.zeros(3, dtype=dtype, requires_grad=True)
    opt = AVERAGING[opt_name]([q], **(kwargs or {}))
    opt.load_state_dict(copy.deepcopy(old))
    loaded = state_dict_config(opt)
    after_load = {f"after_load/{k}": (v if torch.is_tensor(v) else torch.tensor(v)).clone()
                  for k, v in opt.state[q].items()}
    repr_after_load = repr(opt)
    q.grad = grad.to(dtype)
    opt.step()
    tensors = dict(after_load)
    tensors["param_after_step"] = q.detach().clone()
    for k, v in opt.state[q].items():
        tensors[f"after_step/{k}"] = (v if torch.is_tensor(v) else torch.tensor(v)).clone()
    grad_cfg = ({"indices": grad._indices().tolist(), "values": grad._values().tolist()} if grad.is_sparse
                else {"dense": grad.tolist()})
    ff.add(name, {"optimizer": opt_name, "param_dtype": gen_optim.DTYPE_NAMES[dtype],
                  "defaults": encode_options(kwargs or {}), "loaded": encode_state_dict(old),
                  "state_dict": loaded, "repr": repr_after_load, "grad": grad_cfg,
                  "state_dict_after_step": state_dict_config(opt)}, tensors)


def legacy_cases(ff):
    m = torch.tensor([0.5, -0.25, 0.125])
    v = torch.tensor([0.25, 1.0, 0.0625])
    g = torch.tensor([0.3, -0.2, 0.1], dtype=torch.float64)
    # ASGD before capturable/differentiable, with Python-number step, eta and mu (mu != 1: averaging is on).
    legacy_case(ff, "load_legacy_asgd", "ASGD", torch.float64, {
        "state": {0: {"step": 3, "eta": 0.004, "mu": 0.5, "ax": torch.tensor([0.1, 0.2, -0.3])}},
        "param_groups": [{"lr": 0.01, "lambd": 1e-4, "alpha": 0.75, "t0": 2, "weight_decay": 0, "params": [0]}]}, g)
    # ASGD state saved from a float64 run: eta and mu are float64 tensors after loading (cast to the param's dtype).
    legacy_case(ff, "load_asgd_float32_param", "ASGD", torch.float32, {
        "state": {0: {"step": torch.tensor(5.0), "eta": torch.tensor(0.003, dtype=torch.float64),
                      "mu": torch.tensor(1 / 3, dtype=torch.float64), "ax": torch.tensor([0.1, 0.2, -0.3])}},
        "param_groups": [{"lr": 0.01, "lambd": 1e-4, "alpha": 0.75, "t0": 2.0, "weight_decay": 0.1,
                          "foreach": None, "maximize": True, "differentiable": False, "capturable": False,
                          "params": [0]}]}, g)
    # NAdam before decoupled_weight_decay/maximize/capturable, with Python-number step and mu_product.
    legacy_case(ff, "load_legacy_nadam", "NAdam", torch.float64, {
        "state": {0: {"step": 2, "mu_product": 0.8, "exp_avg": m, "exp_avg_sq": v}},
        "param_groups": [{"lr": 0.002, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01,
                          "momentum_decay": 4e-3, "params": [0]}]}, g)
    legacy_case(ff, "load_legacy_nadam_float32", "NAdam", torch.float32, {
        "state": {0: {"step": 2.0, "mu_product": 0.8, "exp_avg": m, "exp_avg_sq": v}},
        "param_groups": [{"lr": 0.002, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                          "momentum_decay": 4e-3, "params": [0]}]}, g)
    # RAdam from 1.13 (no decoupled_weight_decay, maximize, foreach, capturable, differentiable).
    legacy_case(ff, "load_legacy_radam", "RAdam", torch.float64, {
        "state": {0: {"step": 9, "exp_avg": m, "exp_avg_sq": v}},
        "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "params": [0]}]}, g)
    # SparseAdam has no __setstate__ of its own: a group without maximize stays without it (step treats it as
    # False), and the int step is kept.
    sg = sparse_coo([[2, 0, 2]], [0.5, -1.0, 0.25], (3,), torch.float64)
    legacy_case(ff, "load_legacy_sparse_adam", "SparseAdam", torch.float64, {
        "state": {0: {"step": 4, "exp_avg": m, "exp_avg_sq": v}},
        "param_groups": [{"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "params": [0]}]}, sg)


def gen_api():
    ff = FixtureFile("api")
    repr_cases(ff)
    error_cases(ff)
    legacy_cases(ff)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = ((gen_asgd, ""), (gen_nadam, ""), (gen_radam, ""), (gen_sparse_adam, "sparse"), (gen_closure, ""),
         (gen_api, ""))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "optim_averaging"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(gen_optim.TORCH_VERSION):
        raise SystemExit(f"gen_optim_averaging.py needs torch {gen_optim.TORCH_VERSION}, found {torch.__version__}")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    total = 0
    for area, subdir in AREAS:
        out = os.path.join(args.out, subdir) if subdir else args.out
        os.makedirs(out, exist_ok=True)
        path, size = area().write(out)
        total += size
        print(f"{path}: {size} bytes")
    print(f"total: {total} bytes")


if __name__ == "__main__":
    main()
