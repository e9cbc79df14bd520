#!/usr/bin/env python3
"""Expected values for LBFGS, Adafactor and Muon, computed by real PyTorch.

Writes into --out (default: fixtures/optim_matrix at the repository root):

  adafactor.json, muon.json   trajectories in gen_optim.py's format (its trajectory_case): a matrix of
                              configurations turning each option on and off, float32 and float64, two param
                              groups with different hyper-parameters, one parameter without a gradient on some
                              steps, 25 steps, save/load/continue for several cases. Muon takes 2-D parameters
                              only, so its cases use 2-D shapes; Adafactor has one case with 3-D parameters
                              (batched row/column factors).
  closure.json                every closure-driven case: LBFGS (Rosenbrock in float64 with and without the
                              strong-Wolfe line search and with each option changed, a diagonal quadratic plus
                              a small quartic in float32 and float64, a tiny MLP in float64 with one parameter
                              that never gets a gradient, a tensor lr, a save/load/continue run), and Rosenbrock
                              for Adafactor and Muon
  api.json                    repr strings, constructor and step error messages, Adafactor's back-compat
                              loading (__setstate__) and its eps1 rule with mixed dtypes, and Muon's
                              Newton-Schulz orthogonalisation on its own (bfloat16 output) for shapes up to
                              64x64 and a 256x128 case recorded as row sums, column sums and a sample

Closure cases (<problem>_<optimizer>_<variant>_<dtype>) record per step: the loss step() returns ("loss"),
every parameter after the step ("param/<p>"), the closure calls of the step ("calls", int64) and, for LBFGS,
the counters func_evals and n_iter after the step. LBFGS cases also record the final state: its layout
("state_layout": [key, description] with descriptions "int 3", "float", "tensor float64 [2]", lists as
"[...]") and its values (state/d, state/prev_flat_grad, state/old_dirs and state/old_stps stacked, state/ro
stacked, state/t, state/H_diag, state/prev_loss as tensors of the parameters' dtype). A "resume" config means:
save the state_dict after step "at", load it into a fresh LBFGS (constructor defaults) over the same
parameters and continue; PyTorch's continued run equals the uninterrupted one (checked here).

Problems: "rosenbrock" f(x) = (1 - x0)^2 + 100 (x1 - x0^2)^2 from start [-1.5, 2] (shape [2], or [1, 2] for
Muon); "quadratic" f(x) = sum(a x^2 / 2 + x^4 / 64) whose closure sets the gradient a x + x x x / 16
explicitly (float32 x and a; the loss is summed in float64), with dyadic a and start so that the first
|g|_1 is exact in any summation order; "mlp" loss = mean((tanh(x W1^T + b1) W2^T - y)^2) with an extra
parameter "unused" that never gets a gradient.

Muon's Newton-Schulz runs in bfloat16 in PyTorch; the "ns_*" cases of api.json give its input ("grad") and
its output as float32 ("update", exactly the bfloat16 values). "ns_large_256x128" draws its input from a
linear congruential generator the Java test repeats exactly (see lcg_matrix) and records the output's row
and column sums in float64 (exact: bfloat16 values) and every 97th element. These values come from
PyTorch's CPU kernels as dispatched on x86-64 with AVX2 (8-lane float vectors); another CPU capability can
round a few bfloat16 values differently.

Every value in the files is produced by torch; this script only chooses configurations and writes the results
down. See tools/reference/README.md for the file format and the tolerance rule.
"""

import argparse
import copy
import math
import os
import sys

import torch
from torch.optim._muon import _zeropower_via_newtonschulz

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optim  # noqa: E402  (the shared trajectory machinery; its main() does not run on import)
from gen_optim import (  # noqa: E402
    BOTH,
    DTYPE_NAMES,
    DTYPES,
    FixtureFile,
    encode_group,
    encode_options,
    expect_error,
    p2,
    seed,
    state_dict_config,
    tensor_option,
    trajectory_case,
)

GENERATOR = "tools/reference/gen_optim_matrix.py"
gen_optim.GENERATOR = GENERATOR  # the meta line of the files written here
MATRIX = {"LBFGS": torch.optim.LBFGS, "Adafactor": torch.optim.Adafactor, "Muon": torch.optim.Muon}
gen_optim.OPTIMIZERS.update(MATRIX)


