#!/usr/bin/env python3
"""Expected values for the tensor, autograd and nn engine, computed by real PyTorch.

Writes one JSON file per area (ops, reductions, linear, conv2d, conv2d_large, pool, batchnorm,
losses, clip, linreg) into --out (default: fixtures/engine at the repository root). Every value in the files is
produced by torch; this script only chooses shapes and arguments and writes the results down.
See tools/reference/README.md for the format and the tolerance rule the Java tests apply.

Each case is seeded from its own name, so adding or removing a case never changes another one. The
float32 and float64 variants of a case use the same inputs (drawn in float64, rounded to float32).
"""

import argparse
import copy
import json
import math
import operator
import os
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

TORCH_VERSION = "2.13.0"
GENERATOR = "tools/reference/gen_engine.py"
MAX_FILE_BYTES = 300_000

DTYPES = {"float32": torch.float32, "float64": torch.float64}
BOTH = ("float32", "float64")
DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.bool: "bool",
}
INF = math.inf


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _number(v):
    """One JSON number: repr of the float64 value (exact for float32 values too).

    Integral floats are written without ".0" (-0.0 keeps its sign) to keep the large integer-valued
    cases small; NaN and infinities use the spelling of Python's json module.
    """
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


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def randn(*shape):
    return torch.randn(shape, dtype=torch.float64)


def rand(*shape):
    return torch.rand(shape, dtype=torch.float64)


def positive(*shape):
    """Values in [0.5, 2.5): safe for log, sqrt, rsqrt and fractional powers."""
    return 0.5 + 2.0 * rand(*shape)


def away_from_zero(*shape):
    """Values with |v| >= 0.5: safe divisors."""
    x = randn(*shape)
    return torch.sign(x) * (0.5 + x.abs())


def integers(low, high, *shape):
    """Integer-valued float64 data: exact in float32, whatever the summation order."""
    return torch.randint(low, high, shape, dtype=torch.int64).to(torch.float64)


def leaf(t, dtype):
    return t.to(dtype).requires_grad_(True)


# ---------------------------------------------------------------------------------------------
# ops.json
# ---------------------------------------------------------------------------------------------

_SCALAR_FIRST = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}


def _call(op, args, kwargs):
    if not isinstance(args[0], torch.Tensor):
        return _SCALAR_FIRST[op](*args, **kwargs)
    return getattr(torch, op)(*args, **kwargs)


def op_case(ff, base, op, args, make, kwargs=None, outputs=("out",), dtypes=BOTH):
    """Records torch.<op>(*args, **kwargs) with the tensors that make() draws.

    args lists tensor names (strings) and Python scalars in call order; floating tensors are leaves
    that require grad, the first output (if floating) is backpropagated with a random grad_out.
    """
    kwargs = kwargs or {}
    seed(base)
    inputs = make()
    probe = _call(op, [inputs[a] if isinstance(a, str) else a for a in args], kwargs)
    probe = probe if isinstance(probe, tuple) else (probe,)
    differentiable = probe[0].is_floating_point()
    grad_out = randn(*probe[0].shape) if differentiable else None
    config = {"op": op, "args": args, "kwargs": kwargs, "outputs": list(outputs)}
    for dn in dtypes:
        dt = DTYPES[dn]
        leaves = {k: leaf(v, dt) if v.is_floating_point() else v for k, v in inputs.items()}
        res = _call(op, [leaves[a] if isinstance(a, str) else a for a in args], kwargs)
        res = res if isinstance(res, tuple) else (res,)
        tensors = dict(leaves)
        if differentiable:
            g = grad_out.to(dt)
            res[0].backward(g)
            tensors["grad_out"] = g
        for oname, o in zip(outputs, res):
            tensors[oname] = o
        if differentiable:
            for k, v in leaves.items():
                if v.is_floating_point():
                    if v.grad is None:
                        raise RuntimeError(f"{base}: no gradient for {k}")
                    tensors[f"grad_{k}"] = v.grad
        ff.add(f"{base}_{dn}", config, tensors)


