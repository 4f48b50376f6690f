#!/usr/bin/env bash
# Builds Arm KleidiAI for aarch64 Linux from a source tree and installs it into a
# prefix, for the KILN_CPU_KLEIDIAI build (docs/cpu-aarch64.md §6):
#
#   scripts/build-kleidiai.sh <kleidiai-source-dir> <prefix>
#   cmake ... -DKILN_CPU_KLEIDIAI=ON -DKleidiAI_DIR=<prefix>/lib/cmake/KleidiAI
#
# Cross-compiles with Debian's clang (--target=aarch64-linux-gnu, which takes its
# headers and libraries from the g++-aarch64-linux-gnu toolchain): Debian 12's aarch64
# GCC 12 stops with an internal compiler error on one KleidiAI source file. KleidiAI's
# tests and benchmark are off: they would download GoogleTest and Google Benchmark, and
# this script downloads nothing. On an aarch64 host it builds natively with clang.
#
# Environment: KILN_JOBS (default: all cores).
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <kleidiai-source-dir> <prefix>" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
prefix=$2
jobs=${KILN_JOBS:-$(nproc)}
build=$prefix/build

cross=()
if [[ $(uname -m) != aarch64 ]]; then
  cross=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
         -DCMAKE_C_COMPILER_TARGET=aarch64-linux-gnu
         -DCMAKE_CXX_COMPILER_TARGET=aarch64-linux-gnu
         -DCMAKE_ASM_COMPILER_TARGET=aarch64-linux-gnu)
fi
cmake -G Ninja -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_ASM_COMPILER=clang \
  "${cross[@]}" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DKLEIDIAI_BUILD_TESTS=OFF -DKLEIDIAI_BUILD_BENCHMARK=OFF
ninja -C "$build" -j "$jobs" kleidiai
cmake --install "$build"
