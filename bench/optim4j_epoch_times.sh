#!/usr/bin/env bash
# Epoch times of the seed MLP and the seed CNN in optim4j, the counterpart of torch_epoch_times.py.
#
# usage: bench/optim4j_epoch_times.sh [DATA_DIR] [EPOCHS]     (defaults: data/ at the repository root, 3)
#
# Runs `optim4j train` on the full MNIST with 2 threads, batch 100 and SGD(lr=0.1, momentum=0.9,
# weight_decay=5e-4) without a scheduler or plots, and prints train_seconds of each epoch from metrics.csv:
# the training loop alone (forward, loss, backward, step, loss and accuracy meters), without evaluation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-$root/data}"
epochs="${2:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for model in mlp cnn; do
  "$root/optim4j" train --model "$model" --data "$data" --epochs "$epochs" --threads 2 --batch-size 100 \
    --optimizer SGD --opt lr=0.1 --opt momentum=0.9 --opt weight_decay=5e-4 --scheduler none --no-plots \
    --out "$out/$model" >/dev/null
  echo "$model:"
  awk -F, 'NR > 1 { printf "  epoch %d: %.2f s (loss %.4f, accuracy %.4f)\n", $1, $9, $4, $5 }' \
    "$out/$model/metrics.csv"
  tail -n +3 "$out/$model/metrics.csv" | cut -d, -f9 | sort -g | awk '{ t[n++] = $1 } END {
    m = n % 2 ? t[(n - 1) / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    printf "%s: median epoch %.2f s (epochs 2..%d)\n", model, m, n + 1 }' model="$model"
done
