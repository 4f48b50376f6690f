#!/usr/bin/env bash
# Installs the Debian packages Kiln needs (idempotent: `apt-get update` runs only when
# something is missing) and configures + builds the project into build/ with ninja.
#
#   scripts/setup.sh            install what is missing, configure, build
#   scripts/setup.sh --deps     install only
#
# Environment: KILN_BUILD_DIR (default build), KILN_BUILD_TYPE (default Release),
# KILN_JOBS (default: all cores), KILN_CMAKE_ARGS (extra configure arguments),
# KILN_BUILD_TARGETS (default: all).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# One package per line; see docs/building.md for why each is needed.
packages=(
  cmake ninja-build g++ pkg-config
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools   # MLIR/LLVM 22, lit, FileCheck
  libvulkan-dev mesa-vulkan-drivers vulkan-tools vulkan-validationlayers
  glslang-dev glslang-tools spirv-tools spirv-headers
  libflatbuffers-dev flatbuffers-compiler                   # VGF sections
  nlohmann-json3-dev                                        # safetensors headers, JSON dumps
  libgtest-dev libgmock-dev
  python3-dev pybind11-dev python3-numpy python3-pytest     # the kiln Python package
  libdnnl-dev libopenblas-dev libxnnpack-dev libpthreadpool-dev  # kiln-bench baselines
  clang libclang-rt-dev                                     # libFuzzer targets
  g++-aarch64-linux-gnu qemu-user                           # aarch64 CPU backend (test-aarch64.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[[ ${1:-} == --deps ]] && exit 0

build=${KILN_BUILD_DIR:-$root/build}
jobs=${KILN_JOBS:-$(nproc)}
# Debian's python3 is named explicitly: python3-numpy, python3-pytest and pybind11-dev
# serve it, while another python3 earlier on PATH (pyenv) would lack them.
if [[ ! -f $build/build.ninja ]]; then
  # shellcheck disable=SC2086
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE="${KILN_BUILD_TYPE:-Release}" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_DIR=/usr/lib/llvm-22/lib/cmake/llvm \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    ${KILN_CMAKE_ARGS:-}
fi
# shellcheck disable=SC2086
ninja -C "$build" -j "$jobs" ${KILN_BUILD_TARGETS:-}
