import type { SoftmaxAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { rowMax } from './softmax.js';
import { allocF32 } from '../pool.js';

/** x - max - log Σ exp(x - max) over the last axis. */
export const logSoftmax: CpuKernel<SoftmaxAttrs> = ([x]) => {
  const xv = x!.values as Float32Array;
  const c = x!.shape[x!.shape.length - 1]!;
  const y = allocF32(xv.length);
  for (let base = 0; c > 0 && base < xv.length; base += c) {
    const max = rowMax(xv, base, c);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(xv[base + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < c; j++) y[base + j] = xv[base + j]! - lse;
  }
  return [y];
};
