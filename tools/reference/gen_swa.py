#!/usr/bin/env python3
"""Expected values for torch.optim.swa_utils (AveragedModel, the averaging functions, update_bn, SWALR),
computed by real PyTorch.

Writes into --out (default: fixtures/swa at the repository root):

  averaged.json  a small MLP with BatchNorm1d trained with SGD on recorded data, averaged by several
                 AveragedModels at once; then update_bn over recorded batches; float32 and float64
  update_bn.json update_bn on an MLP with two BatchNorm1d layers (momentum 0.3 and None) whose running
                 statistics were moved first; the model in training and in evaluation mode
  swalr.json     SWALR learning-rate sequences (cos and linear, several anneal_epochs, scalar and per-group
                 swa_lr, two groups with different lrs), the scheduler switch of the PyTorch docs, a hand-set
                 lr, resuming from state dicts and from last_epoch
  api.json       error messages (SWALR, the EMA factories, AveragedModel) and the AveragedModel repr

averaged.json, case mlp_<dtype>: the model is Sequential(Linear(4, 6), BatchNorm1d(6), ReLU(), Linear(6, 3)).
Tensors: init/<key> for every state_dict entry of the model; x [steps, batch, 4] and y [steps, batch, 3]; at
every step t (1-based) SGD(lr, momentum) takes one step on mse_loss(model(x[t]), y[t]) and model/<key> holds
the model's state_dict after each step, stacked. From step "swa_start" on, every averager of the config calls
update_parameters(model); <averager>/<key> holds its state_dict (n_averaged and module.<key>) after each
update, stacked. Averager configs: "avg_fn" / "multi_avg_fn" are null or {"fn": "swa"} or
{"fn": "ema", "decay": d} (get_swa_avg_fn / get_ema_avg_fn(d), or their multi forms), "use_buffers".
Afterwards the averager named in "update_bn" is put in eval mode and update_bn(loader, averager) runs over the
batches bn_x/<i>, where "loader" says for each batch whether it is a bare tensor ("tensor") or the first
element of a list ("list") or tuple ("tuple") with bn_y/<i>; update_bn/<key> holds its state_dict after,
update_bn/out its output on x_eval in eval mode; "training_after" and "momentum_after" are what update_bn left.

update_bn.json, case <mode>_<dtype>: init/<key>; "warm" batches warm/<i> run through the model in training
mode before (so the running statistics are not the initial ones); then the model is put in "mode" and
update_bn runs over the batches batch/<i> (bare tensors and lists); after/<key> holds the state_dict,
"training_after" and "momenta_after" what update_bn left.

swalr.json: every case runs an SGD optimizer with two param groups (lr 0.5 and 0.02) and records, after
construction and after each of "steps" calls of `optimizer.step(); scheduler.step()` (which scheduler steps
is given by "swa_start": up to epoch swa_start the "before" scheduler, then SWALR, as in the PyTorch docs):

  lr          float64 [steps + 1, 2]   every group's lr
  last_epoch  int64   [steps + 1]      SWALR's last_epoch

"swalr" gives SWALR's keywords; "before" (optional) the scheduler built before SWALR ({"name", "kwargs"};
MultiplicativeLR's lr_lambda "const09" is `lambda e: 0.9`); "set_lr" {"after": k, "lrs": [...]} sets the
groups' lr by hand after step k; "initial_lr" sets the groups' initial_lr before SWALR is built (for
last_epoch >= 0); "resume" {"at": k, "swalr": {...}} loads the optimizer's and SWALR's state dicts after step
k into a fresh optimizer and a SWALR built with the given keywords (in PyTorch's order: scheduler first,
then optimizer.load_state_dict, then scheduler.load_state_dict), which continue; resume/lr holds rows
k..steps of the continued run. "state_dict" is SWALR's state_dict after construction and "final_state_dict"
after the last step (JSON values), "swa_lr" the groups' swa_lr after the last step.

api.json, case errors: config "rows" lists [call, kwargs, exception type, message] for every error; the calls
are "SWALR" (on a fresh two-group optimizer as above, whose groups have no initial_lr),
"get_ema_multi_avg_fn", "get_ema_avg_fn", "AveragedModel" (functions named as in averager configs),
"update_parameters" (a model given by name, updated twice) and "update_parameters_other" (an AveragedModel of
one model updated from another, both given by name). Case repr: the repr of an AveragedModel.

Each case is seeded from its own name (zlib.crc32), so adding a case never changes another. The float32 and
float64 variants of a case use the same inputs (drawn in float64, rounded to float32).
"""

