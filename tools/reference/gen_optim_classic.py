#!/usr/bin/env python3
"""Expected values for Adamax, Adadelta, Adagrad, RMSprop and Rprop, computed by real PyTorch.

Writes into --out (default: fixtures/optim_classic at the repository root):

  adamax.json, adadelta.json,      trajectories in gen_optim.py's format (its trajectory_case): a matrix of
  adagrad.json, rmsprop.json,      configurations turning each option on and off, float32 and float64, two
  rprop.json                       param groups with different hyper-parameters, one parameter without a
                                   gradient on some steps, 25 steps, save/load/continue for several cases
  closure.json                     Rosenbrock minimised with step(closure), float64, one case per optimizer
  api.json                         repr strings, constructor and step error messages, Adagrad's eager state
                                   (and its add_param_group quirk), options turned on too late, NaN gradients
                                   (Rprop, Adamax), back-compat loading (__setstate__), and Adagrad with
                                   sparse COO gradients

The sparse cases ("sparse_adagrad_*") hold, per step, the gradient's int64 indices [steps, sparse_dim, nnz]
(uncoalesced: some indices repeat) and values [steps, nnz, dense...] of parameter "emb", the dense gradient
of parameter "w", and the parameters and "sum" states after every step: the Java test builds each sparse
gradient with Tensor.sparseCoo from these and replays the run.

Every value in the files is produced by torch; this script only chooses configurations and writes the results
down. See tools/reference/README.md for the file format and the tolerance rule.
"""

import argparse
import copy
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optim  # noqa: E402  (the shared trajectory machinery; its main() does not run on import)
from gen_optim import (  # noqa: E402
    BOTH,
    DTYPE_NAMES,
    DTYPES,
    FixtureFile,
    encode_options,
    expect_error,
    lr_tensor,
    p2,
    seed,
    state_dict_config,
    tensor_option,
    trajectory_case,
)

GENERATOR = "tools/reference/gen_optim_classic.py"
gen_optim.GENERATOR = GENERATOR  # the meta line of the files written here
CLASSIC = {
    "Adamax": torch.optim.Adamax,
    "Adadelta": torch.optim.Adadelta,
    "Adagrad": torch.optim.Adagrad,
    "RMSprop": torch.optim.RMSprop,
    "Rprop": torch.optim.Rprop,
}
gen_optim.OPTIMIZERS.update(CLASSIC)


def trajectories(area, opt_name, cases):
    ff = FixtureFile(area)
    for case in cases:
        variant, defaults, overrides, resume = case[:4]
        dtypes = case[4] if len(case) > 4 else BOTH
        trajectory_case(ff, opt_name, variant, defaults, overrides, dtypes=dtypes, resume=resume)
    return ff


# ---------------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------------


def gen_adamax():
    return trajectories("adamax", "Adamax", [
        ("default", {"lr": 0.01}, [{}, {"lr": 0.05, "betas": (0.8, 0.95)}], True),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False),
        ("maximize", {"lr": 0.01, "maximize": True, "weight_decay": 0.1}, [{}, {"maximize": False}], True),
        ("betas_eps", {"lr": 0.02, "betas": (0.5, 0.6), "eps": 1e-2}, [{}, {"betas": (0.0, 0.0), "eps": 0.0}], False),
        ("tensor_lr", {"lr": lr_tensor(0.01)}, [{}, {"weight_decay": 0.1}], False),
        ("foreach", {"lr": 0.01, "foreach": True, "weight_decay": 0.1}, [{}, {"foreach": False}], True),
    ])


