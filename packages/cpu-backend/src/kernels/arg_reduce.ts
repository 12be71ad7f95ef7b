import { sizeOf, type ArgReduceAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const argReduce: CpuKernel<ArgReduceAttrs> = ([x], { op, axis }) => {
  const rank = x!.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const outer = sizeOf(x!.shape.slice(0, a));
  const len = x!.shape[a]!;
  const inner = sizeOf(x!.shape.slice(a + 1));
  const v = x!.values as Float32Array;
  const res = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = v[base]!;
      let arg = 0;
      for (let k = 1; k < len; k++) {
        const e = v[base + k * inner]!;
        if (op === 'max' ? e > best : e < best) {
          best = e;
          arg = k;
        }
      }
      res[o * inner + i] = arg;
    }
  }
  return [res];
};
