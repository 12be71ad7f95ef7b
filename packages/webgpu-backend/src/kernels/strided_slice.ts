import { stridesOf, type StridedSliceAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { stridedCopy } from './strided_copy.js';

/** Offset of the window's first element and its (signed) strides in the flat input. */
export function windowStrides(shape: readonly number[], { begin, strides }: StridedSliceAttrs): { offset: number; strides: number[] } {
  const s = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += begin[d]! * s[d]!;
  return { offset, strides: s.map((v, d) => v * strides[d]!) };
}

export const stridedSlice: WebGpuKernel<StridedSliceAttrs> = (ctx, [x], attrs, [out]) => {
  const dst = ctx.output(out!);
  const w = windowStrides(x!.shape, attrs);
  stridedCopy(ctx, x!.buf, w.offset, w.strides, dst, 0, stridesOf(attrs.size), attrs.size);
  return [dst];
};