def gen_ops():
    ff = FixtureFile("ops")

    # element-wise binary ops with broadcasting and scalar forms
    for op in ("add", "sub", "mul", "div"):
        other = away_from_zero if op == "div" else randn
        op_case(ff, f"{op}_broadcast", op, ["a", "b"], lambda: {"a": randn(3, 1, 4), "b": other(2, 1)})
        op_case(ff, f"{op}_same", op, ["a", "b"], lambda: {"a": randn(3, 4), "b": other(3, 4)})
        op_case(ff, f"{op}_0dim", op, ["a", "b"], lambda: {"a": randn(3, 4), "b": other()})
        op_case(ff, f"{op}_scalar", op, ["a", 2.5], lambda: {"a": randn(3, 4)})
        op_case(ff, f"{op}_rscalar", op, [2.5, "b"], lambda: {"b": other(3, 4)})
    op_case(ff, "add_alpha", "add", ["a", "b"], lambda: {"a": randn(3, 4), "b": randn(4)}, kwargs={"alpha": -0.5})
    op_case(ff, "sub_alpha", "sub", ["a", "b"], lambda: {"a": randn(3, 4), "b": randn(4)}, kwargs={"alpha": 2.0})

    # element-wise unary ops
    op_case(ff, "neg_basic", "neg", ["a"], lambda: {"a": randn(3, 4)})
    for tag, exponent, make in (
        ("2", 2.0, lambda: {"a": randn(3, 4)}),
        ("3", 3.0, lambda: {"a": randn(3, 4)}),
        ("0p5", 0.5, lambda: {"a": positive(3, 4)}),
        ("m1p5", -1.5, lambda: {"a": positive(3, 4)}),
    ):
        op_case(ff, f"pow_scalar{tag}", "pow", ["a", exponent], make)
    op_case(ff, "pow_tensor", "pow", ["a", "b"], lambda: {"a": positive(3, 4), "b": randn(4)})
    op_case(ff, "sqrt_basic", "sqrt", ["a"], lambda: {"a": positive(3, 4)})
    op_case(ff, "rsqrt_basic", "rsqrt", ["a"], lambda: {"a": positive(3, 4)})
    op_case(ff, "exp_basic", "exp", ["a"], lambda: {"a": randn(3, 4)})
    op_case(ff, "log_basic", "log", ["a"], lambda: {"a": positive(3, 4)})

    def with_zeros():
        a = randn(3, 4)
        a[0, 1] = 0.0
        a[2, 3] = 0.0
        return {"a": a}

    op_case(ff, "abs_withzero", "abs", ["a"], with_zeros)
    op_case(ff, "sign_withzero", "sign", ["a"], with_zeros)
    op_case(ff, "relu_withzero", "relu", ["a"], with_zeros)
    op_case(ff, "sigmoid_basic", "sigmoid", ["a"], lambda: {"a": 2.0 * randn(3, 4)})
    op_case(ff, "tanh_basic", "tanh", ["a"], lambda: {"a": 2.0 * randn(3, 4)})

    def with_bounds():
        a = randn(3, 4)
        a[0, 0] = -0.5  # exactly on the bounds: PyTorch passes the gradient through
        a[1, 1] = 0.5
        return {"a": a}

    op_case(ff, "clamp_minmax", "clamp", ["a"], with_bounds, kwargs={"min": -0.5, "max": 0.5})
    op_case(ff, "clamp_min", "clamp", ["a"], with_bounds, kwargs={"min": -0.5})
    op_case(ff, "clamp_max", "clamp", ["a"], with_bounds, kwargs={"max": 0.5})

    def ties():
        a, b = randn(3, 4), randn(3, 4)
        b[0, :2] = a[0, :2]  # equal elements: PyTorch splits the gradient in halves
        return {"a": a, "b": b}

    for op in ("maximum", "minimum"):
        op_case(ff, f"{op}_broadcast", op, ["a", "b"], lambda: {"a": randn(3, 4), "b": randn(4)})
        op_case(ff, f"{op}_ties", op, ["a", "b"], ties)
    op_case(
        ff,
        "where_broadcast",
        "where",
        ["mask", "a", "b"],
        lambda: {"mask": rand(3, 4) > 0.5, "a": randn(3, 4), "b": randn(1, 4)},
    )

    # matrix products
    for tag, sa, sb in (
        ("1d1d", (4,), (4,)),
        ("2d1d", (3, 4), (4,)),
        ("1d2d", (4,), (4, 5)),
        ("2d2d", (3, 4), (4, 5)),
        ("batched", (2, 3, 4), (4, 5)),
        ("bcast", (2, 1, 3, 4), (3, 4, 2)),
    ):
        op_case(ff, f"matmul_{tag}", "matmul", ["a", "b"], lambda sa=sa, sb=sb: {"a": randn(*sa), "b": randn(*sb)})
    op_case(ff, "mm_basic", "mm", ["a", "b"], lambda: {"a": randn(3, 4), "b": randn(4, 5)})
    op_case(ff, "bmm_basic", "bmm", ["a", "b"], lambda: {"a": randn(2, 3, 4), "b": randn(2, 4, 5)})
    return ff


