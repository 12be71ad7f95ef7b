/** The Philox streams of core (random/philox.ts) are the CPU implementation. */
import { philox, sizeOf, type RandomUniformAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const randomUniform: CpuKernel<RandomUniformAttrs> = (_inputs, a) => {
  const n = sizeOf(a.shape);
  return [a.dtype === 'int32' ? philox.uniformInts(a, n, a.minval, a.maxval) : philox.uniformFloats(a, n, a.minval, a.maxval)];
};
