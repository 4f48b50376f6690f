#!/usr/bin/env bash
# The README's first command: compiles DemoLinearModel (nn.Linear(256, 256), input 1x256)
# in all five GEMM schemes to .vgf, runs each on Vulkan and on the CPU backend and
# prints a table of scheme, container size, both latencies and SQNR against the fp32
# model (run on the reference evaluator). Needs a build (scripts/setup.sh). Environment: KILN_BUILD_DIR (default
# build), KILN_DEMO_REPEAT (timed runs per scheme, default 50), KILN_DEMO_BACKEND
# (auto: Vulkan, or the CPU when no device is usable; vulkan; cpu).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${KILN_BUILD_DIR:-$root/build}/bin
repeat=${KILN_DEMO_REPEAT:-50}
backend=${KILN_DEMO_BACKEND:-auto}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/scripts/random_npy.py" 1 256 1 "$work/x.npy"
python3 "$root/scripts/random_npy.py" 64 256 2 "$work/calibration.npy"

# The fp32 model's output, the yardstick of every scheme.
"$bin/kiln-compile" --model=demo-linear --scheme=pf32 --emit=kiln -o "$work/fp32.mlir"
"$bin/kiln-run" "$work/fp32.mlir" --input "$work/x.npy" --output "$work/fp32.npy"

printf '%-14s %10s %15s %12s %10s\n' scheme "vgf bytes" "Vulkan (us)" "CPU (us)" "SQNR (dB)"
for scheme in pf32 pf16 pqs8_qc8w qp8_f32_qc8w qp8_f32_qb4w; do
  vgf="$work/demo_$scheme.vgf"
  "$bin/kiln-compile" --model=demo-linear --scheme="$scheme" \
    --calibration-data="$work/calibration.npy" -o "$vgf"
  report=$("$bin/kiln-run" "$vgf" --backend="$backend" --input "$work/x.npy" \
    --repeat "$repeat" --compare-to "$work/fp32.npy")
  device=$(sed -n 's/^latency over [0-9]* runs on \([^:]*\): median.*/\1/p' <<<"$report")
  latency=$(sed -n 's/.*: median \([0-9.]*\) us.*/\1/p' <<<"$report")
  sqnr=$(sed -n 's/.*sqnr \([^ ]*\) dB.*/\1/p' <<<"$report")
  cpu=$("$bin/kiln-run" "$vgf" --backend=cpu --input "$work/x.npy" --repeat "$repeat" |
    sed -n 's/.*: median \([0-9.]*\) us.*/\1/p')
  printf '%-14s %10s %15s %12s %10s\n' "$scheme" "$(stat -c %s "$vgf")" "$latency" "$cpu" "$sqnr"
done
echo "Vulkan device: $device; latencies are the median wall time of $repeat runs after a warm-up run"