def gen_reductions():
    """Reductions, max/min/argmax and softmax: the same format as ops.json (split for size)."""
    ff = FixtureFile("reductions")

    # reductions over a [2,3,4] tensor
    x234 = lambda: {"a": randn(2, 3, 4)}
    for op in ("sum", "mean"):
        op_case(ff, f"{op}_all", op, ["a"], x234)
        op_case(ff, f"{op}_dim1", op, ["a"], x234, kwargs={"dim": 1})
        op_case(ff, f"{op}_dim1_keepdim", op, ["a"], x234, kwargs={"dim": 1, "keepdim": True})
        op_case(ff, f"{op}_dim02", op, ["a"], x234, kwargs={"dim": [0, 2]})
        op_case(ff, f"{op}_dimm1_keepdim", op, ["a"], x234, kwargs={"dim": -1, "keepdim": True})
    for op in ("var", "std"):
        op_case(ff, f"{op}_all", op, ["a"], x234)
        op_case(ff, f"{op}_all_corr0", op, ["a"], x234, kwargs={"correction": 0})
        op_case(ff, f"{op}_dim1", op, ["a"], x234, kwargs={"dim": 1})
        op_case(ff, f"{op}_dim1_corr0", op, ["a"], x234, kwargs={"dim": 1, "correction": 0})
        op_case(ff, f"{op}_dim02_keepdim", op, ["a"], x234, kwargs={"dim": [0, 2], "keepdim": True})
    op_case(ff, "norm_p2", "norm", ["a"], x234, kwargs={"p": 2.0})
    op_case(ff, "norm_p1", "norm", ["a"], x234, kwargs={"p": 1.0})
    op_case(ff, "norm_pinf", "norm", ["a"], x234, kwargs={"p": INF})
    op_case(ff, "norm_p2_dim1", "norm", ["a"], x234, kwargs={"p": 2.0, "dim": 1})
    op_case(
        ff,
        "norm_pinf_ties",
        "norm",
        ["a"],
        lambda: {"a": torch.tensor([[1.0, -3.0, 3.0], [2.0, -3.0, 0.5]], dtype=torch.float64)},
        kwargs={"p": INF},
    )

    # max/min over a dim (values and int64 indices), argmax
    vi = ("values", "indices")
    op_case(ff, "max_dim1", "max", ["a"], x234, kwargs={"dim": 1}, outputs=vi)
    op_case(ff, "max_dim0_keepdim", "max", ["a"], x234, kwargs={"dim": 0, "keepdim": True}, outputs=vi)
    op_case(ff, "min_dim1", "min", ["a"], x234, kwargs={"dim": 1}, outputs=vi)
    op_case(ff, "min_dimm1_keepdim", "min", ["a"], x234, kwargs={"dim": -1, "keepdim": True}, outputs=vi)
    op_case(ff, "max_dim1_ties", "max", ["a"], lambda: {"a": integers(0, 2, 2, 3, 4)}, kwargs={"dim": 1}, outputs=vi)
    op_case(ff, "min_dim1_ties", "min", ["a"], lambda: {"a": integers(0, 2, 2, 3, 4)}, kwargs={"dim": 1}, outputs=vi)
    op_case(ff, "argmax_all", "argmax", ["a"], x234)
    op_case(ff, "argmax_dim1", "argmax", ["a"], x234, kwargs={"dim": 1})
    op_case(ff, "argmax_dim0_keepdim", "argmax", ["a"], x234, kwargs={"dim": 0, "keepdim": True})
    op_case(ff, "argmax_dim2_ties", "argmax", ["a"], lambda: {"a": integers(0, 2, 2, 3, 4)}, kwargs={"dim": 2})

    # softmax / log_softmax with a row of large values
    def large():
        a = randn(2, 3, 4)
        a[0, 1] = torch.tensor([1000.0, -1000.0, 999.5, 0.0], dtype=torch.float64)
        return {"a": a}

    for op in ("softmax", "log_softmax"):
        for tag, dim in (("dim0", 0), ("dim1", 1), ("dimm1", -1)):
            op_case(ff, f"{op}_{tag}", op, ["a"], large, kwargs={"dim": dim})
    return ff


