import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { maxPoolArgmax } from '../pool_util.js';
import { allocF32 } from '../pool.js';

/** dx[first argmax of each window] += dy (TensorFlow's MaxPoolGrad). */
export const maxPoolGrad: CpuKernel<PoolAttrs> = ([x, dy], attrs) => {
  const g = defs.poolGeometry('maxPoolGrad', x!.shape, attrs);
  const dv = dy!.values as Float32Array;
  const dx = allocF32(x!.values.length);
  const size = g.n * g.oh * g.ow * g.c;
  if (size === 0) return [dx];
  const arg = maxPoolArgmax(x!.values as Float32Array, g);
  for (let i = 0; i < size; i++) dx[arg[i]!] += dv[i]!;
  return [dx];
};
