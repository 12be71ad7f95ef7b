import { normAxis, sizeOf, type ConcatAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, copyRange, words } from '../strided.js';

/** For each outer index, each input's contiguous chunk is copied in turn. */
export const concat: CpuKernel<ConcatAttrs> = (inputs, { axis }, [out]) => {
  const a = normAxis('concat', axis, out!.shape.length);
  const outer = sizeOf(out!.shape.slice(0, a));
  const inner = sizeOf(out!.shape.slice(a + 1));
  const res = allocLike(inputs[0]!.values, sizeOf(out!.shape));
  const dst = words(res);
  const srcs = inputs.map((t) => words(t.values));
  const chunks = inputs.map((t) => t.shape[a]! * inner);
  let p = 0;
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < inputs.length; k++) {
      const c = chunks[k]!;
      copyRange(dst, p, srcs[k]!, o * c, c);
      p += c;
    }
  return [res];
};
