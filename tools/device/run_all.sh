#!/bin/bash
# The whole device check, for a lent GPU machine (see benchmarks/README.md "On a GPU machine").
# Build the kit here first:
#   (cd benchmarks && node build.mjs)
#   ../shared/device/make-kit.sh benchmarks/dist/bench.mjs benchmarks/dist/tiles_bench.mjs tools/device/webgpu_check.ts
# then run `bash tools/device/run_all.sh` there with .gpu-kit carried along. Results land in $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
kit=.gpu-kit
step() { # name timeout-seconds command...
  local name=$1 limit=$2; shift 2
  echo "=== $name ($(date -u +%T))"
  timeout "$limit" "$@" > "$out/$name.log" 2>&1 || echo "=== $name: exit $?"
  grep -v '^{' "$out/$name.log" | tail -n 30 # JSON lines are in the .jsonl files
}
# 1. eagerflow vs tfjs-webgpu, same process, same adapter (the table).
step ops 200 bash $kit/run.sh bench --backend webgpu --budget 1500 --json "$out/webgpu.jsonl"
# 2. every WGSL kernel checked numerically on this GPU (conformance suite + large tiled shapes).
step check 120 bash $kit/run.sh webgpu_check
# 3. the per-op GPU path without the host handoff (chained add and LeNet step on the GPU only).
step nohandoff 50 bash $kit/run.sh bench --backend webgpu --impl eagerflow --gpu-handoff 0 --budget 1500 \
  --filter 'add_chain|lenet' --json "$out/webgpu-nohandoff.jsonl"
# 4. grouped launch orders (TileConfig.swizzle) against the plain large tiles at 2048³/4096³.
step swizzle 100 env TILES_CONFIGS='sw|^wide$|^large$' TILES_HARD_S=80 bash $kit/run.sh bench --backend webgpu --suite tiles \
  --filter 'matmul_(4096|2048)' --json "$out/tiles-swizzle.jsonl"
# 5. the tile sweep that chooses matmul/conv tiles per shape.
step tiles 180 env TILES_HARD_S=150 bash $kit/run.sh bench --backend webgpu --suite tiles --json "$out/tiles.jsonl"
echo "=== done ($(date -u +%T))"
