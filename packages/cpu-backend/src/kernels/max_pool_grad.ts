import { defs, type PoolGradAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { forEachArgmax } from '../pool_util.js';
import { allocF32 } from '../pool.js';

/** Routes each window's dy to the first maximum of x in the window. */
export const maxPoolGrad: CpuKernel<PoolGradAttrs> = ([x, dy], attrs) => {
  const g = defs.poolGeometry('maxPoolGrad', x!.shape, attrs);
  const dv = dy!.values as Float32Array;
  const dx = allocF32(x!.values.length);
  const c = g.c;
  forEachArgmax(x!.values as Float32Array, g, (o, best) => {
    for (let ch = 0; ch < c; ch++) dx[best[ch]!] += dv[o + ch]!;
  });
  return [dx];
};