def with_shapes(shapes, fn):
    """Runs fn with gen_optim's parameter shapes replaced (names and groups unchanged)."""
    saved = dict(gen_optim.SHAPES)
    gen_optim.SHAPES.clear()
    gen_optim.SHAPES.update(shapes)
    try:
        return fn()
    finally:
        gen_optim.SHAPES.clear()
        gen_optim.SHAPES.update(saved)


def trajectories(area, opt_name, cases, shapes=None):
    ff = FixtureFile(area)
    for case in cases:
        variant, defaults, overrides, resume = case[:4]
        dtypes = case[4] if len(case) > 4 else BOTH
        case_shapes = case[5] if len(case) > 5 else shapes

        def run():
            trajectory_case(ff, opt_name, variant, defaults, overrides, dtypes=dtypes, resume=resume)

        if case_shapes is None:
            run()
        else:
            with_shapes(case_shapes, run)
    return ff


# ---------------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------------

ADAFACTOR_3D = {"w": (2, 3, 4), "b": (3,), "c": (4, 1, 2), "s": ()}
MUON_SHAPES = {"w": (2, 3), "b": (3, 2), "c": (2, 2), "s": (1, 3)}
MUON_SHAPES_WIDE = {"w": (3, 7), "b": (7, 3), "c": (4, 4), "s": (5, 1)}


def gen_adafactor():
    return trajectories("adafactor", "Adafactor", [
        ("default", {}, [{}, {"lr": 0.05}], True),
        ("weight_decay", {"weight_decay": 0.1}, [{}, {"weight_decay": 0.5, "lr": 0.02}], True),
        ("eps", {"eps": (1e-30, 1e-3)}, [{}, {"eps": (None, 0.5)}], True),
        ("maximize", {"maximize": True, "weight_decay": 0.05}, [{}, {"maximize": False}], False),
        ("beta2_decay_d", {"beta2_decay": -0.5, "d": 2.0}, [{}, {"beta2_decay": -1.0, "d": 1.0, "lr": 0.3}], False),
        ("large_lr", {"lr": 1.0, "weight_decay": 0.01}, [{}, {"lr": 0.2}], False),
        ("tensor_lr", {"lr": tensor_option(0.02), "weight_decay": 0.1}, [{}, {}], False),
        ("batched", {"lr": 0.03, "weight_decay": 0.02}, [{}, {"beta2_decay": -0.6}], True, BOTH, ADAFACTOR_3D),
        # PyTorch's foreach path differs from the single-tensor one in the last float32 bits; optim4j runs the
        # single-tensor maths for foreach=True, so only float64 is recorded.
        ("foreach", {"foreach": True, "weight_decay": 0.1}, [{}, {"lr": 0.05}], True, ("float64",)),
    ])


def gen_muon():
    return trajectories("muon", "Muon", [
        ("default", {"lr": 0.02}, [{}, {"lr": 0.05, "momentum": 0.9}], True),
        ("no_nesterov", {"lr": 0.02, "nesterov": False}, [{}, {"weight_decay": 0}], False),
        ("adjust_lr", {"lr": 0.02, "adjust_lr_fn": "match_rms_adamw"}, [{}, {"adjust_lr_fn": "original"}], True),
        ("ns_options", {"lr": 0.02, "ns_coefficients": (2.0, -1.5, 0.5), "ns_steps": 3, "eps": 1e-5},
         [{}, {"ns_steps": 0}], False),
        ("momentum", {"lr": 0.01, "weight_decay": 0.5, "momentum": 0.5}, [{}, {"momentum": 0, "nesterov": False}],
         False),
        ("tensor_lr", {"lr": tensor_option(0.02)}, [{}, {}], False),
        # Larger shapes (and a column vector) in float32 only, to keep the file small.
        ("wide", {"lr": 0.02, "weight_decay": 0.05}, [{}, {"adjust_lr_fn": "match_rms_adamw"}], False,
         ("float32",), MUON_SHAPES_WIDE),
    ], shapes=MUON_SHAPES)


# ---------------------------------------------------------------------------------------------
# closure.json
# ---------------------------------------------------------------------------------------------

ROSENBROCK_START = [-1.5, 2.0]
QUADRATIC_N = 32  # a multiple of 16: PyTorch's float32 dot products then have a summation order Java repeats


