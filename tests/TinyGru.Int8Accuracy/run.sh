#!/usr/bin/env bash
# IMDb test accuracy of a float model and its two int8 quantizations, through the generated classes.
#   bash tests/TinyGru.Int8Accuracy/run.sh FLOAT_MODEL.tgru [TEST_DATA]
# FLOAT_MODEL: a float32 text model from `tinygru train` (the shipped models/imdb-sentiment.tgru is already int8).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
float_model="$(realpath "$1")"
test_data="${2:-$repo/../shared/data/imdb/test.tsv.gz}"
models="$here/obj/models"
mkdir -p "$models"
dotnet build "$repo/src/TinyGru.Cli" -c Release -v quiet -nologo >/dev/null
tinygru=(dotnet "$repo/src/TinyGru.Cli/bin/Release/net10.0/tinygru.dll")
cp "$float_model" "$models/float.tgru"
"${tinygru[@]}" quantize "$models/float.tgru" -o "$models/w8a32.tgru" --mode w8a32 | tail -3
"${tinygru[@]}" quantize "$models/float.tgru" -o "$models/w8a8.tgru" --mode w8a8 | tail -3
dotnet run --project "$here" -c Release -p:ModelDir="$models" -- "$test_data"
