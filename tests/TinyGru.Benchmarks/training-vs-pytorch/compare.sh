#!/usr/bin/env bash
# One IMDb training epoch of the seed model (Embedding 25,002×100 → GRU 256 → Linear, batch 64, Adam), timed in
# TinyGru and in PyTorch 1.13 on the same batches, in one run, both on 2 threads. Not a CI step (≈ 5 minutes).
#
#   bash tests/TinyGru.Benchmarks/training-vs-pytorch/compare.sh [IMDB_DIR]
#
# Needs Debian's python3-torch (apt-get install python3-torch). Debian's torch links the reference BLAS
# (8× slower); this script runs it on Debian's OpenBLAS without changing the machine: the libopenblas0-openmp
# package is downloaded and unpacked into the work folder and put first on LD_LIBRARY_PATH (an installed
# libopenblas0-openmp is used as is).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
data="${1:-$repo/../shared/data/imdb}"
work="${TINYGRU_WORK:-${TMPDIR:-/tmp}/tinygru-vs-pytorch}"
mkdir -p "$work"

# Debian's torch lives in the system interpreter (a pyenv or venv python3 on PATH would not see it).
python="${PYTHON:-/usr/bin/python3}"
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "error: PyTorch is not importable; install Debian's python3-torch (apt-get install python3-torch)" >&2
  exit 1
fi

blas="/usr/lib/x86_64-linux-gnu/openblas-openmp"
if [[ ! -e "$blas/libblas.so.3" ]]; then
  if [[ ! -e "$work/openblas$blas/libblas.so.3" ]]; then
    (cd "$work" && apt-get download libopenblas0-openmp >/dev/null && dpkg-deb -x libopenblas0-openmp_*.deb "$work/openblas")
  fi
  blas="$work/openblas$blas"
fi

dotnet build "$repo/src/TinyGru.Cli" -c Release -v quiet -nologo >/dev/null
tinygru=(dotnet "$repo/src/TinyGru.Cli/bin/Release/net10.0/tinygru.dll")

echo "== batches: tinygru train --write-batches (seed 1234, epoch 1)"
"${tinygru[@]}" train --data "$data" -o "$work/model.tgru" --write-batches "$work/epoch1.batches"

echo "== PyTorch $("$python" -c 'import torch; print(torch.__version__)'), OpenBLAS from $blas"
LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OMP_NUM_THREADS=2 \
  "$python" "$here/pytorch_epoch.py" "$work/epoch1.batches" --threads 2 | tee "$work/pytorch.log"

echo "== TinyGru: tinygru train --epochs 1 (same seed, so the same batches)"
"${tinygru[@]}" train --data "$data" -o "$work/model.tgru" --epochs 1 --fresh --checkpoint-every 0 | tee "$work/tinygru.log"

pytorch_seconds=$(sed -n 's/^pytorch epoch: .* in \([0-9.]*\) s = .*/\1/p' "$work/pytorch.log")
tinygru_line=$(grep -m1 '^Epoch: 01' "$work/tinygru.log")
minutes=$(sed -n 's/.*Epoch Time: \([0-9]*\)m \([0-9]*\)s.*/\1/p' <<<"$tinygru_line")
seconds=$(sed -n 's/.*Epoch Time: \([0-9]*\)m \([0-9]*\)s.*/\2/p' <<<"$tinygru_line")
tinygru_seconds=$((minutes * 60 + seconds))
echo
echo "same batches, same run: PyTorch ${pytorch_seconds} s, TinyGru ${tinygru_seconds} s per epoch" \
  "→ TinyGru takes $(python3 -c "print(f'{$tinygru_seconds / $pytorch_seconds:.2f}')")× PyTorch's time"