def gen_adadelta():
    return trajectories("adadelta", "Adadelta", [
        ("default", {}, [{}, {"lr": 0.5, "rho": 0.5}], True),
        ("weight_decay", {"weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False),
        ("maximize", {"lr": 0.5, "maximize": True, "weight_decay": 0.05}, [{}, {"maximize": False}], True),
        ("rho_eps", {"rho": 0.99, "eps": 1e-3}, [{}, {"rho": 1.0, "eps": 1e-8}], False),
        ("rho_zero", {"rho": 0.0, "lr": 0.1}, [{}, {"rho": 0.3}], False),
        ("tensor_lr", {"lr": lr_tensor(0.5)}, [{}, {"weight_decay": 0.1}], False),
        ("foreach", {"foreach": True, "weight_decay": 0.1}, [{}, {"foreach": False}], True),
    ])


def gen_adagrad():
    return trajectories("adagrad", "Adagrad", [
        ("default", {"lr": 0.1}, [{}, {"lr": 0.05}], True),
        ("lr_decay", {"lr": 0.1, "lr_decay": 0.05}, [{}, {"lr_decay": 0.5}], True),
        # The state is created in __init__ from the constructor's initial_accumulator_value: the group's
        # own value is ignored (a PyTorch quirk kept here).
        ("initial_accumulator", {"lr": 0.1, "initial_accumulator_value": 0.5},
         [{}, {"initial_accumulator_value": 2.0}], True),
        ("weight_decay", {"lr": 0.1, "weight_decay": 0.1}, [{}, {"weight_decay": 0}], False),
        ("maximize", {"lr": 0.1, "maximize": True, "eps": 1e-3}, [{}, {"maximize": False}], True),
        ("tensor_lr", {"lr": lr_tensor(0.1), "lr_decay": 0.01}, [{}, {"weight_decay": 0.2}], False),
        ("foreach", {"lr": 0.1, "foreach": True, "weight_decay": 0.1}, [{}, {"foreach": False}], True),
        ("fused", {"lr": 0.1, "fused": True, "weight_decay": 0.1, "lr_decay": 0.01}, [{}, {"lr": 0.05}], True),
    ])


def gen_rmsprop():
    return trajectories("rmsprop", "RMSprop", [
        ("default", {"lr": 0.01}, [{}, {"lr": 0.05, "alpha": 0.9}], True),
        ("momentum", {"lr": 0.01, "momentum": 0.9}, [{}, {"momentum": 0.5}], True),
        ("centered", {"lr": 0.01, "centered": True}, [{}, {"centered": False, "eps": 1e-3}], True),
        ("centered_momentum", {"lr": 0.01, "centered": True, "momentum": 0.8, "weight_decay": 0.1},
         [{}, {"momentum": 0, "alpha": 0.5}], False),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1}, [{}, {"weight_decay": 0.5}], False),
        ("maximize", {"lr": 0.01, "maximize": True, "momentum": 0.9}, [{}, {"maximize": False}], True),
        ("tensor_lr", {"lr": lr_tensor(0.01), "momentum": 0.5}, [{}, {"centered": True}], False),
        ("foreach", {"lr": 0.01, "foreach": True, "centered": True, "momentum": 0.5}, [{}, {"foreach": False}], True),
    ])


def gen_rprop():
    return trajectories("rprop", "Rprop", [
        ("default", {"lr": 0.01}, [{}, {"lr": 0.05}], True),
        ("etas", {"lr": 0.01, "etas": (0.3, 1.5)}, [{}, {"etas": (0.6, 1.1)}], True),
        ("step_sizes", {"lr": 0.1, "step_sizes": (0.05, 0.2)}, [{}, {"step_sizes": (1e-3, 0.15)}], False),
        ("maximize", {"lr": 0.01, "maximize": True}, [{}, {"maximize": False}], True),
        ("tensor_lr", {"lr": lr_tensor(0.02)}, [{}, {"etas": (0.4, 1.3)}], False),
        ("foreach", {"lr": 0.02, "foreach": True}, [{}, {"foreach": False}], True),
    ])


# ---------------------------------------------------------------------------------------------
# closure.json: Rosenbrock with step(closure)
# ---------------------------------------------------------------------------------------------

ROSENBROCK_STEPS = 100
ROSENBROCK_START = [-1.5, 2.0]
ROSENBROCK = (
    ("Adamax", {"lr": 0.05}),
    ("Adadelta", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.001}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("Rprop", {"lr": 0.01}),
)


