import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { maxPoolArgmax } from '../pool_util.js';
import { allocF32Uninit } from '../pool.js';

/** Reads g at each window's first maximum of x (the adjoint of max_pool_grad in dy). */
export const maxPoolGradGrad: CpuKernel<PoolAttrs> = ([x, gr], attrs) => {
  const g = defs.poolGeometry('maxPoolGradGrad', x!.shape, attrs);
  const gv = gr!.values as Float32Array;
  const size = g.n * g.oh * g.ow * g.c;
  const y = allocF32Uninit(size);
  if (size === 0) return [y];
  const arg = maxPoolArgmax(x!.values as Float32Array, g);
  for (let i = 0; i < size; i++) y[i] = gv[arg[i]!]!;
  return [y];
};