import argparse
import copy
import json
import os
import warnings
import zlib

import torch
from torch import nn
from torch.optim import lr_scheduler as L
from torch.optim import swa_utils as S

from gen_optim import FixtureFile as _FixtureFile
from gen_optim import _json, _number

TORCH_VERSION = "2.13.0"
GENERATOR = "tools/reference/gen_swa.py"
MAX_FILE_BYTES = 400_000
DTYPES = {"float32": torch.float32, "float64": torch.float64}


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


def stacked(rows):
    return torch.stack(rows)


def avg_function(spec, multi):
    """The averaging function an averager config names (None for null)."""
    if spec is None:
        return None
    if spec["fn"] == "swa":
        return S.get_swa_multi_avg_fn() if multi else S.get_swa_avg_fn()
    return S.get_ema_multi_avg_fn(spec["decay"]) if multi else S.get_ema_avg_fn(spec["decay"])


def build_averager(spec, model):
    return S.AveragedModel(
        model,
        avg_fn=avg_function(spec["avg_fn"], False),
        multi_avg_fn=avg_function(spec["multi_avg_fn"], True),
        use_buffers=spec["use_buffers"],
    )


# ---------------------------------------------------------------------------------------------
# averaged.json
# ---------------------------------------------------------------------------------------------

MLP_STEPS = 10
MLP_SWA_START = 3
MLP_BATCH = 8
MLP_SGD = {"lr": 0.05, "momentum": 0.9}
SWA = {"fn": "swa"}
AVERAGERS = [
    {"name": "swa", "avg_fn": None, "multi_avg_fn": None, "use_buffers": False},
    {"name": "swa_buffers", "avg_fn": None, "multi_avg_fn": None, "use_buffers": True},
    {"name": "swa_multi", "avg_fn": None, "multi_avg_fn": SWA, "use_buffers": False},
    {"name": "ema_multi", "avg_fn": None, "multi_avg_fn": {"fn": "ema", "decay": 0.9}, "use_buffers": True},
    {"name": "ema_multi_params", "avg_fn": None, "multi_avg_fn": {"fn": "ema", "decay": 0.75}, "use_buffers": False},
    {"name": "ema_avg", "avg_fn": {"fn": "ema", "decay": 0.8}, "multi_avg_fn": None, "use_buffers": False},
    {"name": "swa_avg_buffers", "avg_fn": SWA, "multi_avg_fn": None, "use_buffers": True},
    {"name": "ema_avg_buffers", "avg_fn": {"fn": "ema", "decay": 0.6}, "multi_avg_fn": None, "use_buffers": True},
]
BN_LOADER = ["tuple", "tensor", "list", "tuple"]
BN_BATCH_SIZES = [5, 7, 4, 6]


def mlp(dtype):
    return nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3)).to(dtype)


