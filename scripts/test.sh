#!/usr/bin/env bash
# Sets up (installs what is missing, configures, builds) and runs the whole test
# suite: GoogleTest suites and the lit/FileCheck suite, through ctest. The last line
# printed is ctest's summary.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
build=${KILN_BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
