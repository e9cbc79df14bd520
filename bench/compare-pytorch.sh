#!/usr/bin/env bash
# optim4j against PyTorch 2.13 on this machine, side by side: optimizer steps, GEMM and training epochs.
#
# usage: bench/compare-pytorch.sh [--rounds N] [--only optim,gemm,epoch,bf16] [--quick] [--omp-passive]
#                                 [--epoch-warmup N] [--data DIR] [--out DIR]
#
#   --rounds N   rounds of alternating runs (default 7; 2 with --quick)
#   --only LIST  comma-separated groups (default: all of them):
#                  optim  Adam, AdamW, SGD momentum steps on 16M f32 as 1 tensor and as 200 x 80 000
#                  gemm   1024^3 f32 matrix product
#                  epoch  one training epoch of the seed MLP and the seed CNN (full MNIST, batch 100)
#                  bf16   Adam with state_dtype="bfloat16" (JVM with --add-modules jdk.incubator.vector),
#                         skipped with a message when optim4j does not accept that option
#   --quick      a smoke run: 1M elements (200 x 5 000), GEMM 256^3, epochs of 2 000 images, few reps
#   --omp-passive  runs PyTorch with OMP_WAIT_POLICY=PASSIVE: its OpenMP threads sleep at barriers
#                instead of spinning, which keeps it from slowing down badly when other processes compete
#                for the cores (see bench/README.md)
#   --epoch-warmup N  batches trained on a separate model before the timed epoch (default 50; 600, a whole
#                epoch, lets the JVM finish compiling: the steady state of a multi-epoch run)
#   --data DIR   the full MNIST for the epochs (default: data/ at the repository root; scripts/fetch-data.sh)
#   --out DIR    where results.jsonl, triad.jsonl and summary.md go (default: runs/compare-DATE-TIME)
#
# Steps: (1) checks that .venv-torch holds torch 2.13, installing it there as tools/reference/check.sh does
# when it does not (PYTHON=..., REFERENCE_PIP_ARGS=... as there); (2) builds optim4j-bench's jar when a
# source is newer; (3) builds bench/stream/triad.c with gcc and OpenMP and measures the STREAM triad with
# 2 threads (again before each round of an optimizer workload and at the end: on a shared machine the
# bandwidth left to us varies from second to second; the best counts); (4) for every workload, runs it in optim4j
# (org.optim4j.bench.Workloads) and in each PyTorch variant (bench/torch_workloads.py), one fresh process
# each, alternating them round after round (A B A B ...), so that both sides see the same machine load;
# (5) prints the medians and median ratios (bench/compare_summary.py) and saves them as summary.md.
# Every process uses 2 threads. JAVA_OPTS adds JVM options to the optim4j runs. Each result is recorded
# with the 1-minute load average of the machine when its round started.
set -euo pipefail

TORCH_VERSION=2.13.0
THREADS=2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/optim4j-bench/target/benchmarks.jar"
VENV="$ROOT/.venv-torch"
PY="$VENV/bin/python"

die() {
  echo "compare-pytorch.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '4,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

rounds=""
only="optim,gemm,epoch,bf16"
quick=0
omp_passive=0
epoch_warmup=""
data="$ROOT/data"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || usage; rounds="$2"; shift 2 ;;
    --only) [ $# -ge 2 ] || usage; only="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --omp-passive) omp_passive=1; shift ;;
    --epoch-warmup) [ $# -ge 2 ] || usage; epoch_warmup="$2"; shift 2 ;;
    --data) [ $# -ge 2 ] || usage; data="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "compare-pytorch.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$rounds" ] || rounds=$([ "$quick" = 1 ] && echo 2 || echo 7)
case "$rounds" in ''|*[!0-9]*|0) die "--rounds expects a positive integer, got '$rounds'" ;; esac
case "$epoch_warmup" in *[!0-9]*) die "--epoch-warmup expects a number of batches, got '$epoch_warmup'" ;; esac
for group in ${only//,/ }; do
  case "$group" in optim|gemm|epoch|bf16) ;; *) die "--only: unknown group '$group' (optim, gemm, epoch, bf16)" ;; esac
done
selected() { [[ ",$only," == *",$1,"* ]]; }

