#!/usr/bin/env bash
# Runs this consumer on x64 and, cross-compiled, on ARM64 under qemu-user (NEON = the generated `advsimd` path),
# and checks both print the same prediction. Needs the Debian packages of ../../../shared/docs/arm64.md
# (qemu-user-static, libstdc++6-arm64-cross, libc6-arm64-cross). Usage: bash run-arm64.sh [output-folder]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/tinygru-consumer-arm64}"
dotnet build "$here" -c Release -v q -nologo >/dev/null
x64="$(dotnet "$here/bin/Release/net10.0/TinyGru.Generators.Consumer.dll" --quick)"
dotnet publish "$here" -c Release -r linux-arm64 --self-contained -o "$out" -v q -nologo >/dev/null
status=0
for cpu in cortex-a72 cortex-a76; do   # Raspberry Pi 4 (NEON) and Pi 5 (NEON + dot product)
  arm="$(qemu-aarch64-static -cpu "$cpu" -L /usr/aarch64-linux-gnu "$out/TinyGru.Generators.Consumer" --quick)"
  echo "x64:            $(grep -E 'SIMD path|P\(positive\)' <<<"$x64" | tr '\n' ' ')"
  echo "arm64 $cpu: $(grep -E 'SIMD path|P\(positive\)' <<<"$arm" | tr '\n' ' ')"
  if ! grep -q 'SIMD path: advsimd' <<<"$arm"; then echo "FAIL: $cpu did not run the advsimd path"; status=1; fi
  if [ "$(grep 'P(positive)' <<<"$x64")" != "$(grep 'P(positive)' <<<"$arm")" ]; then echo "FAIL: $cpu prediction differs from x64"; status=1; fi
  # The int8 (w8a8) kernels: sdot on cortex-a76, smull + sadalp on cortex-a72; their int32 sums must equal the scalar path's.
  echo "arm64 $cpu: $(grep -E 'int8' <<<"$arm" | tr '\n' ' ')"
  if ! grep -q 'int8 accumulators advsimd vs scalar: equal' <<<"$arm"; then echo "FAIL: $cpu int8 accumulators differ from the scalar path"; status=1; fi
  if [ "$cpu" = cortex-a76 ] && ! grep -q 'ARM dot product: True' <<<"$arm"; then echo "FAIL: cortex-a76 did not report the dot product extension"; status=1; fi
  if [ "$cpu" = cortex-a72 ] && ! grep -q 'ARM dot product: False' <<<"$arm"; then echo "FAIL: cortex-a72 reported the dot product extension"; status=1; fi
  # The generated IntegerDotPath must name the kernel the CPU calls for: sdot on the Pi 5, smull + sadalp on the Pi 4.
  want=$([ "$cpu" = cortex-a76 ] && echo advsimd-dp || echo advsimd)
  if ! grep -q "integer kernel: $want)" <<<"$arm"; then echo "FAIL: $cpu does not report the $want integer kernel"; status=1; fi
done
[ "$status" -eq 0 ] && echo "ok: the ARM64 NEON path matches x64 on cortex-a72 and cortex-a76 (int8: smull/sadalp and sdot accumulators equal the scalar path)"
exit "$status"
