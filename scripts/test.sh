#!/usr/bin/env bash
# Sets up (installs what is missing, configures, builds) and runs the whole test suite
# through ctest, in four build directories (docs/robustness.md):
#   <build>-san   GCC with ASan+UBSan: the GoogleTest suites and the lit suite, except
#                 the tests labelled `long` (Llama-sized layers, packaging, Python),
#                 which only add run time under the sanitizers;
#   <build>-fuzz  clang with libFuzzer: only the fuzz targets and what their seeds need,
#                 each target fuzzed for KILN_FUZZ_SECONDS (ctest -L fuzz);
#   <build>-aarch64  the CPU backend cross-built for aarch64 without the compiler, its
#                 suites under qemu-user (scripts/test-aarch64.sh, docs/cpu-aarch64.md);
#   <build>       the plain build: every test, last, so the last line printed is ctest's
#                 summary of the whole suite.
# Environment: KILN_BUILD_DIR (default build), and setup.sh's variables.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
jobs=$(nproc)

"$root/scripts/setup.sh"

KILN_BUILD_DIR=$build-san KILN_CMAKE_ARGS="${KILN_CMAKE_ARGS:-} -DKILN_SANITIZE=address;undefined" \
  "$root/scripts/setup.sh"
(
  source "$root/scripts/sanitizers/options.sh"
  ctest --test-dir "$build-san" --output-on-failure -j "$jobs" -LE long
)

CC=clang CXX=clang++ KILN_BUILD_DIR=$build-fuzz KILN_BUILD_TARGETS=kiln-fuzzers \
  KILN_CMAKE_ARGS="${KILN_CMAKE_ARGS:-} -DKILN_FUZZ=ON" "$root/scripts/setup.sh"
(
  source "$root/scripts/sanitizers/options.sh"
  ctest --test-dir "$build-fuzz" --output-on-failure -j "$jobs" -L fuzz
)

KILN_BUILD_DIR=$build "$root/scripts/test-aarch64.sh"

ctest --test-dir "$build" --output-on-failure -j "$jobs"