if [ "$quick" = 1 ]; then
  elements=1000000; optim_reps=(--warmup 3 --reps 5)
  gemm_n=256; gemm_reps=(--warmup 2 --reps 5)
  epoch_args=(--train-samples 2000 --warmup-batches "${epoch_warmup:-5}")
  triad_args=(5000000 5)
else
  elements=16000000; optim_reps=(--warmup 20 --reps 30)
  gemm_n=1024; gemm_reps=(--warmup 3 --reps 10)
  epoch_args=(--warmup-batches "${epoch_warmup:-50}")
  triad_args=(20000000 20)
fi

# (1) PyTorch
torch_ok() {
  [ -x "$PY" ] && "$PY" -c "import numpy, torch, sys; sys.exit(0 if torch.__version__.startswith('$TORCH_VERSION') else 1)" 2>/dev/null
}
if ! torch_ok; then
  if [ ! -x "$PY" ]; then
    echo "compare-pytorch.sh: creating $VENV" >&2
    "${PYTHON:-python3}" -m venv "$VENV" || die "cannot create the virtual environment $VENV"
  fi
  echo "compare-pytorch.sh: installing torch==$TORCH_VERSION+cpu and numpy into $VENV" >&2
  # shellcheck disable=SC2086
  "$PY" -m pip install ${REFERENCE_PIP_ARGS:---retries 0 --timeout 3} "torch==$TORCH_VERSION+cpu" numpy >&2 \
    || die "cannot install torch==$TORCH_VERSION+cpu (needs a Python matching the wheel and a pip configuration that can reach it)"
  torch_ok || die "$VENV does not hold a working torch $TORCH_VERSION"
fi

# (2) optim4j
stale() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find "$ROOT" \( -path "$ROOT/.venv-torch" -o -path "$ROOT/data" -o -path "$ROOT/runs" \) -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$JAR" -print -quit)" ]
}
if stale; then
  echo "compare-pytorch.sh: building optim4j-bench (mvn package) ..." >&2
  (cd "$ROOT" && mvn -q -B -DskipTests -pl optim4j-bench -am package) >&2 || die "the build failed"
fi
if selected epoch && [ ! -e "$data/MNIST/raw/train-images-idx3-ubyte" ] && [ ! -e "$data/MNIST/raw/train-images-idx3-ubyte.gz" ] \
    && [ ! -e "$data/train-images-idx3-ubyte" ]; then
  die "no MNIST under $data for the epochs; run scripts/fetch-data.sh $data, pass --data DIR, or leave out epoch"
fi

case "$data" in *[[:space:]]*) die "--data: a directory without blanks in its path, please ($data)" ;; esac

out="${out:-$ROOT/runs/compare-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
: > "$out/results.jsonl"
: > "$out/triad.jsonl"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "torch: $("$PY" -c 'import torch; print(torch.__version__, torch.backends.cpu.get_cpu_capability())')"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "options: rounds $rounds, groups $only, quick $quick, omp-passive $omp_passive, JAVA_OPTS '${JAVA_OPTS:-}'"
} > "$out/machine.txt"

# (3) STREAM triad
gcc -O3 -march=native -fopenmp "$ROOT/bench/stream/triad.c" -o "$out/triad" || die "cannot build bench/stream/triad.c"
triad() {
  OMP_NUM_THREADS=$THREADS OMP_PROC_BIND=spread "$out/triad" "${triad_args[@]}" | tee -a "$out/triad.jsonl" >&2
}
triad

# (4) the workloads, alternating
java_run() {
  # shellcheck disable=SC2086
  java -Xmx6g ${JAVA_OPTS:-} "$@"
}
optim4j_cmd() {
  java_run -cp "$JAR" org.optim4j.bench.Workloads "$@" --threads $THREADS
}
torch_cmd() {
  if [ "$omp_passive" = 1 ]; then
    OMP_WAIT_POLICY=PASSIVE "$PY" "$ROOT/bench/torch_workloads.py" "$@" --threads $THREADS
  else
    "$PY" "$ROOT/bench/torch_workloads.py" "$@" --threads $THREADS
  fi
}
quiet_incubator() {  # stderr without the JVM's notice that an incubator module is in use
  grep -v 'Using incubator modules' >&2 || true
}
field() {   # field NAME JSON: a field of a one-line JSON object (numbers to 4 significant digits), or nothing
  python3 -c 'import json, sys; v = json.loads(sys.argv[2]).get(sys.argv[1])
print("" if v is None else f"{v:.4g}" if isinstance(v, float) else v)' "$1" "$2"
}
record() {  # record CASE ROUND SIDE JSON LOAD
  printf '{"case": "%s", "round": %d, "side": "%s", "load1": %s, "omp_passive": %d, "result": %s}\n' \
    "$1" "$2" "$3" "$5" "$omp_passive" "$4" >> "$out/results.jsonl"
}