def rosenbrock(params):
    (x,) = params.values()
    x = x.reshape(-1)
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def describe(v):
    """A state value's type as the Java test describes it."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, torch.Tensor):
        return f"tensor {DTYPE_NAMES[v.dtype]} {list(v.shape)}"
    if isinstance(v, list):
        return "[" + ", ".join(describe(x) for x in v) + "]"
    raise TypeError(type(v))


def lbfgs_state(opt, dt):
    st = opt.state[opt._params[0]]
    layout = [[k, f"int {v}" if isinstance(v, int) and not isinstance(v, bool) else describe(v)]
              for k, v in st.items()]
    tensors = {}
    for k in ("d", "prev_flat_grad"):
        tensors[f"state/{k}"] = st[k]
    for k in ("old_dirs", "old_stps"):
        if st[k]:
            tensors[f"state/{k}"] = torch.stack(st[k])
    if st["ro"]:
        tensors["state/ro"] = torch.stack([torch.as_tensor(r) for r in st["ro"]])
    for k in ("t", "H_diag", "prev_loss"):
        tensors[f"state/{k}"] = torch.as_tensor(float(st[k]), dtype=dt)
    return layout, tensors


class Problem:
    """A closure-driven problem: parameters, data tensors and a closure builder."""

    def __init__(self, name, dtype, params, data, loss_fn, explicit_grad=None):
        self.name, self.dtype, self.params, self.data = name, dtype, params, data
        self.loss_fn, self.explicit_grad = loss_fn, explicit_grad

    def closure(self, opt, calls):
        def closure():
            calls[0] += 1
            opt.zero_grad()
            if self.explicit_grad is not None:
                loss, grads = self.explicit_grad(self.params, self.data)
                for n, g in grads.items():
                    self.params[n].grad = g
                return loss
            loss = self.loss_fn(self.params, self.data)
            loss.backward()
            return loss

        return closure


def rosenbrock_problem(dt, shape=(2,)):
    x = torch.tensor(ROSENBROCK_START, dtype=dt).reshape(shape).requires_grad_(True)
    return Problem("rosenbrock", dt, {"x": x}, {}, lambda p, d: rosenbrock(p))


def quadratic_problem(dt):
    seed("quadratic")
    a = (torch.randint(4, 33, (QUADRATIC_N,)).to(dt) / 16)  # curvatures 0.25 .. 2, dyadic
    x0 = (torch.randint(-16, 17, (QUADRATIC_N,)).to(dt) / 8)  # start -2 .. 2, dyadic
    x = x0.clone().requires_grad_(True)

    def explicit(params, data):
        x = params["x"].detach()
        a = data["a"]
        g = a.mul(x).add(x.mul(x).mul(x).mul(0.0625))
        x64, a64 = x.double(), a.double()
        loss = (a64 * x64 * x64 * 0.5 + x64 * x64 * x64 * x64 / 64).sum()
        return loss, {"x": g}

    return Problem("quadratic", dt, {"x": x}, {"a": a}, None, explicit)


def mlp_problem(dt):
    seed("mlp")
    params = {
        "W1": (torch.randn(4, 3, dtype=torch.float64) * 0.5).to(dt).requires_grad_(True),
        "b1": (torch.randn(4, dtype=torch.float64) * 0.1).to(dt).requires_grad_(True),
        "W2": (torch.randn(1, 4, dtype=torch.float64) * 0.5).to(dt).requires_grad_(True),
        "unused": torch.randn(2, dtype=torch.float64).to(dt).requires_grad_(True),
    }
    x = torch.randn(8, 3, dtype=torch.float64).to(dt)
    y = torch.sin(x.sum(dim=1, keepdim=True)).to(dt)

    def loss_fn(p, d):
        h = torch.tanh(d["x"].matmul(p["W1"].t()) + p["b1"])
        return (h.matmul(p["W2"].t()) - d["y"]).pow(2).mean()

    return Problem("mlp", dt, params, {"x": x, "y": y}, loss_fn)


def closure_case(ff, opt_name, variant, problem, defaults, steps, resume_at=None):
    dn = DTYPE_NAMES[problem.dtype]
    name = f"{problem.name}_{opt_name.lower()}_{variant}_{dn}"
    init = {n: p.detach().clone() for n, p in problem.params.items()}
    opt = MATRIX[opt_name](list(problem.params.values()), **defaults)
    calls = [0]
    closure = problem.closure(opt, calls)
    losses, traj, calls_per_step, evals, iters = [], {n: [] for n in init}, [], [], []
    saved = None
    is_lbfgs = opt_name == "LBFGS"
    for t in range(1, steps + 1):
        before = calls[0]
        losses.append(torch.as_tensor(float(opt.step(closure).detach()), dtype=torch.float64))
        calls_per_step.append(calls[0] - before)
        for n, p in problem.params.items():
            traj[n].append(p.detach().clone())
        if is_lbfgs:
            st = opt.state[opt._params[0]]
            evals.append(st["func_evals"])
            iters.append(st["n_iter"])
        if resume_at is not None and t == resume_at:
            saved = copy.deepcopy(opt.state_dict())
    config = {
        "optimizer": opt_name,
        "defaults": encode_options(defaults),
        "problem": problem.name,
        "dtype": dn,
        "params": list(init),
        "steps": steps,
        "repr": repr(opt),
    }
    tensors = {f"init/{n}": v for n, v in init.items()}
    tensors.update({f"data/{n}": v for n, v in problem.data.items()})
    tensors["loss"] = torch.stack(losses)
    for n in init:
        tensors[f"param/{n}"] = torch.stack(traj[n])
    tensors["calls"] = torch.tensor(calls_per_step, dtype=torch.int64)
    if is_lbfgs:
        tensors["func_evals"] = torch.tensor(evals, dtype=torch.int64)
        tensors["n_iter"] = torch.tensor(iters, dtype=torch.int64)
        layout, state_tensors = lbfgs_state(opt, problem.dtype)
        config["state_layout"] = layout
        tensors.update(state_tensors)
    if resume_at is not None:
        # A fresh LBFGS on copies of the parameters at step resume_at loads the saved state_dict and continues;
        # its trajectory must be the uninterrupted one.
        params2 = {n: traj[n][resume_at - 1].clone().requires_grad_(True) for n in init}
        fresh = Problem(problem.name, problem.dtype, params2, problem.data, problem.loss_fn, problem.explicit_grad)
        opt2 = MATRIX[opt_name](list(params2.values()))
        opt2.load_state_dict(saved)
        closure2 = fresh.closure(opt2, [0])
        for t in range(resume_at + 1, steps + 1):
            opt2.step(closure2)
            for n, p in params2.items():
                if not torch.equal(p.detach(), traj[n][t - 1]):
                    raise RuntimeError(f"{name}: the resumed run differs from the uninterrupted one at step {t}")
        config["resume"] = {"at": resume_at, "repr_after_load": repr(opt2)}
    ff.add(name, config, tensors)


def gen_closure():
    ff = FixtureFile("closure")
    f64, f32 = torch.float64, torch.float32
    lbfgs = [
        ("plain", rosenbrock_problem, f64, {"lr": 0.5, "history_size": 5, "max_iter": 10}, 8, 4),
        ("strong_wolfe", rosenbrock_problem, f64, {"line_search_fn": "strong_wolfe"}, 6, 3),
        ("defaults", rosenbrock_problem, f64, {}, 4, None),
        ("history2", rosenbrock_problem, f64, {"lr": 0.25, "history_size": 2, "max_iter": 7}, 6, None),
        ("max_eval", rosenbrock_problem, f64,
         {"lr": 0.8, "max_iter": 12, "max_eval": 6, "line_search_fn": "strong_wolfe"}, 6, None),
        ("tolerances", rosenbrock_problem, f64,
         {"line_search_fn": "strong_wolfe", "tolerance_grad": 1e-3, "tolerance_change": 1e-4}, 8, None),
        ("max_iter1", rosenbrock_problem, f64, {"lr": 0.01, "max_iter": 1}, 5, None),
        ("tensor_lr", rosenbrock_problem, f64, {"lr": tensor_option(0.5), "history_size": 4, "max_iter": 6}, 5, None),
        ("plain", quadratic_problem, f32, {"history_size": 4, "max_iter": 8}, 5, None),
        ("strong_wolfe", quadratic_problem, f32, {"line_search_fn": "strong_wolfe", "max_iter": 8}, 4, None),
        ("plain", quadratic_problem, f64, {"history_size": 4, "max_iter": 8}, 5, 2),
        ("plain", mlp_problem, f64, {"lr": 0.5, "history_size": 6, "max_iter": 10}, 6, 3),
        ("strong_wolfe", mlp_problem, f64, {"line_search_fn": "strong_wolfe", "max_iter": 10}, 5, None),
    ]
    for variant, make, dt, defaults, steps, resume_at in lbfgs:
        closure_case(ff, "LBFGS", variant, make(dt), defaults, steps, resume_at)
    closure_case(ff, "Adafactor", "default", rosenbrock_problem(f64), {"lr": 0.1}, 100)
    closure_case(ff, "Adafactor", "factored", rosenbrock_problem(f64, (1, 2)), {"lr": 0.1, "weight_decay": 0.01}, 100)
    closure_case(ff, "Muon", "default", rosenbrock_problem(f64, (1, 2)), {"lr": 0.05, "weight_decay": 0.0}, 100)
    return ff


# ---------------------------------------------------------------------------------------------
# api.json
# ---------------------------------------------------------------------------------------------


def repr_cases(ff):
    cases = [
        ("repr_lbfgs_default", "LBFGS", {}),
        ("repr_lbfgs_options", "LBFGS", {"lr": 0.5, "max_iter": 7, "tolerance_grad": 1e-5, "history_size": 3,
                                         "line_search_fn": "strong_wolfe"}),
        ("repr_lbfgs_max_eval", "LBFGS", {"max_iter": 9, "max_eval": 30}),
        ("repr_adafactor_default", "Adafactor", {}),
        ("repr_adafactor_options", "Adafactor", {"lr": 0.1, "beta2_decay": -0.5, "eps": (1e-30, 1e-2), "d": 2,
                                                 "weight_decay": 0.5, "foreach": False, "maximize": True}),
        ("repr_adafactor_tensor_lr", "Adafactor", {"lr": tensor_option(0.01)}),
        ("repr_muon_default", "Muon", {}),
        ("repr_muon_options", "Muon", {"lr": 0.02, "weight_decay": 0, "momentum": 0.9, "nesterov": False,
                                       "ns_coefficients": (2, -1.5, 0.5), "eps": 1e-5, "ns_steps": 3,
                                       "adjust_lr_fn": "match_rms_adamw"}),
    ]
    for name, opt_name, kwargs in cases:
        params = [torch.zeros(2, 3, requires_grad=True)] if opt_name == "Muon" else [p2(), p2(3)]
        opt = MATRIX[opt_name](params, **kwargs)
        ff.add(name, {"optimizer": opt_name, "defaults": encode_options(kwargs), "repr": repr(opt),
                      "state_dict": state_dict_config(opt)}, {})


def error_cases(ff):
    """Constructor validation: [optimizer, kwargs, exception type, message]."""
    table = [
        ("LBFGS", {"lr": -1}), ("LBFGS", {"lr": -0.5}), ("LBFGS", {"lr": math.nan}),
        ("LBFGS", {"lr": tensor_option(0.1, shape=(2,))}),
        ("Adafactor", {"lr": -1e-3}), ("Adafactor", {"beta2_decay": 0.5}), ("Adafactor", {"eps": (-1e-3, 1e-3)}),
        ("Adafactor", {"eps": (None, -1.0)}), ("Adafactor", {"d": 0.5}), ("Adafactor", {"weight_decay": -0.1}),
        ("Adafactor", {"lr": tensor_option(0.1, shape=(2,))}), ("Adafactor", {"lr": -1, "d": 0}),
        ("Muon", {"lr": -1e-3}), ("Muon", {"momentum": -0.5}), ("Muon", {"weight_decay": -1}),
        ("Muon", {"adjust_lr_fn": "spectral"}), ("Muon", {"lr": tensor_option(0.1, shape=(2,))}),
        ("Muon", {"lr": -1, "momentum": -1}),
    ]
    rows = []
    for opt_name, kwargs in table:
        kind, message = expect_error(lambda: MATRIX[opt_name]([torch.zeros(2, 2, requires_grad=True)], **kwargs))
        rows.append([opt_name, encode_options(kwargs), kind, message])
    ff.add("constructor_errors", {"rows": rows}, {})

    x, y = torch.zeros(2, 2, requires_grad=True), torch.zeros(3, requires_grad=True)

    def lbfgs_bad_line_search():
        opt = torch.optim.LBFGS([x], line_search_fn="backtracking")

        def closure():
            opt.zero_grad()
            loss = (x * x).sum() + x.sum()
            loss.backward()
            return loss

        opt.step(closure)

    def sparse(opt_name):
        p = torch.zeros(2, 2, requires_grad=True)
        opt = MATRIX[opt_name]([p])
        p.grad = torch.ones(2, 2).to_sparse()
        opt.step()

    scenarios = {
        "lbfgs_groups": lambda: torch.optim.LBFGS([{"params": [x]}, {"params": [y]}]),
        "lbfgs_line_search": lbfgs_bad_line_search,
        "muon_1d": lambda: torch.optim.Muon([x, y]),
        "muon_0d": lambda: torch.optim.Muon([torch.zeros((), requires_grad=True)]),
        "muon_3d": lambda: torch.optim.Muon([torch.zeros(2, 1, 3, requires_grad=True)]),
        "adafactor_sparse": lambda: sparse("Adafactor"),
        "muon_sparse": lambda: sparse("Muon"),
    }
    rows = [[name] + expect_error(fn) for name, fn in scenarios.items()]
    ff.add("step_errors", {"rows": rows}, {})


def legacy_cases(ff):
    # Adafactor.__setstate__: foreach filled in, a plain-number step becomes a float32 tensor.
    p = torch.zeros(2, 2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adafactor([p])
    old = {"state": {0: {"step": 4, "row_var": torch.tensor([[0.5], [0.25]]), "col_var": torch.tensor([[1.0, 2.0]])}},
           "param_groups": [{"lr": 0.02, "beta2_decay": -0.8, "eps": (None, 1e-3), "d": 1.0, "weight_decay": 0.0,
                             "maximize": False, "params": [0]}]}
    opt.load_state_dict(old)
    p.grad = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64)
    repr_after_load = repr(opt)
    layout_after_load = state_dict_config(opt)
    opt.step()
    ff.add("load_legacy_adafactor", {"optimizer": "Adafactor", "repr": repr_after_load,
                                     "state_dict": layout_after_load, "state_dict_after_step": state_dict_config(opt)},
           {"grad": p.grad, "param": p, "step": opt.state[p]["step"], "row_var": opt.state[p]["row_var"],
            "col_var": opt.state[p]["col_var"]})
    # LBFGS's state_dict after one step: the global state sits under the first parameter only.
    a, b = torch.ones(2, dtype=torch.float64, requires_grad=True), torch.ones(3, dtype=torch.float64,
                                                                             requires_grad=True)
    opt = torch.optim.LBFGS([a, b], history_size=3, max_iter=4)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum() * 2 + ((b - 2) ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    ff.add("state_dict_lbfgs", {"optimizer": "LBFGS", "defaults": {"history_size": 3, "max_iter": 4},
                                "param_groups": [encode_group(g, None) for g in opt.state_dict()["param_groups"]],
                                "state_ids": list(opt.state_dict()["state"].keys()),
                                "state_layout": lbfgs_state(opt, torch.float64)[0]},
           {"a": a, "b": b})


def mixed_dtype_adafactor(ff):
    """eps1=None takes the first parameter's dtype for the whole group (PyTorch assigns it once per group)."""
    base = "adafactor_mixed_dtypes"
    seed(base)
    shapes = {"first32": (3, 2), "then64": (4,), "tiny64": (2, 2)}
    dts = {"first32": torch.float32, "then64": torch.float64, "tiny64": torch.float64}
    init = {n: torch.randn(s, dtype=torch.float64) for n, s in shapes.items()}
    init["tiny64"] = init["tiny64"] * 1e-9  # its gradients are tiny: eps1 (float32's) clamps them
    grads = {n: [torch.randn(s, dtype=torch.float64) * (1e-9 if n == "tiny64" else 1) for _ in range(10)]
             for n, s in shapes.items()}
    params = {n: init[n].to(dts[n]).clone().requires_grad_(True) for n in shapes}
    opt = torch.optim.Adafactor(list(params.values()), lr=0.05)
    traj = {n: [] for n in shapes}
    for t in range(10):
        for n, p in params.items():
            p.grad = grads[n][t].to(dts[n])
        opt.step()
        for n, p in params.items():
            traj[n].append(p.detach().clone())
    tensors = {f"init/{n}": init[n].to(dts[n]) for n in shapes}
    for n in shapes:
        tensors[f"grad/{n}"] = torch.stack([g.to(dts[n]) for g in grads[n]])
        tensors[f"param/{n}"] = torch.stack(traj[n])
    ff.add(base, {"optimizer": "Adafactor", "defaults": {"lr": 0.05}, "params": list(shapes), "steps": 10,
                  "state_dict": state_dict_config(opt)}, tensors)


