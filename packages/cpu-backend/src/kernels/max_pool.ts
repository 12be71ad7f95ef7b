import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { isSimd2x2, maxPoolArgmax } from '../pool_util.js';
import { allocF32Uninit } from '../pool.js';
import { simdPool } from '../wasm/wasm_pool.js';

/** y = x at each window's first maximum (2×2 stride 2: wasm SIMD; else plain loops, see maxPoolArgmax). */
export const maxPool: CpuKernel<PoolAttrs> = ([x], attrs) => {
  const g = defs.poolGeometry('maxPool', x!.shape, attrs);
  const xv = x!.values as Float32Array;
  const size = g.n * g.oh * g.ow * g.c;
  const y = allocF32Uninit(size);
  if (size === 0) return [y];
  if (isSimd2x2(g) && simdPool()?.maxPool(xv, y, g)) return [y];
  const arg = maxPoolArgmax(xv, g);
  for (let i = 0; i < size; i++) y[i] = xv[arg[i]!]!;
  return [y];
};