# compare CASE "OPTIM4J_ARGS" "TORCH_ARGS" VARIANT...; with JAVA_VECTOR=1 the JVM gets the Vector API module,
# with TRIAD=1 every round starts with a triad measurement (the best of all of them is the bandwidth)
compare() {
  local case="$1" mine="$2" theirs="$3"
  shift 3
  local r line variant ms summary load
  for r in $(seq 1 "$rounds"); do
    [ "${TRIAD:-0}" = 1 ] && triad 2>/dev/null
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    if [ "${JAVA_VECTOR:-0}" = 1 ]; then
      line=$(JAVA_OPTS="${JAVA_OPTS:-} --add-modules jdk.incubator.vector" optim4j_cmd $mine 2> >(quiet_incubator))
    else
      line=$(optim4j_cmd $mine)
    fi
    [ -n "$line" ] || die "$case: the optim4j run printed nothing"
    record "$case" "$r" optim4j "$line" "$load"
    summary="optim4j $(field ms "$line") ms"
    for variant in "$@"; do
      # shellcheck disable=SC2086
      line=$(torch_cmd $theirs --variant "$variant")
      record "$case" "$r" "torch-$variant" "$line" "$load"
      ms=$(field ms "$line")
      summary="$summary | torch $variant ${ms:-skipped}${ms:+ ms}"
    done
    echo "  $case, round $r/$rounds (load $load): $summary" >&2
  done
}

optim_cases() {  # optim_cases OPTIMIZER STATE_DTYPE TORCH_VARIANT...
  local opt="$1" dtype="$2" tensors
  shift 2
  for tensors in 1 200; do
    compare "$opt/$dtype/${tensors}x$((elements / tensors))" \
      "optim --optimizer $opt --elements $elements --tensors $tensors --state-dtype $dtype ${optim_reps[*]}" \
      "optim --optimizer $opt --elements $elements --tensors $tensors ${optim_reps[*]}" "$@"
  done
}

echo "compare-pytorch.sh: $rounds rounds, groups $only$([ "$omp_passive" = 1 ] && echo ", PyTorch with OMP_WAIT_POLICY=PASSIVE"), results in $out" >&2
if selected optim; then
  TRIAD=1 optim_cases Adam float32 default foreach fused
  TRIAD=1 optim_cases AdamW float32 default fused
  TRIAD=1 optim_cases SGD float32 default fused
fi
if selected bf16; then
  probe=$(JAVA_OPTS="${JAVA_OPTS:-} --add-modules jdk.incubator.vector" optim4j_cmd optim --optimizer Adam \
    --elements 1000 --state-dtype bfloat16 --warmup 1 --reps 1 2> >(quiet_incubator))
  reason=$(field skipped "$probe")
  if [ -n "$reason" ]; then
    echo "compare-pytorch.sh: bf16 skipped: $reason" >&2
  else
    JAVA_VECTOR=1 TRIAD=1 optim_cases Adam bfloat16 default fused
  fi
fi
if selected gemm; then
  compare "gemm/$gemm_n" "gemm --n $gemm_n ${gemm_reps[*]}" "gemm --n $gemm_n ${gemm_reps[*]}" default
fi
if selected epoch; then
  for model in mlp cnn; do
    compare "epoch/$model" "epoch --model $model --data $data ${epoch_args[*]}" \
      "epoch --model $model --data $data ${epoch_args[*]}" default
  done
fi
triad

# (5) the summary
echo >&2
python3 "$ROOT/bench/compare_summary.py" "$out"