def gen_averaged():
    ff = FixtureFile("averaged")
    seed("mlp")
    init_model = mlp(torch.float64)
    with torch.no_grad():
        # Move the BatchNorm affine parameters away from 1 and 0 so that they are averaged visibly.
        init_model[1].weight.uniform_(0.5, 1.5)
        init_model[1].bias.uniform_(-0.5, 0.5)
    init = {k: v.detach().clone() for k, v in init_model.state_dict().items()}
    x = torch.randn(MLP_STEPS, MLP_BATCH, 4, dtype=torch.float64)
    y = torch.randn(MLP_STEPS, MLP_BATCH, 3, dtype=torch.float64)
    bn_x = [torch.randn(n, 4, dtype=torch.float64) for n in BN_BATCH_SIZES]
    bn_y = [torch.randn(n, 3, dtype=torch.float64) for n in BN_BATCH_SIZES]
    x_eval = torch.randn(5, 4, dtype=torch.float64)
    for dname, dt in DTYPES.items():
        model = mlp(dt)
        model.load_state_dict(init)
        opt = torch.optim.SGD(model.parameters(), **MLP_SGD)
        averagers = {a["name"]: build_averager(a, model) for a in AVERAGERS}
        model_rows = {k: [] for k in init}
        avg_rows = {name: {k: [] for k in av.state_dict()} for name, av in averagers.items()}
        for t in range(1, MLP_STEPS + 1):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x[t - 1].to(dt)), y[t - 1].to(dt))
            loss.backward()
            opt.step()
            for k, v in model.state_dict().items():
                model_rows[k].append(v.clone())
            if t >= MLP_SWA_START:
                for name, av in averagers.items():
                    av.update_parameters(model)
                    for k, v in av.state_dict().items():
                        avg_rows[name][k].append(v.clone())
        swa = averagers["swa"]
        swa.eval()
        loader = []
        for kind, bx, by in zip(BN_LOADER, bn_x, bn_y):
            bx, by = bx.to(dt), by.to(dt)
            loader.append(bx if kind == "tensor" else [bx, by] if kind == "list" else (bx, by))
        S.update_bn(loader, swa)
        training_after = swa.training
        momentum_after = swa.module[1].momentum
        with torch.no_grad():
            out = swa(x_eval.to(dt))
        tensors = {f"init/{k}": v.to(dt) if v.is_floating_point() else v for k, v in init.items()}
        tensors["x"] = x.to(dt)
        tensors["y"] = y.to(dt)
        for k, rows in model_rows.items():
            tensors[f"model/{k}"] = stacked(rows)
        for name, rows in avg_rows.items():
            for k, r in rows.items():
                tensors[f"{name}/{k}"] = stacked(r)
        for i, (bx, by) in enumerate(zip(bn_x, bn_y)):
            tensors[f"bn_x/{i}"] = bx.to(dt)
            tensors[f"bn_y/{i}"] = by.to(dt)
        tensors["x_eval"] = x_eval.to(dt)
        for k, v in swa.state_dict().items():
            tensors[f"update_bn/{k}"] = v.clone()
        tensors["update_bn/out"] = out
        config = {
            "model": "Sequential(Linear(4, 6), BatchNorm1d(6), ReLU(), Linear(6, 3))",
            "sgd": MLP_SGD,
            "steps": MLP_STEPS,
            "swa_start": MLP_SWA_START,
            "averagers": AVERAGERS,
            "state_dict_keys": list(swa.state_dict().keys()),
            "update_bn": "swa",
            "loader": BN_LOADER,
            "training_after": training_after,
            "momentum_after": momentum_after,
        }
        ff.add(f"mlp_{dname}", config, tensors)
    return ff


# ---------------------------------------------------------------------------------------------
# update_bn.json
# ---------------------------------------------------------------------------------------------

UPDATE_BN_WARM = [6, 9]
UPDATE_BN_BATCHES = [4, 8, 3, 5, 7]
UPDATE_BN_KINDS = ["tensor", "list", "tensor", "list", "tensor"]
UPDATE_BN_MOMENTA = [0.3, None]


def bn_mlp(dtype):
    return nn.Sequential(
        nn.Linear(3, 5),
        nn.BatchNorm1d(5, momentum=UPDATE_BN_MOMENTA[0]),
        nn.ReLU(),
        nn.Linear(5, 4),
        nn.BatchNorm1d(4, momentum=UPDATE_BN_MOMENTA[1]),
        nn.Linear(4, 2),
    ).to(dtype)