# ---------------------------------------------------------------------------------------------
# Modules: linear, conv2d, pool
# ---------------------------------------------------------------------------------------------


def module_case(ff, name, config, module, x, dtypes=BOTH, integer_grad_out=False):
    """Records module(x): x, parameters as given, grad_out, out, grad_x and parameter grads."""
    with torch.no_grad():
        out_shape = copy.deepcopy(module)(x).shape
    grad_out = integers(-1, 2, *out_shape) if integer_grad_out else randn(*out_shape)
    for dn in dtypes:
        dt = DTYPES[dn]
        m = copy.deepcopy(module).to(dt)
        xi = leaf(x, dt)
        tensors = {"x": xi}
        for pname, p in m.named_parameters():
            tensors[pname] = p.detach().clone()
        g = grad_out.to(dt)
        out = m(xi)
        out.backward(g)
        tensors["grad_out"] = g
        tensors["out"] = out
        tensors["grad_x"] = xi.grad
        for pname, p in m.named_parameters():
            tensors[f"grad_{pname}"] = p.grad
        ff.add(f"{name}_{dn}", config, tensors)


def gen_linear():
    ff = FixtureFile("linear")
    for bias in (True, False):
        for tag, shape in (("2d", (4, 5)), ("3d", (2, 4, 5))):
            name = f"linear_{'bias' if bias else 'nobias'}_{tag}"
            seed(name)
            m = nn.Linear(5, 3, bias=bias, dtype=torch.float64)
            config = {"module": "Linear", "in_features": 5, "out_features": 3, "bias": bias}
            module_case(ff, name, config, m, randn(*shape))
    return ff


def _pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def conv_config(m):
    return {
        "module": "Conv2d",
        "in_channels": m.in_channels,
        "out_channels": m.out_channels,
        "kernel_size": _pair(m.kernel_size),
        "stride": _pair(m.stride),
        "padding": _pair(m.padding),
        "dilation": _pair(m.dilation),
        "groups": m.groups,
        "bias": m.bias is not None,
        "padding_mode": m.padding_mode,
    }


def gen_conv2d():
    ff = FixtureFile("conv2d")
    for name, kwargs in (
        ("conv_k3", dict(kernel_size=3)),
        ("conv_k3_s2_p1", dict(kernel_size=3, stride=2, padding=1)),
        ("conv_k23_s12_p10_d2", dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=2)),
        ("conv_k3_nobias", dict(kernel_size=3, bias=False)),
    ):
        seed(name)
        m = nn.Conv2d(2, 3, dtype=torch.float64, **kwargs)
        module_case(ff, name, conv_config(m), m, randn(2, 2, 7, 8))
    seed_conv_case(ff, "conv_seed1", 1, 32, (1, 1, 28, 28))
    return ff


def gen_conv2d_large():
    """The seed CNN's second convolution; its own file only because of its size."""
    ff = FixtureFile("conv2d_large")
    seed_conv_case(ff, "conv_seed2", 32, 64, (1, 32, 8, 8))
    return ff


def seed_conv_case(ff, name, cin, cout, shape):
    """A convolution of the seed CNN at full size, float32, with integer-valued data.

    Integer weight, bias, x and grad_out keep every result exact in float32 (any summation order
    must reproduce it) and keep the files small; rounding is pinned by the random-valued cases.
    """
    seed(name)
    m = nn.Conv2d(cin, cout, kernel_size=5, dtype=torch.float64)
    with torch.no_grad():
        m.weight.copy_(integers(-1, 2, *m.weight.shape))
        m.bias.copy_(integers(-2, 3, *m.bias.shape))
    config = conv_config(m)
    config["init"] = "integer-valued weight, bias, x and grad_out"
    module_case(ff, name, config, m, integers(-1, 2, *shape), dtypes=("float32",), integer_grad_out=True)


