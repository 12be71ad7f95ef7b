import type { SoftmaxAttrs } from '@eagerflow/core';
import type { CpuInput, CpuKernel } from '../kernel.js';
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

/**
 * Maps each last-axis row of x into a fresh output of the same size: row(xv, y, base, c, max)
 * writes y[base .. base + c), with max = rowMax of that row.
 */
export function mapRows(x: CpuInput, row: (xv: Float32Array, y: Float32Array, base: number, c: number, max: number) => void): Float32Array {
  const xv = x.values as Float32Array;
  const c = x.shape[x.shape.length - 1]!;
  const y = allocF32(xv.length);
  for (let base = 0; c > 0 && base < xv.length; base += c) row(xv, y, base, c, rowMax(xv, base, c));
  return y;
}

/** Softmax over the last axis: exp(x - max) / Σ, one pass for the max, one for exp and sum. */
export const softmax: CpuKernel<SoftmaxAttrs> = ([x]) => [
  mapRows(x!, (xv, y, base, c, max) => {
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(xv[base + j]! - max);
      y[base + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < c; j++) y[base + j] *= inv;
  }),
];