def bf16_values(t):
    """Values exactly representable in bfloat16 (short decimal forms keep the file small)."""
    return t.bfloat16().to(t.dtype)


def lcg_matrix(rows, cols):
    """rows x cols float32 values v/128 with integers v in [-255, 255] from a 31-bit LCG (exact in bfloat16)."""
    state = 12345
    data = []
    for _ in range(rows * cols):
        state = (state * 1103515245 + 12345) % (1 << 31)
        data.append(((state >> 8) % 511 - 255) / 128.0)
    return torch.tensor(data, dtype=torch.float32).reshape(rows, cols)


def ns_cases(ff):
    default = {"coefficients": [3.4445, -4.7750, 2.0315], "steps": 5, "eps": 1e-7}
    cases = [
        ("ns_1x1", (1, 1), {}, "bf16"), ("ns_2x2", (2, 2), {}, "bf16"), ("ns_3x7", (3, 7), {}, "bf16"),
        ("ns_7x3", (7, 3), {}, "bf16"), ("ns_16x16", (16, 16), {}, "bf16"), ("ns_17x40", (17, 40), {}, "bf16"),
        ("ns_40x17", (40, 17), {}, "bf16"), ("ns_1x40", (1, 40), {}, "bf16"), ("ns_40x1", (40, 1), {}, "bf16"),
        ("ns_64x64", (64, 64), {}, "bf16"),
        ("ns_20x70", (20, 70), {}, "bf16"), ("ns_70x20", (70, 20), {}, "bf16"),
        ("ns_float32_5x6", (5, 6), {}, "float32"), ("ns_float64_6x5", (6, 5), {}, "float64"),
        ("ns_steps0_4x6", (4, 6), {"steps": 0}, "bf16"),
        ("ns_coefficients_9x5", (9, 5), {"coefficients": [2.0, -1.5, 0.5], "steps": 7}, "bf16"),
        ("ns_zero_3x4", (3, 4), {}, "zero"), ("ns_tiny_3x4", (3, 4), {"eps": 1e-3}, "tiny"),
    ]
    for name, shape, overrides, kind in cases:
        seed(name)
        g = torch.randn(shape, dtype=torch.float64)
        if kind == "bf16":
            g = bf16_values(g.float())
        elif kind == "float32":
            g = g.float()
        elif kind == "zero":
            g = torch.zeros(shape)
        elif kind == "tiny":
            g = bf16_values(g.float() * 1e-5)
        cfg = dict(default, **overrides)
        out = _zeropower_via_newtonschulz(g, tuple(cfg["coefficients"]), cfg["steps"], cfg["eps"])
        if out.dtype != torch.bfloat16:
            raise RuntimeError("Newton-Schulz must return bfloat16")
        ff.add(name, dict(cfg, output_dtype="bfloat16"), {"grad": g, "update": out.float()})
    g = lcg_matrix(256, 128)
    out = _zeropower_via_newtonschulz(g, (3.4445, -4.7750, 2.0315), 5, 1e-7).double()
    ff.add("ns_large_256x128", dict(default, output_dtype="bfloat16", input="lcg_matrix(256, 128)", sample_every=97),
           {"row_sums": out.sum(dim=1), "col_sums": out.sum(dim=0), "sample": out.reshape(-1)[::97].clone()})


def gen_api():
    ff = FixtureFile("api")
    repr_cases(ff)
    error_cases(ff)
    legacy_cases(ff)
    mixed_dtype_adafactor(ff)
    ns_cases(ff)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = (gen_adafactor, gen_muon, gen_closure, gen_api)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "optim_matrix"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(gen_optim.TORCH_VERSION):
        raise SystemExit(f"gen_optim_matrix.py needs torch {gen_optim.TORCH_VERSION}, found {torch.__version__}")
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
