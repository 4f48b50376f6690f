#!/usr/bin/env bash
# Builds and tests the CPU backend's KleidiAI adapter (KILN_CPU_KLEIDIAI,
# docs/cpu-aarch64.md §6): builds KleidiAI from a source tree you provide
# (scripts/build-kleidiai.sh; nothing is downloaded), cross-builds the CPU backend for
# aarch64 with -DKILN_CPU_KLEIDIAI=ON against it, and runs KilnCpuKleidiAITests (and
# the other cross-built suites) under qemu-user -cpu max.
#
#   scripts/test-kleidiai.sh <kleidiai-source-dir>
#
# Not part of scripts/test.sh: Debian has no KleidiAI package, so CI has no KleidiAI
# to build against; Kiln's own kernels (the option's default, OFF) are the tested path.
#
# Environment: KILN_BUILD_DIR (default build; this script uses <build>-kleidiai),
# KILN_KLEIDIAI_PREFIX (where KleidiAI is installed; default <build>-kleidiai/kleidiai,
# built once), KILN_JOBS (default: all cores).
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: $0 <kleidiai-source-dir>" >&2
  exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}-kleidiai
prefix=${KILN_KLEIDIAI_PREFIX:-$build/kleidiai}
jobs=${KILN_JOBS:-$(nproc)}

"$root/scripts/setup.sh" --deps
if [[ ! -f $prefix/lib/cmake/KleidiAI/KleidiAIConfig.cmake ]]; then
  KILN_JOBS=$jobs "$root/scripts/build-kleidiai.sh" "$1" "$prefix"
fi
if [[ ! -f $build/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/aarch64-linux-gnu.cmake" \
    -DKILN_BUILD_COMPILER=OFF -DKILN_CPU_KLEIDIAI=ON \
    -DKleidiAI_DIR="$prefix/lib/cmake/KleidiAI"
fi
ninja -C "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