def gen_closure():
    ff = FixtureFile("closure")
    for opt_name, defaults in ROSENBROCK:
        x = torch.tensor(ROSENBROCK_START, dtype=torch.float64, requires_grad=True)
        opt = CLASSIC[opt_name]([x], **defaults)
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
# api.json
# ---------------------------------------------------------------------------------------------


def repr_cases(ff):
    """[name, optimizer, kwargs, group overrides or None, named]: repr and state_dict right after construction."""
    cases = [
        ("repr_adamax_default", "Adamax", {}, None, False),
        ("repr_adadelta_default", "Adadelta", {}, None, False),
        ("repr_adagrad_default", "Adagrad", {}, None, False),
        ("repr_rmsprop_default", "RMSprop", {}, None, False),
        ("repr_rprop_default", "Rprop", {}, None, False),
        ("repr_adamax_flags", "Adamax", {"lr": 1, "betas": (0, 0.5), "foreach": False, "maximize": True,
                                         "capturable": True}, None, False),
        ("repr_adadelta_tensor_lr", "Adadelta", {"lr": tensor_option(0.5), "rho": 1, "capturable": True}, None, False),
        ("repr_adagrad_groups", "Adagrad", {"lr_decay": 1e-4, "initial_accumulator_value": 0.25, "fused": True},
         [{"lr": 0.5, "initial_accumulator_value": 3}, {}], False),
        ("repr_rmsprop_named", "RMSprop", {"momentum": 0.9, "centered": True, "alpha": 0}, None, True),
        ("repr_rprop_ints", "Rprop", {"lr": 2, "etas": (0.25, 2), "step_sizes": (0, 1), "foreach": True}, None, False),
        ("repr_rprop_groups", "Rprop", {}, [{"etas": (0.1, 1.9)}, {"step_sizes": (1e-3, 5.0), "lr": 1e-5}], False),
    ]
    for name, opt_name, kwargs, groups, named in cases:
        params = [p2(), p2(3)]
        if named:
            opt = CLASSIC[opt_name]([("weight", params[0]), ("bias", params[1])], **kwargs)
            groups_cfg = None
        elif groups is not None:
            opt = CLASSIC[opt_name]([dict(params=[params[0]], **groups[0]), dict(params=[params[1]], **groups[1])],
                                    **kwargs)
            groups_cfg = [encode_options(g) for g in groups]
        else:
            opt = CLASSIC[opt_name](params, **kwargs)
            groups_cfg = None
        ff.add(name, {"optimizer": opt_name, "defaults": encode_options(kwargs), "groups": groups_cfg,
                      "named": named, "repr": repr(opt), "state_dict": state_dict_config(opt)}, {})


