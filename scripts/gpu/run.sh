#!/usr/bin/env bash
# Runs on the GPU machine (no Node.js there): unpack node and the addons, then every check.
#   bash .gpu/run.sh            numerics (CUDA vs reference and vs CPU), sanitizers, timing table
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/snnc-gpu
rm -rf "$work" && mkdir -p "$work"
xz -dc "$here/node.xz" > "$work/node" && chmod +x "$work/node"
tar -C "$work" -xJf "$here/addons.tar.xz"
tar -C "$work" -xJf "$here/batches.tar.xz"
cp "$here/check.mjs" "$here/cases.json" "$work/"
cd "$work"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
status=0
./node check.mjs numerics || status=1
if command -v compute-sanitizer >/dev/null; then
  for tool in memcheck racecheck; do
    echo "== compute-sanitizer --tool $tool"
    compute-sanitizer --tool "$tool" --print-limit 20 --error-exitcode 9 ./node check.mjs sanitize 2>&1 | tail -n 40
    rc=${PIPESTATUS[0]}
    echo "compute-sanitizer $tool exit code $rc"
    [ "$rc" = 0 ] || status=1
  done
else
  echo "compute-sanitizer not found on this machine"; status=1
fi
./node check.mjs bench || status=1
[ -n "${OUT:-}" ] && cp "$work"/*.json "$OUT"/ 2>/dev/null
if [ "$status" = 0 ]; then
  # --backend auto picks CUDA only for kernels listed in compiler/backends/cuda/gpu-checked.json.
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
  echo "all GPU checks passed; add to compiler/backends/cuda/gpu-checked.json \"fingerprints\":"
  echo "  { \"fingerprint\": \"$(cat "$here/fingerprint.txt")\", \"date\": \"$(date -u +%Y-%m-%d)\", \"gpu\": \"$gpu\" }"
fi
exit $status