def pool_case(ff, name, kind, kwargs, x, dtypes=BOTH):
    """MaxPool2d (also recording return_indices' flat per-plane indices) or AvgPool2d."""
    seed(name + "/grad_out")
    fn = F.max_pool2d if kind == "MaxPool2d" else F.avg_pool2d
    with torch.no_grad():
        out_shape = fn(x, **kwargs).shape
    grad_out = randn(*out_shape)
    module = nn.MaxPool2d(**kwargs) if kind == "MaxPool2d" else nn.AvgPool2d(**kwargs)
    config = {"module": kind, "kwargs": kwargs}  # as passed; the resolved values follow
    for k in ("kernel_size", "stride", "padding", "dilation"):
        if hasattr(module, k):
            config[k] = _pair(getattr(module, k))
    for k in ("ceil_mode", "count_include_pad", "divisor_override"):
        if hasattr(module, k):
            config[k] = getattr(module, k)
    for dn in dtypes:
        dt = DTYPES[dn]
        xi = leaf(x, dt)
        g = grad_out.to(dt)
        out = module(xi)
        out.backward(g)
        tensors = {"x": xi, "grad_out": g, "out": out}
        if kind == "MaxPool2d":
            with torch.no_grad():
                _, indices = F.max_pool2d(xi, return_indices=True, **kwargs)
            tensors["indices"] = indices
        tensors["grad_x"] = xi.grad
        ff.add(f"{name}_{dn}", config, tensors)


def gen_pool():
    ff = FixtureFile("pool")
    cases = (
        ("maxpool_k3", "MaxPool2d", dict(kernel_size=3), (2, 3, 9, 9), BOTH),
        ("maxpool_k3_24", "MaxPool2d", dict(kernel_size=3), (1, 2, 24, 24), BOTH),
        ("maxpool_k2", "MaxPool2d", dict(kernel_size=2), (2, 3, 4, 6), BOTH),
        ("maxpool_k2_s1_p1", "MaxPool2d", dict(kernel_size=2, stride=1, padding=1), (2, 2, 5, 6), BOTH),
        (
            "maxpool_k3_s2_d2_ceil",
            "MaxPool2d",
            dict(kernel_size=3, stride=2, dilation=2, ceil_mode=True),
            (2, 2, 10, 11),
            BOTH,
        ),
        ("avgpool_k2", "AvgPool2d", dict(kernel_size=2), (2, 3, 6, 7), BOTH),
        (
            "avgpool_k3_s2_p1_incpad",
            "AvgPool2d",
            dict(kernel_size=3, stride=2, padding=1, count_include_pad=True),
            (2, 2, 7, 8),
            BOTH,
        ),
        (
            "avgpool_k3_s2_p1_excpad",
            "AvgPool2d",
            dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
            (2, 2, 7, 8),
            BOTH,
        ),
        (
            "avgpool_k3_s2_p1_ceil",
            "AvgPool2d",
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=True),
            (1, 2, 8, 8),
            BOTH,
        ),
    )
    for name, kind, kwargs, shape, dtypes in cases:
        seed(name)
        pool_case(ff, name, kind, kwargs, randn(*shape), dtypes)
    # Ties: the gradient goes to the index PyTorch picks (the first maximum in scan order).
    seed("maxpool_ties")
    pool_case(ff, "maxpool_ties_overlap", "MaxPool2d", dict(kernel_size=3, stride=2), integers(0, 2, 1, 2, 7, 7))
    pool_case(ff, "maxpool_ties_const", "MaxPool2d", dict(kernel_size=2), torch.zeros(1, 1, 4, 4, dtype=torch.float64))
    return ff


# ---------------------------------------------------------------------------------------------
# batchnorm.json
# ---------------------------------------------------------------------------------------------


def bn_config(m, mode):
    return {
        "module": type(m).__name__,
        "num_features": m.num_features,
        "eps": m.eps,
        "momentum": m.momentum,
        "affine": m.affine,
        "track_running_stats": m.track_running_stats,
        "mode": mode,
    }