def error_cases(ff):
    """Constructor validation: [optimizer, kwargs, exception type, message], PyTorch's checks in order."""
    nan = math.nan
    table = [
        ("Adamax", {"lr": -1}), ("Adamax", {"lr": -1e-3}), ("Adamax", {"lr": nan}), ("Adamax", {"eps": -1e-9}),
        ("Adamax", {"betas": (1.0, 0.5)}), ("Adamax", {"betas": (-0.1, 0.5)}), ("Adamax", {"betas": (0.5, 1)}),
        ("Adamax", {"betas": (0.5, nan)}), ("Adamax", {"weight_decay": -0.1}), ("Adamax", {"lr": -1.0, "eps": -1.0}),
        ("Adamax", {"eps": -1.0, "betas": (2.0, 0.5)}),
        ("Adadelta", {"lr": -0.5}), ("Adadelta", {"rho": -0.1}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"rho": 2}),
        ("Adadelta", {"rho": nan}), ("Adadelta", {"eps": -1e-6}), ("Adadelta", {"weight_decay": -1}),
        ("Adadelta", {"lr": -1.0, "rho": 2.0}),
        ("Adagrad", {"lr": -0.01}), ("Adagrad", {"lr_decay": -0.1}), ("Adagrad", {"weight_decay": -0.1}),
        ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"initial_accumulator_value": -0.5}),
        ("Adagrad", {"eps": -1e-10}), ("Adagrad", {"eps": nan}), ("Adagrad", {"lr": -1.0, "lr_decay": -1.0}),
        ("Adagrad", {"fused": True, "foreach": True}), ("Adagrad", {"fused": True, "differentiable": True}),
        ("Adagrad", {"lr": -1.0, "fused": True, "foreach": True}),
        ("RMSprop", {"lr": -0.01}), ("RMSprop", {"eps": -1e-8}), ("RMSprop", {"momentum": -0.9}),
        ("RMSprop", {"weight_decay": -1e-2}), ("RMSprop", {"alpha": -0.5}), ("RMSprop", {"alpha": nan}),
        ("RMSprop", {"alpha": -1, "momentum": -1}),
        ("Rprop", {"lr": -0.01}), ("Rprop", {"etas": (0.0, 1.2)}), ("Rprop", {"etas": (1.0, 1.2)}),
        ("Rprop", {"etas": (0.5, 1.0)}), ("Rprop", {"etas": (0.5, 1)}), ("Rprop", {"etas": (1.5, 0.5)}),
        ("Rprop", {"etas": (-1, 2)}), ("Rprop", {"etas": (0.5, nan)}), ("Rprop", {"lr": -1.0, "etas": (2.0, 3.0)}),
    ]
    rows = []
    for opt_name, kwargs in table:
        kind, message = expect_error(lambda: CLASSIC[opt_name]([p2()], **kwargs))
        rows.append([opt_name, encode_options(kwargs), kind, message])
    ff.add("constructor_errors", {"rows": rows}, {})


def sparse_grad():
    """A sparse gradient of a [4, 2] parameter (rows 1 and 3)."""
    return torch.sparse_coo_tensor(torch.tensor([[1, 3]]), torch.ones(2, 2), (4, 2))


def step_error_cases(ff):
    """Errors raised by step(): [optimizer, kwargs, exception type, message] for a [4, 2] float32 parameter
    whose gradient is sparse (rows 1 and 3, values 1)."""
    table = [
        ("Adamax", {}), ("Adadelta", {}), ("RMSprop", {}), ("Rprop", {}),
        ("Adagrad", {"weight_decay": 0.1}), ("Adagrad", {"fused": True}),
    ]
    rows = []
    for opt_name, kwargs in table:
        def run():
            p = torch.zeros(4, 2, requires_grad=True)
            opt = CLASSIC[opt_name]([p], **kwargs)
            p.grad = sparse_grad()
            opt.step()
        kind, message = expect_error(run)
        rows.append([opt_name, encode_options(kwargs), kind, message])
    ff.add("step_errors", {"rows": rows}, {})