def gen_update_bn():
    ff = FixtureFile("update_bn")
    for mode in ("train", "eval"):
        name = f"update_bn_{mode}"
        seed(name)
        init = {k: v.detach().clone() for k, v in bn_mlp(torch.float64).state_dict().items()}
        warm = [torch.randn(n, 3, dtype=torch.float64) for n in UPDATE_BN_WARM]
        batches = [torch.randn(n, 3, dtype=torch.float64) * 2 + 0.5 for n in UPDATE_BN_BATCHES]
        for dname, dt in DTYPES.items():
            model = bn_mlp(dt)
            model.load_state_dict(init)
            with torch.no_grad():
                for w in warm:
                    model(w.to(dt))
            model.train(mode == "train")
            loader = [b.to(dt) if kind == "tensor" else [b.to(dt)] for kind, b in zip(UPDATE_BN_KINDS, batches)]
            S.update_bn(loader, model)
            tensors = {f"init/{k}": v.to(dt) if v.is_floating_point() else v for k, v in init.items()}
            for i, w in enumerate(warm):
                tensors[f"warm/{i}"] = w.to(dt)
            for i, b in enumerate(batches):
                tensors[f"batch/{i}"] = b.to(dt)
            for k, v in model.state_dict().items():
                tensors[f"after/{k}"] = v.clone()
            config = {
                "model": "Sequential(Linear(3, 5), BatchNorm1d(5, momentum=0.3), ReLU(), Linear(5, 4), "
                "BatchNorm1d(4, momentum=None), Linear(4, 2))",
                "mode": mode,
                "loader": UPDATE_BN_KINDS,
                "training_after": model.training,
                "momenta_after": [model[1].momentum, model[4].momentum],
            }
            ff.add(f"{mode}_{dname}", config, tensors)
    return ff


# ---------------------------------------------------------------------------------------------
# swalr.json
# ---------------------------------------------------------------------------------------------

GROUP_LRS = [0.5, 0.02]
LAMBDAS = {"const09": lambda e: 0.9}


def sgd_two_groups():
    params = [nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in GROUP_LRS]
    return torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, GROUP_LRS)], lr=0.1)


def build_before(spec, opt):
    kwargs = dict(spec["kwargs"])
    if "lr_lambda" in kwargs:
        kwargs["lr_lambda"] = LAMBDAS[kwargs["lr_lambda"]]
    return getattr(L, spec["name"])(opt, **kwargs)


def plain(sd):
    """A state dict as JSON values (lists for tuples)."""
    return json.loads(json.dumps(sd))


class SwalrRun:
    def __init__(self, cfg):
        self.cfg = cfg
        self.opt = sgd_two_groups()
        self.before = build_before(cfg["before"], self.opt) if "before" in cfg else None
        if "initial_lr" in cfg:
            for g, v in zip(self.opt.param_groups, cfg["initial_lr"]):
                g["initial_lr"] = v
        self.swalr = S.SWALR(self.opt, **cfg["swalr"])
        self.state_dict = plain(self.swalr.state_dict())
        self.lr, self.last_epoch = [], []
        self.record()

    def record(self):
        self.lr.append([float(g["lr"]) for g in self.opt.param_groups])
        self.last_epoch.append(self.swalr.last_epoch)

    def step(self, t):
        self.opt.step()
        if self.before is not None and t <= self.cfg["swa_start"]:
            self.before.step()
        else:
            self.swalr.step()
        self.record()
        set_lr = self.cfg.get("set_lr")
        if set_lr and set_lr["after"] == t:
            for g, lr in zip(self.opt.param_groups, set_lr["lrs"]):
                g["lr"] = lr


