import { OpError, type SoftmaxAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { rowMax } from './softmax.js';
import { allocF32 } from '../pool.js';

/** Fused: loss = lse - x[label], backprop = softmax(x) - oneHot(label); bad labels throw (as TF's CPU). */
export const sparseSoftmaxCrossEntropy: CpuKernel<SoftmaxAttrs> = ([labels, logits]) => {
  const lv = labels!.values as Int32Array;
  const xv = logits!.values as Float32Array;
  const c = logits!.shape[logits!.shape.length - 1]!;
  const rows = lv.length;
  const loss = allocF32(rows);
  const back = allocF32(xv.length);
  for (let r = 0, base = 0; r < rows; r++, base += c) {
    const label = lv[r]!;
    if (label < 0 || label >= c) throw new OpError('sparseSoftmaxCrossEntropyWithLogits', `label ${label} at position ${r} is out of range [0, ${c})`);
    const max = rowMax(xv, base, c);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(xv[base + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < c; j++) back[base + j] = Math.exp(xv[base + j]! - lse);
    back[base + label] = back[base + label]! - 1;
    loss[r] = lse - xv[base + label]!;
  }
  return [loss, back];
};
