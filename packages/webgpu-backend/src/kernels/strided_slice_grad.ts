import { sizeOf, stridesOf, type StridedSliceGradAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { fillWords } from './fill.js';
import { windowStrides } from './strided_slice.js';
import { stridedCopy } from './strided_copy.js';

/** Zeros of the input shape, then dy written into the window (which never overlaps itself). */
export const stridedSliceGrad: WebGpuKernel<StridedSliceGradAttrs> = (ctx, [dy], attrs, [out]) => {
  const dst = ctx.output(out!);
  fillWords(ctx, dst, sizeOf(attrs.shape), 0);
  const w = windowStrides(attrs.shape, attrs);
  stridedCopy(ctx, dy!.buf, 0, stridesOf(attrs.size), dst, w.offset, w.strides, attrs.size);
  return [dst];
};