def bn_case(ff, name, m, xs, mode, dtypes=BOTH):
    """Forwards each x in xs (in order) and backpropagates a random grad_out for each.

    Records the buffers before and after, every output and input gradient, and the parameter
    gradients accumulated over all the backward calls.
    """
    with torch.no_grad():
        shapes = [copy.deepcopy(m)(x).shape for x in xs]
    grads_out = [randn(*s) for s in shapes]
    suffixes = [""] if len(xs) == 1 else [str(i + 1) for i in range(len(xs))]
    for dn in dtypes:
        dt = DTYPES[dn]
        mi = copy.deepcopy(m).to(dt)
        mi.train(mode == "train")
        tensors = {}
        leaves = []
        for sfx, x in zip(suffixes, xs):
            leaves.append(leaf(x, dt))
            tensors["x" + sfx] = leaves[-1]
        for pname, p in mi.named_parameters():
            tensors[pname] = p.detach().clone()
        tensors["running_mean_before"] = mi.running_mean.clone()
        tensors["running_var_before"] = mi.running_var.clone()
        tensors["num_batches_tracked_before"] = mi.num_batches_tracked.clone()
        for sfx, xi, g in zip(suffixes, leaves, grads_out):
            gi = g.to(dt)
            out = mi(xi)
            out.backward(gi)
            tensors["grad_out" + sfx] = gi
            tensors["out" + sfx] = out
        tensors["running_mean_after"] = mi.running_mean.clone()
        tensors["running_var_after"] = mi.running_var.clone()
        tensors["num_batches_tracked_after"] = mi.num_batches_tracked.clone()
        for sfx, xi in zip(suffixes, leaves):
            tensors["grad_x" + sfx] = xi.grad
        for pname, p in mi.named_parameters():
            tensors[f"grad_{pname}"] = p.grad
        ff.add(f"{name}_{dn}", bn_config(mi, mode), tensors)


def _random_affine(m):
    with torch.no_grad():
        m.weight.copy_(0.5 + rand(m.num_features))
        m.bias.copy_(0.5 * randn(m.num_features))


def gen_batchnorm():
    ff = FixtureFile("batchnorm")
    for tag, cls, shape in (
        ("bn1d_2d", nn.BatchNorm1d, (6, 4)),
        ("bn1d_3d", nn.BatchNorm1d, (3, 4, 5)),
        ("bn2d", nn.BatchNorm2d, (4, 3, 5, 5)),
    ):
        features = shape[1]
        name = f"{tag}_train"
        seed(name)
        m = cls(features, dtype=torch.float64)
        _random_affine(m)
        bn_case(ff, name, m, [randn(*shape) * 2.0 + 0.5], "train")

        name = f"{tag}_eval"
        seed(name)
        m = cls(features, dtype=torch.float64)
        _random_affine(m)
        with torch.no_grad():
            m.running_mean.copy_(0.5 * randn(features))
            m.running_var.copy_(0.5 + rand(features))
        bn_case(ff, name, m, [randn(*shape)], "eval")

    name = "bn2d_noaffine_train"
    seed(name)
    bn_case(ff, name, nn.BatchNorm2d(3, affine=False, dtype=torch.float64), [randn(4, 3, 5, 5)], "train")

    name = "bn1d_momentum_none_two_steps"
    seed(name)
    m = nn.BatchNorm1d(4, momentum=None, dtype=torch.float64)
    _random_affine(m)
    bn_case(ff, name, m, [randn(6, 4), randn(6, 4) + 1.0], "train")

    name = "bn1d_momentum_two_steps"
    seed(name)
    m = nn.BatchNorm1d(4, momentum=0.3, dtype=torch.float64)
    _random_affine(m)
    bn_case(ff, name, m, [randn(6, 4), randn(6, 4) + 1.0], "train")
    return ff


# ---------------------------------------------------------------------------------------------
# losses.json
# ---------------------------------------------------------------------------------------------


