#!/usr/bin/env bash
# Runs an xunit.v3 test project as a linux-arm64 program under qemu-aarch64, as a Raspberry Pi 4
# (cortex-a72: NEON, no dot product) and a Raspberry Pi 5 (cortex-a76: NEON + dot product), with ISA guards
# (TINYGRU_EXPECT_ISA / TINYGRU_FORBID_ISA) that fail the run if the emulated CPU did not give the path meant.
# Recipe: ../shared/docs/arm64.md.
# Usage: tests/run-arm64.sh <test-project.csproj> [xunit.v3 runner options, e.g. -class Name]
# Scratch folder: $TINYGRU_ARM64_WORK (default /tmp/tinygru-arm64). Expect ~10-50x native run time under qemu.
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:?usage: tests/run-arm64.sh <test-project.csproj> [xunit runner options]}
shift
work=${TINYGRU_ARM64_WORK:-${TMPDIR:-/tmp}/tinygru-arm64}
mkdir -p "$work"

# Debian packages: qemu-user, and the arm64 C++ runtime the arm64 .NET JIT needs.
packages="qemu-user-static libstdc++6-arm64-cross"
# shellcheck disable=SC2086
if ! dpkg -s $packages >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $packages
fi

# The xunit.v3 runner hashes through OpenSSL: an arm64 libssl, unpacked privately (the machine's dpkg is untouched).
libs=$work/arm64-libs
if [ ! -e "$libs/root/usr/lib/aarch64-linux-gnu/libssl.so.3" ]; then
  mkdir -p "$libs/lists/partial" "$libs/cache/archives/partial" "$libs/debs"
  apt_arm64=(-o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State::Lists="$libs/lists" -o Dir::Cache="$libs/cache")
  apt-get "${apt_arm64[@]}" update -qq
  (cd "$libs/debs" && apt-get "${apt_arm64[@]}" download libssl3)
  for deb in "$libs"/debs/libssl3_*_arm64.deb; do dpkg -x "$deb" "$libs/root"; done
fi

name=$(basename "$project" .csproj)
out=$work/$name
dotnet publish "$project" -c Release -r linux-arm64 --self-contained -p:PublishReadyToRun=true -o "$out" -v quiet -nologo

export TINYGRU_REFERENCE_DIR=${TINYGRU_REFERENCE_DIR:-$(cd ../shared/reference && pwd)}  # the published exe lives outside the repository
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
export LD_LIBRARY_PATH=$libs/root/usr/lib/aarch64-linux-gnu
# W^X off: with it on, the runtime writes new code (JIT output, reflection invoke stubs) through a second, writable
# mapping of the same memory, which qemu-user does not notice, so it can keep running its stale translation of that
# page. Seen with TinyGru.Generators.NeonParity (63 tests): NullReferenceException in InvokeStub_* and
# "Illegal instruction" in xunit's reflection on both CPU models; with W^X off all pass. (Real ARM64 hardware: not needed.)
export DOTNET_EnableWriteXorExecute=0
status=0
echo "== $name on qemu cortex-a72 (Raspberry Pi 4: NEON, no dot product) =="
TINYGRU_EXPECT_ISA=arm64,AdvSimd TINYGRU_FORBID_ISA=Dp qemu-aarch64-static -cpu cortex-a72 "$out/$name" -noColor "$@" || status=1
echo "== $name on qemu cortex-a76 (Raspberry Pi 5: NEON + dot product) =="
TINYGRU_EXPECT_ISA=arm64,AdvSimd,Dp qemu-aarch64-static -cpu cortex-a76 "$out/$name" -noColor "$@" || status=1
exit $status
