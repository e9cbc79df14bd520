#!/usr/bin/env python3
"""Compares two directories of JSON fixtures: compare.py EXPECTED_DIR ACTUAL_DIR.

Every *.json file (recursively) must exist on both sides with the same meta, case names (in the
same order), configs, tensor names, dtypes and shapes. Values must satisfy the project tolerance

    |a - b| <= rtol * max(|b|, s)

where a is the actual value, b the expected one, s the RMS of the finite expected values of that
tensor (1 for a 0-dim tensor), rtol 1e-12 for float64 and 1e-6 for float32; int64 and bool values
must be equal, NaN matches only NaN and an infinity only the same infinity. The same rule is
implemented for the Java tests in org.optim4j.tensor.testing.Tolerance.

Prints every difference (a few values per tensor) and a summary; exits 1 on any difference.
"""

import json
import math
import os
import sys

RTOL = {"float64": 1e-12, "float32": 1e-6}
MAX_VALUES_SHOWN = 5


def json_files(root):
    found = []
    for dirpath, _, filenames in os.walk(root):
        for f in filenames:
            if f.endswith(".json"):
                found.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(found)


def tolerance_scale(tensor):
    if len(tensor["shape"]) == 0:
        return 1.0
    finite = [float(v) for v in tensor["data"] if math.isfinite(v)]
    return math.sqrt(sum(v * v for v in finite) / len(finite)) if finite else 0.0


def value_matches(a, b, rtol, s):
    if math.isnan(b) or math.isnan(a):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(b) or math.isinf(a):
        return a == b
    return abs(a - b) <= rtol * max(abs(b), s)


def compare_tensor(where, expected, actual, problems):
    for key in ("dtype", "shape"):
        if expected[key] != actual[key]:
            problems.append(f"{where}: {key} {actual[key]} (expected {expected[key]})")
            return
    exp_data, act_data = expected["data"], actual["data"]
    if len(exp_data) != len(act_data) or len(exp_data) != math.prod(expected["shape"]):
        problems.append(f"{where}: {len(act_data)} values, expected {len(exp_data)} for shape {expected['shape']}")
        return
    dtype = expected["dtype"]
    if dtype in RTOL:
        rtol, s = RTOL[dtype], tolerance_scale(expected)
        bad = [i for i, (a, b) in enumerate(zip(act_data, exp_data)) if not value_matches(float(a), float(b), rtol, s)]
        rule = f"rtol {rtol:g}, s {s:.6g}"
    else:
        bad = [i for i, (a, b) in enumerate(zip(act_data, exp_data)) if a != b or type(a) is not type(b)]
        rule = "exact"
    if bad:
        shown = ", ".join(f"[{i}] actual {act_data[i]!r} expected {exp_data[i]!r}" for i in bad[:MAX_VALUES_SHOWN])
        more = f" (+{len(bad) - MAX_VALUES_SHOWN} more)" if len(bad) > MAX_VALUES_SHOWN else ""
        problems.append(f"{where}: {len(bad)} of {len(exp_data)} values differ ({rule}): {shown}{more}")


def compare_names(where, what, expected, actual, problems):
    missing = [n for n in expected if n not in actual]
    extra = [n for n in actual if n not in expected]
    if missing:
        problems.append(f"{where}: missing {what}: {', '.join(missing)}")
    if extra:
        problems.append(f"{where}: unexpected {what}: {', '.join(extra)}")
    if not missing and not extra and list(expected) != list(actual):
        problems.append(f"{where}: {what} in a different order")


def compare_file(path, expected, actual, problems):
    if expected.get("meta") != actual.get("meta"):
        problems.append(f"{path}: meta {actual.get('meta')} (expected {expected.get('meta')})")
    exp_cases, act_cases = expected["cases"], actual["cases"]
    compare_names(path, "cases", exp_cases, act_cases, problems)
    for name, exp_case in exp_cases.items():
        if name not in act_cases:
            continue
        act_case = act_cases[name]
        where = f"{path} / {name}"
        if json.dumps(exp_case["config"], sort_keys=True) != json.dumps(act_case["config"], sort_keys=True):
            problems.append(f"{where}: config {act_case['config']} (expected {exp_case['config']})")
        exp_t, act_t = exp_case["tensors"], act_case["tensors"]
        compare_names(where, "tensors", exp_t, act_t, problems)
        for tname in exp_t:
            if tname in act_t:
                compare_tensor(f"{where} / {tname}", exp_t[tname], act_t[tname], problems)


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    expected_dir, actual_dir = argv[1], argv[2]
    for d in (expected_dir, actual_dir):
        if not os.path.isdir(d):
            print(f"compare.py: not a directory: {d}", file=sys.stderr)
            return 2
    expected_files, actual_files = json_files(expected_dir), json_files(actual_dir)
    problems = []
    for f in expected_files:
        if f not in actual_files:
            problems.append(f"{f}: missing in {actual_dir} (no generator writes it)")
    for f in actual_files:
        if f not in expected_files:
            problems.append(f"{f}: generated but not in {expected_dir} (run check.sh --write and commit it)")
    n_cases = 0
    for f in expected_files:
        if f not in actual_files:
            continue
        with open(os.path.join(expected_dir, f), encoding="utf-8") as fe, open(
            os.path.join(actual_dir, f), encoding="utf-8"
        ) as fa:
            expected, actual = json.load(fe), json.load(fa)
        n_cases += len(expected["cases"])
        compare_file(f, expected, actual, problems)
    for p in problems:
        print(f"DIFF {p}")
    summary = f"{len(expected_files)} files, {n_cases} cases compared: "
    if problems:
        print(summary + f"{len(problems)} difference(s)")
        return 1
    print(summary + "no differences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
