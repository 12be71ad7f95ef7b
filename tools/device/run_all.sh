#!/bin/bash
# The whole device check, for a lent GPU machine (see benchmarks/README.md "On a GPU machine").
# Build the kit here first:
#   (cd benchmarks && node build.mjs)
#   ../shared/device/make-kit.sh benchmarks/dist/bench.mjs benchmarks/dist/tiles_bench.mjs tools/device/webgpu_check.ts
# then run `bash tools/device/run_all.sh [STEP...]` there with .gpu-kit carried along (no STEP: all
# of ops check nohandoff candidates tiles; their time limits add up to more than one 600 s call, so
# split them over two calls). Results land in $OUT.
set -u
steps=${*:-ops check nohandoff candidates tiles}
out=${OUT:-/tmp/out}
mkdir -p "$out"
kit=.gpu-kit
step() { # name timeout-seconds command...
  local name=$1 limit=$2; shift 2
  [[ " $steps " == *" $name "* ]] || return 0
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
# 4. this session's candidates first: grouped launch orders (TileConfig.swizzle) at 2048³/4096³
#    and the N = 64 tiles on the 3×3 conv, against the current picks.
step candidates 120 env TILES_CONFIGS='sw|^wide$|^large$|^medium$|8x4|4x8' TILES_HARD_S=100 bash $kit/run.sh bench --backend webgpu \
  --suite tiles --filter 'matmul_(4096|2048)$|conv_b32' --json "$out/tiles-candidates.jsonl"
# 5. the tile sweep that chooses matmul/conv tiles per shape.
step tiles 180 env TILES_HARD_S=150 bash $kit/run.sh bench --backend webgpu --suite tiles --json "$out/tiles.jsonl"
echo "=== done ($(date -u +%T))"