def swalr_case(ff, name, cfg):
    seed(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = SwalrRun(cfg)
        steps = cfg["steps"]
        resumed = None
        for t in range(1, steps + 1):
            run.step(t)
            if "resume" in cfg and cfg["resume"]["at"] == t:
                opt_sd = copy.deepcopy(run.opt.state_dict())
                sched_sd = copy.deepcopy(run.swalr.state_dict())
                opt2 = sgd_two_groups()
                sched2 = S.SWALR(opt2, **cfg["resume"]["swalr"])
                opt2.load_state_dict(opt_sd)
                sched2.load_state_dict(sched_sd)
                resumed = [[float(g["lr"]) for g in opt2.param_groups]]
        if resumed is not None:
            for t in range(cfg["resume"]["at"] + 1, steps + 1):
                opt2.step()
                sched2.step()
                resumed.append([float(g["lr"]) for g in opt2.param_groups])
            if resumed != run.lr[cfg["resume"]["at"]:]:
                raise AssertionError(f"{name}: the resumed run differs from the uninterrupted one")
        if [float(v) for v in run.swalr.get_last_lr()] != run.lr[-1] and "before" not in cfg and "set_lr" not in cfg:
            raise AssertionError(f"{name}: get_last_lr() differs from the groups' lr")
    out = dict(cfg)
    out["state_dict"] = run.state_dict
    out["final_state_dict"] = plain(run.swalr.state_dict())
    out["swa_lr"] = [g["swa_lr"] for g in run.opt.param_groups]
    tensors = {
        "lr": torch.tensor(run.lr, dtype=torch.float64),
        "last_epoch": torch.tensor(run.last_epoch, dtype=torch.int64),
    }
    if resumed is not None:
        tensors["resume/lr"] = torch.tensor(resumed, dtype=torch.float64)
    ff.add(name, out, tensors)


def gen_swalr():
    ff = FixtureFile("swalr")
    steps = 35
    for strategy in ("cos", "linear"):
        for epochs in (0, 1, 3, 10):
            swa_lr = 0.05 if strategy == "cos" else [0.05, 0.001]
            swalr_case(ff, f"{strategy}_anneal{epochs}", {
                "swalr": {"swa_lr": swa_lr, "anneal_epochs": epochs, "anneal_strategy": strategy},
                "steps": steps,
            })
    swalr_case(ff, "defaults", {"swalr": {"swa_lr": 0.1}, "steps": steps})
    swalr_case(ff, "int_swa_lr", {"swalr": {"swa_lr": [1, 0.003], "anneal_epochs": 4}, "steps": steps})
    swalr_case(ff, "switch_multiplicative", {
        "before": {"name": "MultiplicativeLR", "kwargs": {"lr_lambda": "const09"}},
        "swalr": {"swa_lr": 0.05, "anneal_epochs": 20, "anneal_strategy": "linear"},
        "swa_start": 10,
        "steps": 45,
    })
    swalr_case(ff, "switch_cosine", {
        "before": {"name": "CosineAnnealingLR", "kwargs": {"T_max": 40}},
        "swalr": {"swa_lr": [0.05, 0.002], "anneal_epochs": 5, "anneal_strategy": "cos"},
        "swa_start": 20,
        "steps": 40,
    })
    swalr_case(ff, "switch_steplr_anneal0", {
        "before": {"name": "StepLR", "kwargs": {"step_size": 4, "gamma": 0.5}},
        "swalr": {"swa_lr": 0.01, "anneal_epochs": 0},
        "swa_start": 12,
        "steps": 30,
    })
    swalr_case(ff, "set_lr", {
        "swalr": {"swa_lr": [0.05, 0.01], "anneal_epochs": 8, "anneal_strategy": "cos"},
        "set_lr": {"after": 3, "lrs": [0.8, 0.1]},
        "steps": steps,
    })
    swalr_case(ff, "resume_linear", {
        "swalr": {"swa_lr": [0.05, 0.01], "anneal_epochs": 10, "anneal_strategy": "linear"},
        "resume": {"at": 4, "swalr": {"swa_lr": 1.0}},
        "steps": steps,
    })
    swalr_case(ff, "resume_cos", {
        "swalr": {"swa_lr": 0.2, "anneal_epochs": 6, "anneal_strategy": "cos"},
        "resume": {"at": 2, "swalr": {"swa_lr": 0.3, "anneal_epochs": 1, "anneal_strategy": "linear"}},
        "steps": steps,
    })
    swalr_case(ff, "last_epoch", {
        "initial_lr": [0.6, 0.03],
        "swalr": {"swa_lr": 0.05, "anneal_epochs": 4, "anneal_strategy": "linear", "last_epoch": 7},
        "steps": steps,
    })
    return ff


# ---------------------------------------------------------------------------------------------
# api.json
# ---------------------------------------------------------------------------------------------

MODELS = {
    "linear_bn": lambda: nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)),
    "linear_bn_untracked": lambda: nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2, track_running_stats=False)),
}


