import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { isSimd2x2, maxPoolArgmax } from '../pool_util.js';
import { allocF32, allocF32Uninit } from '../pool.js';
import { simdPool } from '../wasm/wasm_pool.js';

/** dx[first argmax of each window] += dy (TensorFlow's MaxPoolGrad; 2×2 stride 2: wasm SIMD). */
export const maxPoolGrad: CpuKernel<PoolAttrs> = ([x, dy], attrs) => {
  const g = defs.poolGeometry('maxPoolGrad', x!.shape, attrs);
  const xv = x!.values as Float32Array;
  const dv = dy!.values as Float32Array;
  const size = g.n * g.oh * g.ow * g.c;
  if (size > 0 && isSimd2x2(g)) {
    const dx = allocF32Uninit(xv.length);
    if (simdPool()?.maxPoolGrad(xv, dv, dx, g)) return [dx];
    dx.fill(0);
    return [general(xv, dv, dx, g, size)];
  }
  return [general(xv, dv, allocF32(xv.length), g, size)];
};

/** The plain loops, on a zeroed dx. */
function general(xv: Float32Array, dv: Float32Array, dx: Float32Array, g: defs.PoolGeometry, size: number): Float32Array {
  if (size === 0) return dx;
  const arg = maxPoolArgmax(xv, g);
  for (let i = 0; i < size; i++) dx[arg[i]!] += dv[i]!;
  return dx;
}
