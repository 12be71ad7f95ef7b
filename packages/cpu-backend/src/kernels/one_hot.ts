import { defs, type OneHotAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const oneHot: CpuKernel<OneHotAttrs> = ([indices], attrs, [out]) => {
  const { outer, inner } = defs.oneHotLayout(indices!, attrs);
  const { depth, onValue, offValue } = attrs;
  const res = allocArray(out!.dtype, outer * depth * inner) as Float32Array;
  if (offValue !== 0) res.fill(offValue);
  const iv = indices!.values as Int32Array;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const v = iv[o * inner + i]!;
      if (v >= 0 && v < depth) res[(o * depth + v) * inner + i] = onValue;
    }
  return [res];
};
