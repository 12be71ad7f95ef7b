import { normAxis, sizeOf, stridesOf, type ConcatAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { stridedCopy } from './strided_copy.js';

/** Each input is a strided copy into its slab of the output. */
export const concat: WebGpuKernel<ConcatAttrs> = (ctx, inputs, { axis }, [out]) => {
  const dst = ctx.output(out!);
  const a = normAxis('concat', axis, out!.shape.length);
  const os = stridesOf(out!.shape);
  let offset = 0;
  for (const x of inputs) {
    if (sizeOf(x.shape) > 0) stridedCopy(ctx, x.buf, 0, stridesOf(x.shape), dst, offset * os[a]!, os, x.shape);
    offset += x.shape[a]!;
  }
  return [dst];
};