def loss_case(ff, name, loss, kwargs, make):
    """Records loss(**kwargs)(input, target); 'none' reductions are backpropagated with grad_out."""
    seed(name)
    data = make()
    weight = data.pop("weight", None)
    reduction = kwargs.get("reduction", "mean")
    with torch.no_grad():
        probe = getattr(nn, loss)(weight=weight, **kwargs) if weight is not None else getattr(nn, loss)(**kwargs)
        out_shape = probe(data["input"], data["target"]).shape
    grad_out = randn(*out_shape) if reduction == "none" else None
    config = {"loss": loss, "kwargs": kwargs}
    for dn in BOTH:
        dt = DTYPES[dn]
        xi = leaf(data["input"], dt)
        target = data["target"]
        target = target.to(dt) if target.is_floating_point() else target
        tensors = {"input": xi, "target": target}
        if weight is not None:
            tensors["weight"] = weight.to(dt)
            fn = getattr(nn, loss)(weight=weight.to(dt), **kwargs)
        else:
            fn = getattr(nn, loss)(**kwargs)
        out = fn(xi, target)
        if grad_out is not None:
            g = grad_out.to(dt)
            out.backward(g)
            tensors["grad_out"] = g
        else:
            out.backward()
        tensors["out"] = out
        tensors["grad_input"] = xi.grad
        ff.add(f"{name}_{dn}", config, tensors)


