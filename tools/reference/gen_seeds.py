#!/usr/bin/env python3
"""Expected values for the seed programs and for state dicts in PyTorch 1.13's layout, computed by real PyTorch.

Writes into --out (default: fixtures/seeds at the repository root):

  seeds.json           the seeds' small programs: the slides' linear regression (SGD on the normalised inputs,
                       Adam on the raw ones, float32), the notebook's ParameterList module run end to end for
                       20 Adam steps (float64), and its LBFGS run replayed closure call by closure call (float64)
  paramlist_adam.json  the notebook's full Adam run of the ParameterList module (10 epochs x 100 inputs,
                       float64), every step's gradient recorded for replay
  legacy113.json       state dicts in the layout PyTorch 1.13 wrote, loaded into a 2.13 optimizer, then stepped

The ParameterList module (seed 004) is out = (L1 @ (L0 @ X)) @ W.T with X = i * ones(10, 10), target i * ones(10, 1),
loss mean((out - target)**2); L0, L1 are [10, 10], W is nn.Linear(10, 1, bias=False)'s weight [1, 10]. In
float32 the run is chaotic (rounding decides the trajectory), so the Java tests replay torch's float64
gradients into our optimizers instead of recomputing them. Because every column of X is the same, the
gradients have a fixed structure: dW has equal entries (w), every column of dL0 is the same vector (a), and
dL1 is the outer product u v^T. A replayed step stores these 31 numbers instead of 210: torch's gradient is
replaced by the tensors rebuilt from them (w * ones, a broadcast over the columns, u[:, None] * v[None, :],
each entry one correctly rounded product), they agree with torch's own to 1e-12 of the largest entry (checked
here, in practice to a few ulps), and torch's optimizer steps on exactly the rebuilt tensors, which the Java
test rebuilds bit for bit.

Cases and tensors:
  linreg_sgd_float32, linreg_adam_float32  t_c, t_u, params_init; losses (computed before the update of each
      recorded epoch, as the slides print them), params_at (after those epochs), params_final
  paramlist_adam_e2e_float64  init/L0, init/L1, init/W; loss [20] and param/<p> [20, ...] after every step
  paramlist_lbfgs_replay_float64  init/*; per closure call (in order) loss and the gradient factors
      grad_w [calls], grad_a, grad_u, grad_v [calls, 10]; per step the closure calls it made (config "calls")
      and param/<p> after it
  paramlist_adam_replay_float64 (paramlist_adam.json)  init/*; per step grad_w, grad_a, grad_u, grad_v;
      param/<p> after steps 100, 200, ..., 1000
  load_113_<optimizer>, load_plain_step_<optimizer> (legacy113.json)  a state dict in 1.13's layout (config
      "state_dict", tensors inline as {"tensor": {...}}), built from a 2.13 run of two steps by keeping the
      group keys 1.13 had (its defaults for the keys whose default changed) and the state keys and types it
      saved; the plain_step variant has the plain numbers of older checkpoints for step (and ASGD's eta and
      mu, NAdam's mu_product). Loaded into a fresh 2.13 optimizer: "loaded" is its state dict (inline) and
      "repr" its repr; then two more steps with grad/<p> [2, ...] (LBFGS: its closure, a quadratic plus quartic of
      "target" and "curvature"), after which "after" holds each state dict (inline) and param/<p> [2, ...]
      the parameters.

The 1.13 layouts (group keys in their order, 1.13's defaults, state keys and the types of step and the
scalars) were transcribed from the state dicts of Debian's python3-torch 1.13.1; this script builds them by
hand because it runs on 2.13 only.
"""

import argparse
import copy
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optim  # noqa: E402  (the fixture writer and option encoding; its main() does not run on import)
from gen_engine import T_C, T_U  # noqa: E402  (the slides' data)
from gen_optim import FixtureFile, encode_option, seed  # noqa: E402

TORCH_VERSION = "2.13.0"
GENERATOR = "tools/reference/gen_seeds.py"
gen_optim.GENERATOR = GENERATOR  # the meta line of the files written here

F64 = torch.float64

# ---------------------------------------------------------------------------------------------
# The slides' linear regression (seed 001)
# ---------------------------------------------------------------------------------------------