def adagrad_state_cases(ff):
    # The state exists right after construction: step 0 and sum = initial_accumulator_value of the
    # constructor (a group's own initial_accumulator_value is ignored), in float64 and float32.
    w = torch.zeros(2, 2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    opt = torch.optim.Adagrad([{"params": [w]}, {"params": [b], "initial_accumulator_value": 2.0}],
                              initial_accumulator_value=0.25)
    ff.add("adagrad_eager_state", {"optimizer": "Adagrad", "defaults": {"initial_accumulator_value": 0.25},
                                   "groups": [{}, {"initial_accumulator_value": 2.0}],
                                   "dtypes": ["float64", "float32"], "shapes": [[2, 2], [3]],
                                   "state_dict": state_dict_config(opt), "repr": repr(opt)},
           {"sum/0": opt.state[w]["sum"], "sum/1": opt.state[b]["sum"], "step/0": opt.state[w]["step"]})
    # A group added later has no state until its first gradient; its sum then starts at
    # self.defaults["initial_accumulator_value"], not at the group's value.
    q = torch.zeros(2, requires_grad=True)
    opt.add_param_group({"params": [q], "initial_accumulator_value": 5.0, "lr": 0.5})
    before = state_dict_config(opt)
    q.grad = torch.tensor([1.0, -2.0])
    opt.step()
    ff.add("adagrad_added_group", {"optimizer": "Adagrad", "state_dict_before_step": before,
                                   "grad": [1.0, -2.0], "state_dict": state_dict_config(opt)},
           {"q": q, "sum": opt.state[q]["sum"], "step": opt.state[q]["step"]})


def late_option_errors(ff):
    """Options turned on after a parameter's state exists, whose state PyTorch then looks up and misses:
    [optimizer, kwargs, key, value, exception type, message]."""
    rows = []
    for opt_name, kwargs, key, value in (("RMSprop", {}, "momentum", 0.9), ("RMSprop", {}, "centered", True)):
        def run():
            p = torch.zeros(2, requires_grad=True)
            opt = CLASSIC[opt_name]([p], **kwargs)
            p.grad = torch.ones(2)
            opt.step()
            opt.param_groups[0][key] = value
            opt.step()
        kind, message = expect_error(run)
        rows.append([opt_name, encode_options(kwargs), key, value, kind, message])
    ff.add("late_option_errors", {"rows": rows}, {})


NAN_GRADS = [[math.nan, 1.0, -1.0], [1.0, 1.0, 1.0], [-1.0, math.nan, 1.0], [0.5, -0.5, 2.0]]


def nan_cases(ff):
    """A NaN gradient element: Rprop's sign(NaN) is 0 (the element does not move, prev becomes NaN); Adamax's
    maximum propagates NaN."""
    for opt_name, defaults in (("Rprop", {"lr": 0.1}), ("Adamax", {"lr": 0.1})):
        for dn in BOTH:
            dt = DTYPES[dn]
            p = torch.tensor([1.0, 2.0, 3.0], dtype=dt, requires_grad=True)
            opt = CLASSIC[opt_name]([p], **defaults)
            traj, states = [], {}
            for g in NAN_GRADS:
                p.grad = torch.tensor(g, dtype=dt)
                opt.step()
                traj.append(p.detach().clone())
                for k, v in opt.state[p].items():
                    states.setdefault(k, []).append(v.clone())
            tensors = {"init": torch.tensor([1.0, 2.0, 3.0], dtype=dt), "grads": torch.tensor(NAN_GRADS, dtype=dt),
                       "param": torch.stack(traj)}
            for k, vs in states.items():
                tensors[f"state/{k}"] = torch.stack(vs)
            ff.add(f"nan_{opt_name.lower()}_{dn}", {"optimizer": opt_name, "defaults": defaults,
                                                  "state_keys": list(states)}, tensors)


LEGACY_GROUPS = {
    "Adamax": {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0},
    "Adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0},
    "Adagrad": {"lr": 0.1, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0, "initial_accumulator_value": 0},
    "RMSprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0},
    "Rprop": {"lr": 0.01, "etas": (0.5, 1.2), "step_sizes": (1e-6, 50)},
}
LEGACY_STATE = {
    "Adamax": ("exp_avg", "exp_inf"),
    "Adadelta": ("square_avg", "acc_delta"),
    "Adagrad": ("sum",),
    "RMSprop": ("square_avg",),
    "Rprop": ("prev", "step_size"),
}


def legacy_load_cases(ff):
    """Old state dicts (1.x): groups without the newer flags, a plain-number step, float32 state for a float64
    parameter. Loading fills the flags (__setstate__), turns the step into a tensor and casts the state."""
    for opt_name, group in LEGACY_GROUPS.items():
        q = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = CLASSIC[opt_name]([q])
        old_state = {"step": 3}
        state = {"step": 3}
        for i, key in enumerate(LEGACY_STATE[opt_name]):
            old_state[key] = [0.5 + i, 0.25 * (i + 1)]
            state[key] = torch.tensor(old_state[key])
        old = {"state": {0: state}, "param_groups": [dict(group, params=[0])]}
        opt.load_state_dict(copy.deepcopy(old))
        tensors = {"step": opt.state[q]["step"].clone()}
        for key in LEGACY_STATE[opt_name]:
            tensors[key] = opt.state[q][key].clone()
        # The loaded optimizer steps on from the converted state.
        q.grad = torch.tensor([0.5, -1.0], dtype=torch.float64)
        opt.step()
        tensors["param_after_step"] = q
        ff.add(f"load_legacy_{opt_name.lower()}",
               {"optimizer": opt_name, "param_dtype": "float64", "old_state": old_state,
                "old_group": encode_options(group), "state_dict": state_dict_config(opt), "repr": repr(opt),
                "grad": [0.5, -1.0]},
               tensors)


SPARSE_STEPS = 6
SPARSE_NNZ = 5


def sparse_case(ff, variant, defaults, shape, sparse_dim, dtypes=BOTH):
    """Adagrad over parameter "emb" with sparse COO gradients (uncoalesced, indices drawn with repeats) and
    parameter "w" [3] with dense gradients, in one group."""
    base = f"sparse_adagrad_{variant}"
    seed(base)
    init = {"emb": torch.randn(shape, dtype=torch.float64), "w": torch.randn(3, dtype=torch.float64)}
    indices = torch.stack([torch.stack([torch.randint(0, shape[d], (SPARSE_NNZ,)) for d in range(sparse_dim)])
                           for _ in range(SPARSE_STEPS)])
    values = torch.randn((SPARSE_STEPS, SPARSE_NNZ) + tuple(shape[sparse_dim:]), dtype=torch.float64)
    dense = torch.randn(SPARSE_STEPS, 3, dtype=torch.float64)
    for dn in dtypes:
        dt = DTYPES[dn]
        params = {n: v.to(dt).clone().requires_grad_(True) for n, v in init.items()}
        opt = torch.optim.Adagrad(list(params.values()), **defaults)
        traj = {n: [] for n in params}
        sums = {n: [] for n in params}
        for t in range(SPARSE_STEPS):
            params["emb"].grad = torch.sparse_coo_tensor(indices[t], values[t].to(dt), shape)
            params["w"].grad = dense[t].to(dt)
            opt.step()
            for n, p in params.items():
                traj[n].append(p.detach().clone())
                sums[n].append(opt.state[p]["sum"].clone())
        config = {"optimizer": "Adagrad", "defaults": encode_options(defaults), "params": ["emb", "w"],
                  "shape": list(shape), "sparse_dim": sparse_dim, "steps": SPARSE_STEPS, "repr": repr(opt),
                  "state_dict": state_dict_config(opt)}
        tensors = {f"init/{n}": v.to(dt) for n, v in init.items()}
        tensors["grad/emb/indices"] = indices
        tensors["grad/emb/values"] = values.to(dt)
        tensors["grad/w"] = dense.to(dt)
        for n in params:
            tensors[f"param/{n}"] = torch.stack(traj[n])
            tensors[f"state/{n}/sum"] = torch.stack(sums[n])
        ff.add(f"{base}_{dn}", config, tensors)


def sparse_cases(ff):
    sparse_case(ff, "rows", {"lr": 0.1}, (6, 3), 1)
    sparse_case(ff, "elements", {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.5}, (4, 3), 2)
    sparse_case(ff, "maximize", {"lr": 0.05, "maximize": True, "eps": 1e-3}, (5, 2), 1)


def gen_api():
    ff = FixtureFile("api")
    repr_cases(ff)
    error_cases(ff)
    step_error_cases(ff)
    adagrad_state_cases(ff)
    late_option_errors(ff)
    nan_cases(ff)
    legacy_load_cases(ff)
    sparse_cases(ff)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = (gen_adamax, gen_adadelta, gen_adagrad, gen_rmsprop, gen_rprop, gen_closure, gen_api)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "optim_classic"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(gen_optim.TORCH_VERSION):
        raise SystemExit(f"gen_optim_classic.py needs torch {gen_optim.TORCH_VERSION}, found {torch.__version__}")
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
