#!/usr/bin/env bash
# Cross-builds the CPU backend for aarch64 (no compiler, no Vulkan: KILN_BUILD_COMPILER=OFF)
# and runs its GoogleTest suites under qemu-user with `-cpu max`, so that every NEON
# tier runs (docs/cpu-aarch64.md). Installs what is missing first (setup.sh --deps).
#
# Environment: KILN_BUILD_DIR (default build; this script uses <build>-aarch64),
# KILN_JOBS (default: all cores).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}-aarch64
jobs=${KILN_JOBS:-$(nproc)}

"$root/scripts/setup.sh" --deps
if [[ ! -f $build/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/aarch64-linux-gnu.cmake" \
    -DKILN_BUILD_COMPILER=OFF
fi
ninja -C "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
