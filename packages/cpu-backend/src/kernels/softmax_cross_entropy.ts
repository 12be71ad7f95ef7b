import type { SoftmaxAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { rowMax } from './softmax.js';
import { allocF32 } from '../pool.js';

/** Fused: loss = -Σ labels·(x - lse), backprop = softmax(x)·Σlabels - labels, per row of the last axis. */
export const softmaxCrossEntropy: CpuKernel<SoftmaxAttrs> = ([labels, logits]) => {
  const lv = labels!.values as Float32Array;
  const xv = logits!.values as Float32Array;
  const c = logits!.shape[logits!.shape.length - 1]!;
  const rows = logits!.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const loss = allocF32(rows);
  const back = allocF32(xv.length);
  for (let r = 0, base = 0; r < rows; r++, base += c) {
    const max = rowMax(xv, base, c);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(xv[base + j]! - max);
    const lse = max + Math.log(sum);
    let s = 0;
    let labelSum = 0;
    for (let j = 0; j < c; j++) labelSum += lv[base + j]!;
    for (let j = 0; j < c; j++) {
      const lp = xv[base + j]! - lse;
      const l = lv[base + j]!;
      if (l !== 0) s -= l * lp;
      back[base + j] = Math.exp(lp) * labelSum - l;
    }
    loss[r] = s;
  }
  return [loss, back];
};
