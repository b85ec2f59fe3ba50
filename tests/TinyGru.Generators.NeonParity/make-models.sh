#!/usr/bin/env bash
# Regenerates models/*.tgru from the PyTorch reference cases (../shared/reference, or $TINYGRU_REFERENCE_DIR) with the
# tinygru CLI: `import` for the float models, `quantize` for int8 variants. The test project compiles every file in
# models/ at build time; ModelFileTests checks each committed file still holds its reference case's weights.
#
# File names say what a file is: <case>.tgru is the reference case <case>.json (gru/forward or sentiment) imported as
# float32; <case>.<mode>.tgru is that model quantized with `tinygru quantize --mode <mode>` (w8a32 or w8a8). To add a
# model, add a line to CASES below (or drop a file following that naming into models/) and rebuild: no code changes.
#
# Usage: bash tests/TinyGru.Generators.NeonParity/make-models.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
reference="${TINYGRU_REFERENCE_DIR:-$repo/../shared/reference}"

# <family>/<case> [int8 modes…]. Every reference case but f11 (I=100, H=256: s03 covers that shape with a smaller file).
CASES="
gru/forward/c01_cho_i3_h7
gru/forward/c02_cho_i16_h16_h0
gru/forward/c03_cho_i33_h64_packed
gru/forward/c04_cho_i7_h17_l2_bi_packed
gru/forward/c05_cho_sat3_i17_h33
gru/forward/f01_i1_h1
gru/forward/f02_i1_h3_h0
gru/forward/f03_i3_h7_packed
gru/forward/f04_i7_h16_seq1
gru/forward/f05_i16_h16_bi_h0
gru/forward/f06_i17_h33_packed w8a8
gru/forward/f07_i33_h17_l2
gru/forward/f08_i16_h64_l3_h0
gru/forward/f09_i64_h64_bi_packed
gru/forward/f10_i33_h128 w8a8
gru/forward/f12_i128_h16_l2_bi_packed_h0
gru/forward/f13_i3_h33_l3_bi
gru/forward/f14_i256_h16
gru/forward/f15_i7_h3_l2_bi_packed
gru/forward/f16_i1_h64_h0
gru/forward/f17_i17_h17_packed_h0
gru/forward/f18_sat3_i16_h33
gru/forward/f19_sat3_i33_h64_bi_packed
gru/forward/f20_sat3_i7_h17_l2_h0
gru/forward/f21_long_i8_h32_t1000
sentiment/s01_v2000_e32_h16
sentiment/s02_v1000_e64_h64 w8a32 w8a8
sentiment/s03_v500_e100_h256
sentiment/s04_v800_e50_h64
"

dotnet build "$repo/src/TinyGru.Cli" -c Release -nologo -v q >/dev/null
tinygru() { dotnet "$repo/src/TinyGru.Cli/bin/Release/net10.0/tinygru.dll" "$@"; }

rm -f "$here"/models/*.tgru
while read -r case modes; do
  [ -n "$case" ] || continue
  json="$reference/$case.json"
  name="$(basename "$case")"
  convention="$(jq -r '.formula // "pytorch"' "$json")"
  args=(import "$json" -o "$here/models/$name.tgru" --convention "$convention" --source "shared/reference/$case.json")
  if [ "$(jq 'has("padding_idx")' "$json")" = true ]; then args+=(--padding-index "$(jq '.padding_idx' "$json")"); fi
  tinygru "${args[@]}"
  for mode in $modes; do
    tinygru quantize "$here/models/$name.tgru" -o "$here/models/$name.$mode.tgru" --mode "$mode" >/dev/null
    echo "wrote $name.$mode.tgru"
  done
done <<<"$CASES"