def linreg_case(ff, name, optimizer, lr, epochs, normalised):
    t_c = torch.tensor(T_C)
    t_u = torch.tensor(T_U)
    inputs = 0.1 * t_u if normalised else t_u
    params = torch.tensor([1.0, 0.0], requires_grad=True)
    params_init = params.detach().clone()
    opt = getattr(torch.optim, optimizer)([params], lr=lr)
    record = list(range(500, epochs + 1, 500))
    losses, params_at = [], []
    for epoch in range(1, epochs + 1):
        t_p = params[0] * inputs + params[1]
        loss = ((t_p - t_c) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch in record:
            losses.append(loss.detach().clone())
            params_at.append(params.detach().clone())
    config = {
        "model": "w * t_u + b" if not normalised else "w * t_un + b, t_un = 0.1 * t_u",
        "loss": "((t_p - t_c)**2).mean()",
        "optimizer": optimizer,
        "options": {"lr": lr},
        "normalised": normalised,
        "epochs": epochs,
        "record_epochs": record,
    }
    ff.add(name, config, {"t_c": t_c, "t_u": t_u, "params_init": params_init, "losses": torch.stack(losses),
                          "params_at": torch.stack(params_at), "params_final": params})


# ---------------------------------------------------------------------------------------------
# The notebook's ParameterList module (seed 004), float64
# ---------------------------------------------------------------------------------------------

PARAM_NAMES = ("L0", "L1", "W")
ADAM_LR = 0.01  # the notebook's first run: optim.Adam(model.parameters(), lr=0.01)
EPOCHS, INPUTS = 10, 100


def paramlist_init(name):
    seed(name)
    bound = 1.0 / math.sqrt(10)  # nn.Linear(10, 1)'s kaiming_uniform_(a=sqrt(5)) bound
    return {"L0": torch.randn(10, 10, dtype=F64), "L1": torch.randn(10, 10, dtype=F64),
            "W": torch.empty(1, 10, dtype=F64).uniform_(-bound, bound)}


def forward_loss(params, i):
    x = torch.ones(10, 10, dtype=F64) * i
    target = torch.ones(10, 1, dtype=F64) * i
    for p in (params["L0"], params["L1"]):
        x = p.mm(x)
    out = x.mm(params["W"].t())
    return torch.mean((out - target) ** 2)


def factors(params):
    """The gradient of each parameter as (w, a, u, v) and the rebuilt gradients; checks the structure."""
    g0, g1, gw = (params[n].grad for n in PARAM_NAMES)
    w = gw[0, 0].clone()
    a = g0[:, 0].clone()
    big = g1.abs().max()
    if big == 0:
        u = torch.zeros(10, dtype=F64)
        v = torch.zeros(10, dtype=F64)
    else:
        r, c = divmod(int(g1.abs().argmax()), 10)
        u = g1[:, c].clone()
        v = g1[r, :] / g1[r, c]
    rebuilt = rebuild(w, a, u, v)
    for n in PARAM_NAMES:
        g = params[n].grad
        err = (rebuilt[n] - g).abs().max()
        if err > 1e-12 * max(g.abs().max().item(), 1e-300):
            raise RuntimeError(f"the gradient of {n} is not of the expected structure (error {err})")
    return (w, a, u, v), rebuilt


def rebuild(w, a, u, v):
    return {"W": torch.full((1, 10), w.item(), dtype=F64), "L0": a[:, None].expand(10, 10).clone(),
            "L1": u[:, None] * v[None, :]}


def stack_factors(recorded):
    return {
        "grad_w": torch.stack([f[0] for f in recorded]),
        "grad_a": torch.stack([f[1] for f in recorded]),
        "grad_u": torch.stack([f[2] for f in recorded]),
        "grad_v": torch.stack([f[3] for f in recorded]),
    }


def module_config(optimizer, options, steps):
    return {
        "module": "out = (L1 @ (L0 @ x)) @ W.T; L0, L1: ParameterList of [10, 10], W: Linear(10, 1, bias=False)",
        "inputs": "step k (1-based) uses i = (k - 1) % 100: x = i * ones(10, 10), target = i * ones(10, 1)",
        "loss": "mean((out - target)**2)",
        "optimizer": optimizer,
        "options": options,
        "steps": steps,
    }


def paramlist_adam_e2e(ff, steps=20):
    name = "paramlist_adam_e2e_float64"
    init = paramlist_init("paramlist")
    params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
    opt = torch.optim.Adam([params[n] for n in PARAM_NAMES], lr=ADAM_LR)
    losses, traj = [], {n: [] for n in PARAM_NAMES}
    for k in range(steps):
        loss = forward_loss(params, k % INPUTS)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach().clone())
        for n in PARAM_NAMES:
            traj[n].append(params[n].detach().clone())
    tensors = {f"init/{n}": init[n] for n in PARAM_NAMES}
    tensors["loss"] = torch.stack(losses)
    tensors.update({f"param/{n}": torch.stack(traj[n]) for n in PARAM_NAMES})
    ff.add(name, module_config("Adam", {"lr": ADAM_LR}, steps), tensors)


