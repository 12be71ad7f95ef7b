import { sizeOf, stridesOf, type StridedSliceAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, stridedCopy } from '../strided.js';

/** Offset of the window's first element and its strides in the flat input. */
export function windowStrides(shape: readonly number[], { begin, strides }: StridedSliceAttrs): { offset: number; strides: number[] } {
  const inStrides = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += begin[d]! * inStrides[d]!;
  return { offset, strides: inStrides.map((s, d) => s * strides[d]!) };
}

export const stridedSlice: CpuKernel<StridedSliceAttrs> = ([x], attrs) => {
  const out = allocLike(x!.values, sizeOf(attrs.size));
  const w = windowStrides(x!.shape, attrs);
  stridedCopy(x!.values, w.offset, w.strides, out, 0, stridesOf(attrs.size), attrs.size);
  return [out];
};
