import { defs, type PoolGradAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { forEachWindowPixel } from '../pool_util.js';
import { allocF32 } from '../pool.js';

/** Spreads each dy evenly over the in-bounds part of its window. */
export const avgPoolGrad: CpuKernel<PoolGradAttrs> = ([dy], attrs) => {
  const g = defs.poolGeometry('avgPoolGrad', attrs.inputShape, attrs);
  const dv = dy!.values as Float32Array;
  const dx = allocF32(g.n * g.h * g.w * g.c);
  const c = g.c;
  forEachWindowPixel(g, (o, src, count) => {
    const inv = 1 / count;
    for (let ch = 0; ch < c; ch++) dx[src + ch] += dv[o + ch]! * inv;
  });
  return [dx];
};
