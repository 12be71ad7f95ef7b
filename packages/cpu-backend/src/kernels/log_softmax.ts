import type { SoftmaxAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { mapRows } from './softmax.js';

/** x - max - log Σ exp(x - max) over the last axis. */
export const logSoftmax: CpuKernel<SoftmaxAttrs> = ([x]) => [
  mapRows(x!, (xv, y, base, c, max) => {
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(xv[base + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < c; j++) y[base + j] = xv[base + j]! - lse;
  }),
];
