import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { forEachArgmax } from '../pool_util.js';
import { allocF32 } from '../pool.js';

/** Reads g at each window's first maximum of x (the adjoint of max_pool_grad in dy). */
export const maxPoolGradGrad: CpuKernel<PoolAttrs> = ([x, gr], attrs) => {
  const g = defs.poolGeometry('maxPoolGradGrad', x!.shape, attrs);
  const gv = gr!.values as Float32Array;
  const y = allocF32(g.n * g.oh * g.ow * g.c);
  const c = g.c;
  forEachArgmax(x!.values as Float32Array, g, (o, best) => {
    for (let ch = 0; ch < c; ch++) y[o + ch] = gv[best[ch]!]!;
  });
  return [y];
};
