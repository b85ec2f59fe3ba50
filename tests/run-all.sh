#!/usr/bin/env bash
# TinyGru's test command (the one README.md gives and CI runs): builds the solution and runs every test
# project, then summarises how many PyTorch reference cases each data-driven test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
forced_totals=$(mktemp)
trap 'rm -f "$log" "$forced_totals"' EXIT

dotnet test TinyGru.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The generated kernels again in every lower x64 path this CPU can be forced into (JIT switches; see
# ../shared/docs/arm64.md). TINYGRU_EXPECT_PATH makes the run fail if the generated class picked another path. w8a8
# models run their integer dot products on AVX-VNNI where the CPU has it (the full run above, when it does), so the
# AVX-512BW and AVX2 integer kernels get runs with AVX-VNNI switched off.
# Each entry: JIT switches (comma-separated), float path, integer dot path on a CPU with AVX-VNNI.
for forced in "DOTNET_EnableAVXVNNI=0 avx512 avx512bw" "DOTNET_EnableAVX512=0,DOTNET_EnableAVXVNNI=0 avx2 avx2" \
              "DOTNET_EnableAVX2=0 vector128 vector128" "DOTNET_EnableHWIntrinsic=0 scalar scalar"; do
  set -- $forced
  switches=${1//,/ }
  if [ "$2" = avx512 ] && ! grep -qw avx512bw /proc/cpuinfo; then
    echo
    echo "== generator tests with $switches: skipped (this CPU has no AVX-512BW; the full run above covered its paths) =="
    continue
  fi
  echo
  echo "== generator tests with $switches (expecting the $2 path) =="
  forced_log=$(mktemp)
  # TINYGRU_INT8_CASES: the int8 output tests on representative cases only (the int8 accumulators of every path this
  # CPU has were compared exactly in the full run above; see Int8Tests.CasesVariable).
  # shellcheck disable=SC2086 # $switches is a list of NAME=VALUE words
  env $switches TINYGRU_EXPECT_PATH="$2" TINYGRU_EXPECT_DOT_PATH="$3" TINYGRU_INT8_CASES=representative \
    dotnet test tests/TinyGru.Generators.Tests -c Release --no-build --logger "console;verbosity=normal" > "$forced_log" 2>&1
  forced_status=$?
  if [ "$forced_status" -eq 0 ]; then
    grep -E 'Total tests|Passed:|Failed:' "$forced_log" || true
  else
    cat "$forced_log"   # the whole run, so the failure's message and stack are in the CI output
  fi
  grep -E '^\s+(Passed|Failed):' "$forced_log" | sed 's/^ */  /' >> "$forced_totals"
  rm -f "$forced_log"
  [ "$forced_status" -eq 0 ] || status=1
done

# The NEON path: the consumer cross-compiled for linux-arm64, run under qemu as a Raspberry Pi 4 and 5; then the NEON
# parity tests (reference models compiled at build time, compared with PyTorch) under both CPU models, with ISA guards.
if command -v qemu-aarch64-static >/dev/null 2>&1 && [ -d /usr/aarch64-linux-gnu ]; then
  echo
  echo "== ARM64 NEON under qemu =="
  bash tests/TinyGru.Generators.Consumer/run-arm64.sh || status=1
  echo
  echo "== NEON parity tests under qemu (tests/TinyGru.Generators.NeonParity) =="
  arm_log=$(mktemp)
  bash tests/run-arm64.sh tests/TinyGru.Generators.NeonParity/TinyGru.Generators.NeonParity.csproj 2>&1 | tee "$arm_log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # The xunit.v3 runner's summary per CPU model: "Total: N, Errors: E, Failed: F, Skipped: S, Not Run: R, Time: …".
  grep -oE 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+(, Not Run: [0-9]+)?' "$arm_log" \
    | awk -F'[:,] *' '{ printf "  Passed: %d\n  Failed: %d\n", $2 - $4 - $6 - $8 - ($10 + 0), $4 + $6 }' >> "$forced_totals"
  rm -f "$arm_log"
else
  echo
  echo "== ARM64 NEON under qemu: skipped (qemu-user-static and libstdc++6-arm64-cross not installed; .ci/run installs them) =="
fi

# The sentiment console as NativeAOT binaries: x64 (x86-64-v3, x86-64-v4) and linux-arm64 under qemu a72/a76 vs x64.
echo
echo "== NativeAOT sentiment binaries (firmware-samples/TinyGru.Samples.Sentiment/check-binaries.sh) =="
aot_log=$(mktemp)
bash firmware-samples/TinyGru.Samples.Sentiment/check-binaries.sh 2>&1 | tee "$aot_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
printf '  Passed: %d\n  Failed: %d\n' "$(grep -c '^check passed:' "$aot_log")" "$(grep -c '^check failed:' "$aot_log")" >> "$forced_totals"
rm -f "$aot_log"

echo
echo "== PyTorch reference cases (by test and family) =="
grep -oE '(Passed|Failed) [A-Za-z0-9_.]+\(referenceCase: "[^"]+"(, convention: "[^"]+")?' "$log" \
  | sed -E 's/^(Passed|Failed) (TinyGru\.)?([A-Za-z0-9_.]+)\(referenceCase: "(.*)\/[^/"]+"(, convention: "([^"]+)")?$/\3 \4 \6 \1/' \
  | awk 'NF == 3 { $4 = $3; $3 = "-" } { print }' \
  | sort | uniq -c \
  | awk '{ printf "  %-72s %-12s %-8s %4d %s\n", $2, $3, $4, $1, tolower($5) }'

passed=$(cat "$log" "$forced_totals" | grep -oE 'Passed: +[0-9]+' | awk '{ s += $2 } END { print s + 0 }')
failed=$(cat "$log" "$forced_totals" | grep -oE 'Failed: +[0-9]+' | awk '{ s += $2 } END { print s + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo
  echo "error: a step failed although no test reported a failure: a build, a publish, or the ARM64 check (see above)" >&2
  failed=1
fi
echo
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
