#!/usr/bin/env bash
# TinyGru's test command (the one README.md gives and CI runs): builds the solution and runs every test
# project, then summarises how many PyTorch reference cases each data-driven test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test TinyGru.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

echo
echo "== PyTorch reference cases (by test and family) =="
grep -oE '(Passed|Failed) [A-Za-z0-9_.]+\(referenceCase: "[^"]+"(, convention: "[^"]+")?' "$log" \
  | sed -E 's/^(Passed|Failed) (TinyGru\.)?([A-Za-z0-9_.]+)\(referenceCase: "(.*)\/[^/"]+"(, convention: "([^"]+)")?$/\3 \4 \6 \1/' \
  | awk 'NF == 3 { $4 = $3; $3 = "-" } { print }' \
  | sort | uniq -c \
  | awk '{ printf "  %-72s %-12s %-8s %4d %s\n", $2, $3, $4, $1, tolower($5) }'

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo
  echo "error: dotnet test exited with $status although no test failed: a project did not build (see the errors above)" >&2
  failed=1
fi
echo
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
