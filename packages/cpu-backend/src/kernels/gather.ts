import { defs, type GatherAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, copyRange, words } from '../strided.js';

/** out[b, o, n, :] = x[b, o, indices[b, n], :]; rows copied whole. Out-of-range indices throw. */
export const gather: CpuKernel<GatherAttrs> = ([x, indices], attrs) => {
  const { B, O, A, I, N, outShape } = defs.gatherLayout(x!, indices!, attrs);
  const iv = indices!.values as Int32Array;
  for (let k = 0; k < iv.length; k++) {
    const a = iv[k]!;
    if (a < 0 || a >= A) throw defs.gatherIndexError(k, a, A);
  }
  let n = 1;
  for (const d of outShape) n *= d;
  const out = allocLike(x!.values, n);
  const xv = words(x!.values);
  const dst = words(out);
  let p = 0;
  for (let b = 0; b < B; b++)
    for (let o = 0; o < O; o++) {
      const base = (b * O + o) * A * I;
      for (let j = 0; j < N; j++, p += I) copyRange(dst, p, xv, base + iv[b * N + j]! * I, I);
    }
  return [out];
};
