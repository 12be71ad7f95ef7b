import { normAxis, sizeOf, type CumsumAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

/** [outer, len, inner] layout; the running sums of one outer slice advance a row of `inner` at a time. */
export const cumsum: CpuKernel<CumsumAttrs> = ([x], { axis, exclusive, reverse }, [out]) => {
  const a = normAxis('cumsum', axis, x!.shape.length);
  const outer = sizeOf(x!.shape.slice(0, a));
  const len = x!.shape[a]!;
  const inner = sizeOf(x!.shape.slice(a + 1));
  const v = x!.values as Float32Array;
  const res = allocArray(out!.dtype, v.length) as Float32Array;
  const acc = new Float64Array(inner);
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let p = o * len * inner + (reverse ? (len - 1) * inner : 0);
    for (let t = 0; t < len; t++, p += step) {
      if (exclusive) {
        for (let i = 0; i < inner; i++) {
          res[p + i] = acc[i]!;
          acc[i]! += v[p + i]!;
        }
      } else {
        for (let i = 0; i < inner; i++) res[p + i] = acc[i]! += v[p + i]!;
      }
    }
  }
  return [res];
};