def error_row(call, kwargs, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every exception is recorded
        return [call, kwargs, type(e).__name__, str(e.args[0]) if e.args else ""]
    raise AssertionError(f"{call} {kwargs} did not raise")


def swalr_error(kwargs):
    def run():
        S.SWALR(sgd_two_groups(), **kwargs)

    return run


def update_twice(kwargs):
    def run():
        model = MODELS[kwargs["model"]]()
        av = build_averager(kwargs, model)
        model(torch.randn(4, 2))
        av.update_parameters(model)
        model(torch.randn(4, 2))
        av.update_parameters(model)

    return run


def update_other(kwargs):
    def run():
        av = build_averager(kwargs, MODELS[kwargs["model"]]())
        av.update_parameters(MODELS[kwargs["other"]]())

    return run


def gen_api():
    ff = FixtureFile("api")
    seed("errors")
    rows = []
    for kwargs in (
        {"swa_lr": [0.1, 0.2, 0.3]},
        {"swa_lr": [0.1]},
        {"swa_lr": 0.05, "anneal_strategy": "exp"},
        {"swa_lr": 0.05, "anneal_strategy": "Cos"},
        {"swa_lr": 0.05, "anneal_strategy": None},
        {"swa_lr": 0.05, "anneal_epochs": -1},
        {"swa_lr": [0.1], "anneal_strategy": "exp", "anneal_epochs": -1},
        {"swa_lr": 0.05, "anneal_strategy": "exp", "anneal_epochs": -1},
        {"swa_lr": 0.05, "last_epoch": 3},
    ):
        rows.append(error_row("SWALR", kwargs, swalr_error(kwargs)))
    for call, fn in (("get_ema_multi_avg_fn", S.get_ema_multi_avg_fn), ("get_ema_avg_fn", S.get_ema_avg_fn)):
        for decay in (1.5, -0.25, 1.0000001, -1e-05, 2.5e16):
            rows.append(error_row(call, {"decay": decay}, lambda fn=fn, decay=decay: fn(decay)))
    both = {"avg_fn": SWA, "multi_avg_fn": {"fn": "ema", "decay": 0.9}, "use_buffers": False}
    rows.append(error_row("AveragedModel", both, lambda: build_averager(both, MODELS["linear_bn"]())))
    swa_multi_buffers = {"model": "linear_bn", "avg_fn": None, "multi_avg_fn": SWA, "use_buffers": True}
    rows.append(error_row("update_parameters", swa_multi_buffers, update_twice(swa_multi_buffers)))
    for model, other in (("linear_bn", "linear_bn_untracked"), ("linear_bn_untracked", "linear_bn")):
        kwargs = {"model": model, "other": other, "avg_fn": None, "multi_avg_fn": None, "use_buffers": False}
        rows.append(error_row("update_parameters_other", kwargs, update_other(kwargs)))
    ff.add("errors", {"rows": rows}, {})
    av = S.AveragedModel(nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3)))
    ff.add("repr", {"model": "Sequential(Linear(4, 6), BatchNorm1d(6), ReLU(), Linear(6, 3))", "repr": repr(av)}, {})
    return ff


AREAS = (gen_averaged, gen_update_bn, gen_swalr, gen_api)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "swa"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"gen_swa.py needs torch {TORCH_VERSION}, found {torch.__version__}")
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
