import type { SoftmaxAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';

/** Row max of x[base .. base + c). */
export function rowMax(x: Float32Array, base: number, c: number): number {
  let m = -Infinity;
  for (let j = 0; j < c; j++) {
    const v = x[base + j]!;
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Softmax over the last axis: exp(x - max) / Σ, one pass for the max, one for exp and sum. */
export const softmax: CpuKernel<SoftmaxAttrs> = ([x]) => {
  const xv = x!.values as Float32Array;
  const c = x!.shape[x!.shape.length - 1]!;
  const y = allocF32(xv.length);
  for (let base = 0; c > 0 && base < xv.length; base += c) {
    const max = rowMax(xv, base, c);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(xv[base + j]! - max);
      y[base + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < c; j++) y[base + j] *= inv;
  }
  return [y];
};
