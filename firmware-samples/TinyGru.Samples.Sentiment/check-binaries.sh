#!/usr/bin/env bash
# Publishes the sentiment console as NativeAOT binaries — linux-x64 at x86-64-v3 (AVX2+FMA) and x86-64-v4 (AVX-512),
# linux-arm64 (cross-compiled, default instruction set) — and checks them:
#   x64: the README's two reviews give the README's probabilities; the SIMD path is the one the build targets;
#   arm64 under qemu as a Raspberry Pi 4 (cortex-a72: NEON, no dot product) and Pi 5 (cortex-a76: NEON + dot product):
#        the advsimd path runs, the CPU gives (a72) / does not give (a76) … Dp as meant, and every review's label
#        equals x64's and its probability is within $tolerance of x64's;
#   every binary: classifying allocates 0 bytes after start-up (the --bench summary's measurement).
# Reviews: the README's two plus the first 50 IMDb test reviews (../shared/data/imdb/test.tsv.gz, read here, not copied).
# Prints one "check passed: …" / "check failed: …" line per check (tests/run-all.sh counts them); exit 1 on a failure.
# Needs clang (NativeAOT's linker driver); the arm64 part also the Debian packages of ../shared/docs/arm64.md and
# qemu-user-static, and is skipped with a message without them. Usage: bash check-binaries.sh [output-folder]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-${TINYGRU_AOT_WORK:-${TMPDIR:-/tmp}/tinygru-aot}}"
imdb="${TINYGRU_IMDB_DIR:-$repo/../shared/data/imdb}"
tolerance=0.00001   # |p_arm64 − p_x64| per review (printed with 6 decimals); see README.md "Run on a Raspberry Pi"
status=0
pass() { echo "check passed: $*"; }
fail() { echo "check failed: $*"; status=1; }

if ! command -v clang >/dev/null 2>&1; then
  echo "NativeAOT binaries: skipped (clang not installed: NativeAOT links with it; .ci/run installs it)"
  exit 0
fi
mkdir -p "$out"
reviews="$out/reviews.txt"
{
  echo "This movie is absolutely fantastic! The acting was superb and the story kept me engaged from start to finish."
  echo "What a waste of time. Terrible acting, boring plot, and I fell asleep halfway through."
  zcat "$imdb/test.tsv.gz" | head -n 50 | cut -f2
} > "$reviews"

publish() { # <rid> <folder> [msbuild properties…]
  local rid=$1 dir=$2; shift 2
  local start=$SECONDS
  if dotnet publish "$here" -c Release -r "$rid" -o "$out/$dir" -nologo -v q "$@" > "$out/$dir.publish.log" 2>&1; then
    echo "published $dir in $((SECONDS - start)) s: $(stat -c %s "$out/$dir/tinygru-sentiment") bytes"
  else
    cat "$out/$dir.publish.log"; fail "dotnet publish -r $rid $* (log above)"; return 1
  fi
}

# check_binary <name> <expected simd path> <runner…>: README numbers (x64 only), path, zero allocations, results file.
check_binary() {
  local name=$1 path=$2; shift 2
  local info; info="$("$@" --info)"
  echo "$name: $(tr '\n' ' ' <<<"$info")"
  if grep -qx "simd-path	$path" <<<"$info"; then pass "$name runs the $path path"; else fail "$name: expected simd-path $path"; fi
  "$@" --bench < "$reviews" > "$out/$name.bench.txt"
  grep '^#' "$out/$name.bench.txt"
  grep -v '^#' "$out/$name.bench.txt" | cut -f1,2 > "$out/$name.txt"
  if [ "$(wc -l < "$out/$name.txt")" -eq "$(wc -l < "$reviews")" ]; then pass "$name classified $(wc -l < "$reviews") reviews"; else fail "$name: $(wc -l < "$out/$name.txt") result lines for $(wc -l < "$reviews") reviews"; fi
  if grep -q '^# allocated while classifying: 0 bytes' "$out/$name.bench.txt"; then pass "$name allocates 0 bytes per review"; else fail "$name allocates while classifying"; fi
}

# compare <name> <baseline>: same labels, probabilities within $tolerance.
compare() {
  local worst
  if worst="$(paste "$out/$1.txt" "$out/$2.txt" | awk -F'\t' -v tol="$tolerance" '
      { if ($1 != $3) { print "review " NR ": label " $1 " vs " $3; bad = 1; exit }
        if ($2 != "-") { d = $2 - $4; if (d < 0) d = -d; if (d > max) max = d; if (d > tol) { print "review " NR ": |diff| " d; bad = 1; exit } } }
      END { if (!bad) printf "%.6f", max; exit bad }')"; then
    pass "$1 equals $2 on $(wc -l < "$reviews") reviews (labels equal, max |p diff| $worst <= $tolerance)"
  else
    fail "$1 differs from $2: $worst"
  fi
}

echo "== NativeAOT linux-x64 =="
if publish linux-x64 linux-x64-v3; then
  check_binary linux-x64-v3 avx2 "$out/linux-x64-v3/tinygru-sentiment"
  if [ "$(head -n 2 "$out/linux-x64-v3.txt" | tr '\n' ' ')" = "positive	0.987763 negative	0.001723 " ]; then
    pass "linux-x64-v3 gives the README's probabilities (0.987763, 0.001723)"
  else
    fail "linux-x64-v3 does not give the README's probabilities: $(head -n 2 "$out/linux-x64-v3.txt" | tr '\n' ' ')"
  fi
fi
if publish linux-x64 linux-x64-v4 -p:IlcInstructionSet=x86-64-v4; then
  if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo; then
    check_binary linux-x64-v4 avx512 "$out/linux-x64-v4/tinygru-sentiment"
    [ -s "$out/linux-x64-v3.txt" ] && compare linux-x64-v4 linux-x64-v3
  else
    echo "linux-x64-v4: built, not run (this CPU has no AVX-512: the binary would refuse to start)"
  fi
fi

echo "== NativeAOT linux-arm64 under qemu =="
if ! command -v qemu-aarch64-static >/dev/null 2>&1 || [ ! -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || ! command -v aarch64-linux-gnu-ld.bfd >/dev/null 2>&1; then
  echo "skipped (needs qemu-user-static, binutils-aarch64-linux-gnu, libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross, llvm: see ../shared/docs/arm64.md; .ci/run installs them)"
  exit "$status"
fi
if publish linux-arm64 linux-arm64; then
  export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
  for cpu in cortex-a72 cortex-a76; do
    name="linux-arm64-$cpu"
    check_binary "$name" advsimd qemu-aarch64-static -cpu "$cpu" "$out/linux-arm64/tinygru-sentiment"
    isa="$(qemu-aarch64-static -cpu "$cpu" "$out/linux-arm64/tinygru-sentiment" --info | grep '^isa')"
    if [ "$cpu" = cortex-a72 ]; then   # Raspberry Pi 4: NEON without the dot product
      if grep -qw AdvSimd <<<"$isa" && ! grep -qw Dp <<<"$isa"; then pass "$name: AdvSimd without Dp"; else fail "$name: expected AdvSimd without Dp, got $isa"; fi
    else                               # Raspberry Pi 5: NEON with the dot product (chosen at run time: one binary)
      if grep -qw AdvSimd <<<"$isa" && grep -qw Dp <<<"$isa"; then pass "$name: AdvSimd with Dp"; else fail "$name: expected AdvSimd with Dp, got $isa"; fi
    fi
    [ -s "$out/linux-x64-v3.txt" ] && compare "$name" linux-x64-v3
  done
fi
exit "$status"
