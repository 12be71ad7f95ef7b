import { defs, type InTopKAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const inTopK: CpuKernel<InTopKAttrs> = ([p, t], { k }) => {
  const [batch, classes] = p!.shape as [number, number];
  const pv = p!.values as Float32Array;
  const tv = t!.values as Int32Array;
  const res = new Uint8Array(batch);
  for (let b = 0; b < batch; b++) res[b] = defs.inTopKRow(pv, b * classes, classes, tv[b]!, k) ? 1 : 0;
  return [res];
};