def paramlist_adam_replay(ff, record_every=100):
    name = "paramlist_adam_replay_float64"
    init = paramlist_init("paramlist")
    params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
    opt = torch.optim.Adam([params[n] for n in PARAM_NAMES], lr=ADAM_LR)
    recorded, traj = [], {n: [] for n in PARAM_NAMES}
    steps = EPOCHS * INPUTS
    for k in range(steps):
        opt.zero_grad()
        forward_loss(params, k % INPUTS).backward()
        f, rebuilt = factors(params)
        for n in PARAM_NAMES:
            params[n].grad = rebuilt[n]
        opt.step()
        recorded.append(f)
        if (k + 1) % record_every == 0:
            for n in PARAM_NAMES:
                traj[n].append(params[n].detach().clone())
    tensors = {f"init/{n}": init[n] for n in PARAM_NAMES}
    tensors.update(stack_factors(recorded))
    tensors.update({f"param/{n}": torch.stack(traj[n]) for n in PARAM_NAMES})
    config = module_config("Adam", {"lr": ADAM_LR}, steps)
    config["record_every"] = record_every
    ff.add(name, config, tensors)


def paramlist_lbfgs_replay(ff, steps=20):
    name = "paramlist_lbfgs_replay_float64"
    init = paramlist_init("paramlist")
    params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
    opt = torch.optim.LBFGS([params[n] for n in PARAM_NAMES])
    recorded, losses, calls, traj = [], [], [], {n: [] for n in PARAM_NAMES}
    for k in range(steps):
        i = k % INPUTS
        count = [0]

        def closure():
            opt.zero_grad()
            loss = forward_loss(params, i)
            loss.backward()
            f, rebuilt = factors(params)
            for n in PARAM_NAMES:
                params[n].grad = rebuilt[n]
            recorded.append(f)
            losses.append(loss.detach().clone())
            count[0] += 1
            return loss

        opt.step(closure)
        calls.append(count[0])
        for n in PARAM_NAMES:
            traj[n].append(params[n].detach().clone())
    tensors = {f"init/{n}": init[n] for n in PARAM_NAMES}
    tensors["loss"] = torch.stack(losses)
    tensors.update(stack_factors(recorded))
    tensors.update({f"param/{n}": torch.stack(traj[n]) for n in PARAM_NAMES})
    config = module_config("LBFGS", {}, steps)
    config["calls"] = calls
    final = opt.state_dict()["state"][0]
    config["state_after"] = {"func_evals": final["func_evals"], "n_iter": final["n_iter"]}
    ff.add(name, config, tensors)


def gen_seeds():
    ff = FixtureFile("seeds")
    linreg_case(ff, "linreg_sgd_float32", "SGD", 1e-2, 5000, normalised=True)
    linreg_case(ff, "linreg_adam_float32", "Adam", 1e-1, 2000, normalised=False)
    paramlist_adam_e2e(ff)
    paramlist_lbfgs_replay(ff)
    return ff


def gen_paramlist_adam():
    ff = FixtureFile("paramlist_adam")
    paramlist_adam_replay(ff)
    return ff


# ---------------------------------------------------------------------------------------------
# legacy113.json: state dicts in PyTorch 1.13's layout
# ---------------------------------------------------------------------------------------------

# Every group key of 1.13.1 in its order, with 1.13's default (transcribed from Debian's python3-torch 1.13.1;
# SGD's lr had no default there: 0.1 is the case's).
LEGACY_GROUPS = {
    "SGD": {"lr": 0.1, "momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False, "maximize": False,
            "foreach": None, "differentiable": False},
    "Adam": {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "amsgrad": False,
             "maximize": False, "foreach": None, "capturable": False, "differentiable": False, "fused": False},
    "AdamW": {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0.01, "amsgrad": False,
              "foreach": None, "maximize": False, "capturable": False},
    "Adamax": {"lr": 0.002, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "foreach": None,
               "maximize": False},
    "Adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-06, "weight_decay": 0, "maximize": False, "foreach": None},
    "Adagrad": {"lr": 0.01, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0, "initial_accumulator_value": 0,
                "foreach": None, "maximize": False},
    "RMSprop": {"lr": 0.01, "momentum": 0, "alpha": 0.99, "eps": 1e-08, "centered": False, "weight_decay": 0,
                "foreach": None, "maximize": False, "differentiable": False},
    "Rprop": {"lr": 0.01, "etas": (0.5, 1.2), "step_sizes": (1e-06, 50), "foreach": None, "maximize": False},
    "ASGD": {"lr": 0.01, "lambd": 0.0001, "alpha": 0.75, "t0": 1000000.0, "weight_decay": 0, "foreach": None,
             "maximize": False},
    "NAdam": {"lr": 0.002, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "momentum_decay": 0.004,
              "foreach": None},
    "RAdam": {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "foreach": None},
    "SparseAdam": {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "maximize": False},
    "LBFGS": {"lr": 1, "max_iter": 20, "max_eval": 25, "tolerance_grad": 1e-07, "tolerance_change": 1e-09,
              "history_size": 100, "line_search_fn": None},
}