def gen_losses():
    ff = FixtureFile("losses")
    targets = torch.tensor([2, 0, 4, 2, 1, 3], dtype=torch.int64)

    def logits():
        return {"input": 2.0 * randn(6, 5), "target": targets.clone()}

    def logits_w():
        return {"input": 2.0 * randn(6, 5), "target": targets.clone(), "weight": 0.5 + rand(5)}

    def kdim():
        return {"input": randn(2, 5, 3, 3), "target": torch.randint(0, 5, (2, 3, 3))}

    def logprobs():
        return {"input": torch.log_softmax(2.0 * randn(6, 5), dim=1), "target": targets.clone()}

    def logprobs_w():
        d = logprobs()
        d["weight"] = 0.5 + rand(5)
        return d

    for red in ("mean", "sum", "none"):
        loss_case(ff, f"ce_{red}", "CrossEntropyLoss", {"reduction": red}, logits)
        loss_case(ff, f"ce_weight_{red}", "CrossEntropyLoss", {"reduction": red}, logits_w)
    loss_case(ff, "ce_ignore2_mean", "CrossEntropyLoss", {"ignore_index": 2}, logits)
    loss_case(ff, "ce_ignore2_none", "CrossEntropyLoss", {"ignore_index": 2, "reduction": "none"}, logits)
    loss_case(ff, "ce_weight_ignore2_mean", "CrossEntropyLoss", {"ignore_index": 2}, logits_w)
    loss_case(ff, "ce_smooth_mean", "CrossEntropyLoss", {"label_smoothing": 0.1}, logits)
    loss_case(ff, "ce_smooth_sum", "CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "sum"}, logits)
    loss_case(ff, "ce_smooth_none", "CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "none"}, logits)
    loss_case(ff, "ce_weight_smooth_mean", "CrossEntropyLoss", {"label_smoothing": 0.1}, logits_w)
    loss_case(ff, "ce_kdim_mean", "CrossEntropyLoss", {"reduction": "mean"}, kdim)
    loss_case(ff, "ce_kdim_none", "CrossEntropyLoss", {"reduction": "none"}, kdim)

    for red in ("mean", "sum", "none"):
        loss_case(ff, f"nll_{red}", "NLLLoss", {"reduction": red}, logprobs)
    loss_case(ff, "nll_weight_mean", "NLLLoss", {"reduction": "mean"}, logprobs_w)
    loss_case(ff, "nll_weight_none", "NLLLoss", {"reduction": "none"}, logprobs_w)
    loss_case(ff, "nll_ignore2_mean", "NLLLoss", {"ignore_index": 2}, logprobs)

    def regression():
        x, t = randn(3, 4), randn(3, 4)
        t[1, 2] = x[1, 2]  # zero difference: L1's gradient there is sign(0) = 0
        return {"input": x, "target": t}

    for loss, tag in (("MSELoss", "mse"), ("L1Loss", "l1")):
        for red in ("mean", "sum", "none"):
            loss_case(ff, f"{tag}_{red}", loss, {"reduction": red}, regression)
    return ff


# ---------------------------------------------------------------------------------------------
# clip.json
# ---------------------------------------------------------------------------------------------


def gen_clip():
    ff = FixtureFile("clip")
    shapes = ((3, 4), (5,), (2, 3))

    def clip_case(name, fn, kwargs, poison=None):
        seed(name)
        grads = [randn(*s) for s in shapes]
        if poison is not None:
            grads[1][2] = poison
        for dn in BOTH:
            dt = DTYPES[dn]
            params = [torch.zeros(s, dtype=dt, requires_grad=True) for s in shapes]
            for p, g in zip(params, grads):
                p.grad = g.to(dt).clone()
            tensors = {f"grad{i}": p.grad.clone() for i, p in enumerate(params)}
            result = getattr(torch.nn.utils, fn)(params, **kwargs)
            if result is not None:
                tensors["total_norm"] = result
            for i, p in enumerate(params):
                tensors[f"grad{i}_after"] = p.grad
            ff.add(f"{name}_{dn}", {"fn": fn, "kwargs": kwargs}, tensors)

    clip_case("clip_norm_l2", "clip_grad_norm_", {"max_norm": 1.0, "norm_type": 2.0})
    clip_case("clip_norm_l1", "clip_grad_norm_", {"max_norm": 1.0, "norm_type": 1.0})
    clip_case("clip_norm_linf", "clip_grad_norm_", {"max_norm": 1.0, "norm_type": INF})
    clip_case("clip_norm_l3", "clip_grad_norm_", {"max_norm": 1.0, "norm_type": 3.0})
    clip_case("clip_norm_below", "clip_grad_norm_", {"max_norm": 100.0, "norm_type": 2.0})
    clip_case("clip_value", "clip_grad_value_", {"clip_value": 0.1})
    clip_case(
        "clip_norm_inf_grad",
        "clip_grad_norm_",
        {"max_norm": 1.0, "norm_type": 2.0, "error_if_nonfinite": False},
        poison=INF,
    )
    return ff


# ---------------------------------------------------------------------------------------------
# linreg.json
# ---------------------------------------------------------------------------------------------

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
EPOCHS = 5000
LR = 1e-2
RECORD = [1, 2] + list(range(500, EPOCHS + 1, 500))


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c) ** 2
    return squared_diffs.mean()


def gen_linreg():
    ff = FixtureFile("linreg")
    for variant in ("manual", "sgd"):
        for dn in BOTH:
            dt = DTYPES[dn]
            t_c = torch.tensor(T_C, dtype=dt)
            t_u = torch.tensor(T_U, dtype=dt)
            t_un = 0.1 * t_u
            params = torch.tensor([1.0, 0.0], dtype=dt, requires_grad=True)
            params_init = params.detach().clone()
            optimizer = torch.optim.SGD([params], lr=LR) if variant == "sgd" else None
            losses, params_at, grad_epoch1 = [], [], None
            for epoch in range(1, EPOCHS + 1):
                t_p = model(t_un, *params)
                loss = loss_fn(t_p, t_c)
                if optimizer is not None:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                else:
                    params.grad = None
                    loss.backward()
                    with torch.no_grad():
                        params -= LR * params.grad
                if epoch == 1:
                    grad_epoch1 = params.grad.clone()
                if epoch in RECORD:
                    losses.append(loss.detach().clone())
                    params_at.append(params.detach().clone())
            config = {
                "model": "w * t_un + b",
                "loss": "((t_p - t_c)**2).mean()",
                "update": "optim.SGD([params], lr)" if optimizer is not None
                else "params.grad = None; loss.backward(); params -= lr * params.grad (no_grad)",
                "lr": LR,
                "epochs": EPOCHS,
                "record_epochs": RECORD,
            }
            tensors = {
                "t_c": t_c,
                "t_u": t_u,
                "t_un": t_un,
                "params_init": params_init,
                "grad_epoch1": grad_epoch1,
                "losses": torch.stack(losses),
                "params_at": torch.stack(params_at),
                "params_final": params,
            }
            ff.add(f"linreg_{variant}_{dn}", config, tensors)
    return ff


# ---------------------------------------------------------------------------------------------

AREAS = (gen_ops, gen_reductions, gen_linear, gen_conv2d, gen_conv2d_large, gen_pool, gen_batchnorm, gen_losses, gen_clip, gen_linreg)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "fixtures", "engine"), help="output directory")
    args = parser.parse_args()
    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"gen_engine.py needs torch {TORCH_VERSION}, found {torch.__version__}")
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
