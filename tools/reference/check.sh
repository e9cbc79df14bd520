#!/usr/bin/env bash
# Regenerates every fixture with real PyTorch and compares it with the committed fixtures/.
#
#   tools/reference/check.sh           check only (CI); exits non-zero on any difference
#   tools/reference/check.sh --write   rewrite the committed fixtures, then check them
#
# Each generator tools/reference/gen_X.py takes --out DIR and owns fixtures/X/. The virtual
# environment .venv-torch at the repository root is created when missing (override the
# interpreter with PYTHON=..., the pip options with REFERENCE_PIP_ARGS=...).
set -euo pipefail

TORCH_VERSION=2.13.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv-torch"
PY="$VENV/bin/python"
PIP_ARGS=${REFERENCE_PIP_ARGS:---retries 0 --timeout 3}

die() {
  echo "check.sh: $*" >&2
  exit 1
}

write=0
case "${1:-}" in
  "") ;;
  --write) write=1 ;;
  *) echo "usage: tools/reference/check.sh [--write]" >&2; exit 2 ;;
esac

torch_ok() {
  [ -x "$PY" ] && "$PY" -c "import numpy, torch, sys; sys.exit(0 if torch.__version__.startswith('$TORCH_VERSION') else 1)" 2>/dev/null
}

if ! torch_ok; then
  if [ ! -x "$PY" ]; then
    echo "check.sh: creating $VENV" >&2
    "${PYTHON:-python3}" -m venv "$VENV" || die "cannot create the virtual environment $VENV"
  fi
  echo "check.sh: installing torch==$TORCH_VERSION+cpu and numpy into $VENV" >&2
  # shellcheck disable=SC2086
  "$PY" -m pip install $PIP_ARGS "torch==$TORCH_VERSION+cpu" numpy >&2 \
    || die "cannot install torch==$TORCH_VERSION+cpu (needs a Python matching the wheel and a pip configuration that can reach it)"
  found=$("$PY" -c 'import torch; print(torch.__version__)' 2>/dev/null) || die "torch does not import in $VENV"
  case "$found" in
    "$TORCH_VERSION"*) ;;
    *) die "$VENV has torch $found, the fixtures need $TORCH_VERSION" ;;
  esac
fi

shopt -s nullglob
generators=(tools/reference/gen_*.py)
[ ${#generators[@]} -gt 0 ] || die "no generators tools/reference/gen_*.py"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/fixtures"

for gen in "${generators[@]}"; do
  area="$(basename "$gen" .py)"
  area="${area#gen_}"
  echo "check.sh: $gen -> fixtures/$area" >&2
  "$PY" "$gen" --out "$TMP/fixtures/$area" >/dev/null || die "$gen failed"
  if [ "$write" = 1 ]; then
    rm -rf "fixtures/$area"
    mkdir -p fixtures
    cp -R "$TMP/fixtures/$area" "fixtures/$area"
  fi
done

[ -d fixtures ] || die "no committed fixtures/ (run tools/reference/check.sh --write)"
"$PY" tools/reference/compare.py fixtures "$TMP/fixtures" || die "the committed fixtures differ from what PyTorch $TORCH_VERSION produces (see above)"
echo "check.sh: fixtures match PyTorch $TORCH_VERSION"
