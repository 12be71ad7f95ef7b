import { sizeOf, stridesOf, type StridedSliceGradAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, stridedCopy } from '../strided.js';
import { windowStrides } from './strided_slice.js';

/** Zeros of the input shape with dy written into the window (the window never overlaps itself). */
export const stridedSliceGrad: CpuKernel<StridedSliceGradAttrs> = ([dy], attrs) => {
  const out = allocLike(dy!.values, sizeOf(attrs.shape));
  const w = windowStrides(attrs.shape, attrs);
  stridedCopy(dy!.values, 0, stridesOf(attrs.size), out, w.offset, w.strides, attrs.size);
  return [out];
};
