"""Loads an optim4j checkpoint into PyTorch and evaluates it: the checkpoint format is language-neutral.

usage: .venv-torch/bin/python bench/checkpoint_to_torch.py CHECKPOINT [--data DIR]

Reads the safetensors file with the standard library only (8-byte little-endian header length, JSON header,
raw little-endian data), checks its data_sha256, builds the run's model (mlp or cnn) in torch, loads the
weights with load_state_dict(strict=True), loads the optimizer state into torch.optim.SGD/Adam/... when its
class exists, and prints the seed's TESTING line on the MNIST test set of DIR (normalised with the training
set's statistics, as optim4j does), to compare with `optim4j eval CHECKPOINT --data DIR`.
"""
import argparse
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True   # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_epoch_times import cnn, find, mlp, read_idx  # noqa: E402

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "BOOL": torch.bool,
          "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    if "data_sha256" in meta and hashlib.sha256(data).hexdigest() != meta["data_sha256"]:
        raise SystemExit(f"{path}: data_sha256 does not match")
    tensors = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=DTYPES[e["dtype"]]) if end > b \
            else torch.empty(0, dtype=DTYPES[e["dtype"]])
        tensors[name] = t.reshape(e["shape"])
    return tensors, meta


def resolve(value, tensors):
    """The checkpoint JSON with {"$tensor": name} replaced by tensors and the other tags decoded."""
    if isinstance(value, list):
        return [resolve(v, tensors) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, v), = value.items()
            if tag == "$tensor":
                return tensors[v]
            if tag == "$float":
                return float(v)
            if tag == "$long":
                return int(v)
            if tag == "$float32":
                return float(np.float32(v))
            if tag == "$int_keys":
                return {int(k): resolve(x, tensors) for k, x in v.items()}
        return {k: resolve(v, tensors) for k, v in value.items()}
    return value


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("--data", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data"))
    a = p.parse_args()
    tensors, meta = read_safetensors(a.checkpoint)
    assert meta["format"] == "optim4j.checkpoint", meta.get("format")
    doc = resolve(json.loads(meta["checkpoint"]), tensors)
    config = doc["config"]
    model = {"mlp": mlp, "cnn": cnn}[config["model"]]()
    model.load_state_dict(doc["model"], strict=True)
    print(f"{config['model']} after epoch {doc['epoch']}: {len(doc['model'])} weight tensors loaded into torch")
    opt_class = getattr(torch.optim, config["optimizer"], None)
    if opt_class is not None and not config["groups"]:
        opt = opt_class(model.parameters(), **config["opt"])
        opt.load_state_dict(doc["optimizer"])
        print(f"optimizer state loaded into torch.optim.{config['optimizer']}: "
              f"{len(opt.state_dict()['state'])} parameters with state")
    x_train = read_idx(find(a.data, "train-images-idx3-ubyte")).astype(np.float64) / 255
    mean, std = x_train.mean(), x_train.std(ddof=1)
    x = torch.from_numpy(((read_idx(find(a.data, "t10k-images-idx3-ubyte")) / 255 - mean) / std)
                         .astype(np.float32)).view(-1, 1, 28, 28)
    y = torch.from_numpy(read_idx(find(a.data, "t10k-labels-idx1-ubyte")).astype(np.int64))
    model.eval()
    loss_sum, correct = 0.0, 0.0
    with torch.no_grad():
        for b in range(0, x.shape[0], 1000):
            y_hat = model(x[b:b + 1000])
            n = y_hat.shape[0]
            loss_sum += nn.functional.cross_entropy(y_hat, y[b:b + 1000]).item() * n
            correct += (y_hat.argmax(1) == y[b:b + 1000]).float().mean().item() * n
    print(f"TESTING - loss {loss_sum} - performance {correct / x.shape[0]}")


if __name__ == "__main__":
    main()
