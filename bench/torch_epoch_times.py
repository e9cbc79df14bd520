"""Epoch times of the seed MLP and the seed CNN in PyTorch, to compare with optim4j's.

usage: .venv-torch/bin/python bench/torch_epoch_times.py [--data DIR] [--epochs N] [--threads N] [--models mlp,cnn]

Full MNIST (scripts/fetch-data.sh) preloaded into tensors and normalised with the training set's mean and std,
a fresh torch.randperm order each epoch, batches of 100, 2 threads, SGD(lr=0.1, momentum=0.9,
weight_decay=5e-4) as in `optim4j train`. The timed loop is what optim4j's train_seconds times: per batch
zero_grad, forward, cross-entropy, backward, step, loss.item() and the batch accuracy; no evaluation.
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(root, name):
    for d in (os.path.join(root, "MNIST", "raw"), root):
        for f in (name, name + ".gz"):
            if os.path.exists(os.path.join(d, f)):
                return os.path.join(d, f)
    raise SystemExit(f"{name} not found under {root}; run scripts/fetch-data.sh {root}")


def mnist_train(root):
    x = torch.from_numpy(read_idx(find(root, "train-images-idx3-ubyte")).copy()).float().div_(255)
    y = torch.from_numpy(read_idx(find(root, "train-labels-idx1-ubyte")).astype(np.int64))
    x = x.sub_(x.mean()).div_(x.std()).view(-1, 1, 28, 28)
    return x, y


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 256),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 5), nn.MaxPool2d(3), nn.ReLU(), nn.Conv2d(32, 64, 5), nn.MaxPool2d(2),
                         nn.ReLU(), nn.Flatten(), nn.Linear(256, 200), nn.ReLU(), nn.Linear(200, 10))


def train_batches(model, opt, loss_fn, x, y, perm, batch_size=100):
    """The timed loop of one epoch over the samples in the order perm: per batch zero_grad, forward,
    cross-entropy, backward, step, loss.item() and the batch accuracy. Returns (loss sum, correct count)."""
    loss_sum = 0.0
    correct = 0.0
    for b in range(0, perm.shape[0], batch_size):
        idx = perm[b:b + batch_size]
        xb, yb = x[idx], y[idx]
        opt.zero_grad()
        y_hat = model(xb)
        loss = loss_fn(y_hat, yb)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * xb.shape[0]
        correct += (y_hat.argmax(1) == yb).float().mean().item() * xb.shape[0]
    return loss_sum, correct


def sgd(model):
    """The optimizer of `optim4j train`'s seed runs: SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)."""
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)


def epoch_times(model, x, y, epochs, batch_size=100):
    opt = sgd(model)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(2)
    n = x.shape[0]
    times = []
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=g)
        start = time.perf_counter()
        loss_sum, correct = train_batches(model, opt, loss_fn, x, y, perm, batch_size)
        times.append(time.perf_counter() - start)
        print(f"  epoch {epoch + 1}: {times[-1]:.2f} s (loss {loss_sum / n:.4f}, accuracy {correct / n:.4f})",
              flush=True)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.join(ROOT, "data"))
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--models", default="mlp,cnn")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    x, y = mnist_train(a.data)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {x.shape[0]} training images, batch 100")
    for name in a.models.split(","):
        print(f"{name}:")
        torch.manual_seed(0)
        t = epoch_times({"mlp": mlp, "cnn": cnn}[name](), x, y, a.epochs)
        steady = t[1:] if len(t) > 1 else t
        print(f"{name}: median epoch {statistics.median(steady):.2f} s (epochs 2..{len(t)}), first {t[0]:.2f} s")


if __name__ == "__main__":
    main()
