import { normAxis, sizeOf, type SplitAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, copyRange, words } from '../strided.js';

/** Each output takes its contiguous chunk of every outer row. */
export const split: CpuKernel<SplitAttrs> = ([x], { sizes, axis }) => {
  const a = normAxis('split', axis, x!.shape.length);
  const outer = sizeOf(x!.shape.slice(0, a));
  const inner = sizeOf(x!.shape.slice(a + 1));
  const row = x!.shape[a]! * inner;
  const src = words(x!.values);
  let start = 0;
  return sizes.map((s) => {
    const c = s * inner;
    const res = allocLike(x!.values, outer * c);
    const dst = words(res);
    for (let o = 0; o < outer; o++) copyRange(dst, o * c, src, o * row + start, c);
    start += c;
    return res;
  });
};