# The options of each case (the same keywords in 1.13 and 2.13): chosen so that the state matters.
LEGACY_OPTIONS = {
    "SGD": {"lr": 0.1, "momentum": 0.9},
    "Adam": {"lr": 0.01, "amsgrad": True},
    "AdamW": {"lr": 0.01},
    "Adamax": {"lr": 0.01},
    "Adadelta": {"lr": 0.5},
    "Adagrad": {"lr": 0.1},
    "RMSprop": {"lr": 0.01, "momentum": 0.5, "centered": True},
    "Rprop": {"lr": 0.01},
    "ASGD": {"lr": 0.01, "t0": 1},
    "NAdam": {"lr": 0.01},
    "RAdam": {"lr": 0.01},
    "SparseAdam": {"lr": 0.01},
    "LBFGS": {"max_iter": 3},
}

# State keys 1.13 saved, in order, and which of them were plain numbers there (the others are tensors).
LEGACY_STATE = {
    "SGD": (("momentum_buffer",), ()),
    "Adam": (("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), ()),
    "AdamW": (("step", "exp_avg", "exp_avg_sq"), ()),
    "Adamax": (("step", "exp_avg", "exp_inf"), ()),
    "Adadelta": (("step", "square_avg", "acc_delta"), ("step",)),
    "Adagrad": (("step", "sum"), ()),
    "RMSprop": (("step", "square_avg", "momentum_buffer", "grad_avg"), ("step",)),
    "Rprop": (("step", "prev", "step_size"), ("step",)),
    "ASGD": (("step", "eta", "mu", "ax"), ()),
    "NAdam": (("step", "mu_product", "exp_avg", "exp_avg_sq"), ()),
    "RAdam": (("step", "exp_avg", "exp_avg_sq"), ()),
    "SparseAdam": (("step", "exp_avg", "exp_avg_sq"), ("step",)),
    "LBFGS": (("func_evals", "n_iter", "al", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
               "prev_loss"), ("func_evals", "n_iter")),
}

# The scalars older checkpoints (before 1.12) kept as plain numbers: the plain_step variant.
PLAIN_SCALARS = ("step", "eta", "mu", "mu_product")

LEGACY_SHAPES = {"w": (2, 3), "b": (3,)}
LEGACY_STEPS_BEFORE, LEGACY_STEPS_AFTER = 2, 2


def encode_value(v):
    """A state value as JSON: tensors inline ({"tensor": ...}), lists element by element."""
    if isinstance(v, torch.Tensor):
        return encode_option(v.detach().clone())
    if isinstance(v, (list, tuple)):
        return [encode_value(x) for x in v]
    return v


def encode_state_dict(sd):
    return {
        "state": {str(pid): {k: encode_value(v) for k, v in st.items()} for pid, st in sd["state"].items()},
        "param_groups": [{k: encode_option(v) for k, v in g.items()} for g in sd["param_groups"]],
    }


def lbfgs_objective(params, target, curvature):
    """A quadratic plus a quartic, with its gradient set by hand (the Java test computes the same)."""
    loss = torch.zeros((), dtype=F64)
    for n, p in params.items():
        diff = p.detach() - target[n]
        loss = loss + (0.5 * curvature[n] * diff * diff + 0.25 * diff ** 4).sum()
        p.grad = curvature[n] * diff + diff ** 3
    return loss


def legacy_layout(opt_name, sd, plain):
    """The state dict of a 2.13 run rewritten in 1.13's layout (plain: the numbers of older checkpoints)."""
    keys, numbers = LEGACY_STATE[opt_name]
    group = dict(LEGACY_GROUPS[opt_name])
    for k, v in LEGACY_OPTIONS[opt_name].items():
        if k not in group:
            raise KeyError(f"{opt_name}: option {k} is not a 1.13 group key")
        group[k] = v
    if opt_name == "LBFGS":
        group["max_eval"] = group["max_iter"] * 5 // 4
    saved = sd["param_groups"][0]
    for k in group:
        ours = saved[k]
        if not (ours == group[k] or (isinstance(ours, tuple) and list(ours) == list(group[k]))):
            if not (opt_name == "Adam" and k == "fused"):  # 1.13's default False, 2.13's None
                raise ValueError(f"{opt_name}: group key {k} is {ours} in 2.13 and {group[k]} in the 1.13 layout")
    group["params"] = list(saved["params"])
    state = {}
    for pid, st in sd["state"].items():
        old = {}
        for k in keys:
            if k not in st:
                if opt_name == "RMSprop" or (opt_name == "LBFGS" and k == "al"):
                    continue  # saved only when used (momentum, centered), as in 1.13
                raise KeyError(f"{opt_name}: state key {k} missing")
            v = copy.deepcopy(st[k])
            if k in numbers or (plain and k in PLAIN_SCALARS):
                v = v.item() if isinstance(v, torch.Tensor) else v
                if k in ("step", "func_evals", "n_iter"):
                    v = int(v)
            old[k] = v
        extra = set(st) - set(keys)
        if extra:
            raise KeyError(f"{opt_name}: 2.13 state keys {sorted(extra)} unknown to 1.13")
        state[pid] = old
    return {"state": state, "param_groups": [group]}


def legacy_case(ff, opt_name, plain):
    variant = "plain_step" if plain else "113"
    name = f"load_{variant}_{opt_name.lower()}"
    seed(f"legacy_{opt_name}")
    cls = getattr(torch.optim, opt_name)
    init = {n: torch.randn(s, dtype=F64) for n, s in LEGACY_SHAPES.items()}
    steps = LEGACY_STEPS_BEFORE + LEGACY_STEPS_AFTER
    grads = {n: [torch.randn(s, dtype=F64) for _ in range(steps)] for n, s in LEGACY_SHAPES.items()}
    target = {n: torch.randn(s, dtype=F64) for n, s in LEGACY_SHAPES.items()}
    curvature = {n: torch.rand(s, dtype=F64) + 0.5 for n, s in LEGACY_SHAPES.items()}
    params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
    options = LEGACY_OPTIONS[opt_name]

    def step(opt, k):
        if opt_name == "LBFGS":
            opt.step(lambda: lbfgs_objective(params, target, curvature))
            return
        for n, p in params.items():
            g = grads[n][k]
            p.grad = g.to_sparse() if opt_name == "SparseAdam" else g.clone()
        opt.step()

    opt = cls(list(params.values()), **options)
    for k in range(LEGACY_STEPS_BEFORE):
        step(opt, k)
    old = legacy_layout(opt_name, opt.state_dict(), plain)
    saved_params = {n: p.detach().clone() for n, p in params.items()}
    encoded = encode_state_dict(old)

    params = {n: t.clone().requires_grad_(True) for n, t in saved_params.items()}
    fresh = cls(list(params.values()), **options)
    fresh.load_state_dict(copy.deepcopy(old))
    config = {"optimizer": opt_name, "options": {k: encode_option(v) for k, v in options.items()},
              "variant": variant, "state_dict": encoded, "loaded": encode_state_dict(fresh.state_dict()),
              "repr": repr(fresh)}
    after, traj = [], {n: [] for n in params}
    for k in range(LEGACY_STEPS_BEFORE, steps):
        step(fresh, k)
        after.append(encode_state_dict(fresh.state_dict())["state"])
        for n, p in params.items():
            traj[n].append(p.detach().clone())
    config["after"] = after
    tensors = {f"saved/{n}": saved_params[n] for n in params}
    if opt_name == "LBFGS":
        tensors.update({f"target/{n}": target[n] for n in params})
        tensors.update({f"curvature/{n}": curvature[n] for n in params})
    else:
        tensors.update({f"grad/{n}": torch.stack(grads[n][LEGACY_STEPS_BEFORE:]) for n in params})
    tensors.update({f"param/{n}": torch.stack(traj[n]) for n in params})
    ff.add(name, config, tensors)


def gen_legacy113():
    ff = FixtureFile("legacy113")
    for opt_name in LEGACY_GROUPS:
        legacy_case(ff, opt_name, plain=False)
        keys, numbers = LEGACY_STATE[opt_name]
        if any(k in PLAIN_SCALARS and k not in numbers for k in keys):
            legacy_case(ff, opt_name, plain=True)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = (gen_seeds, gen_paramlist_adam, gen_legacy113)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "seeds"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"gen_seeds.py needs torch {TORCH_VERSION}, found {torch.__version__}")
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
