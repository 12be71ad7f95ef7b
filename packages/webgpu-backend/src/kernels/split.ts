import { normAxis, stridesOf, type SplitAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { stridedCopy } from './strided_copy.js';

/** Each output is a strided copy of its slab of the input. */
export const split: WebGpuKernel<SplitAttrs> = (ctx, [x], { axis }, outs) => {
  const a = normAxis('split', axis, x!.shape.length);
  const xs = stridesOf(x!.shape);
  let start = 0;
  return outs.map((o) => {
    const dst = ctx.output(o);
    stridedCopy(ctx, x!.buf, start * xs[a]!, xs, dst, 0, stridesOf(o.shape), o.shape);
    start += o.shape[a]!;
    return dst;
  });
};
