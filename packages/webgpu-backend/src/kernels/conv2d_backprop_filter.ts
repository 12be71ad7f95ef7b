import { defs, type Conv2DBackpropFilterAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { conv2dBackpropFilter as run } from './conv_gemm.js';

/** dfilter as a GEMM of im2col(x)ᵀ and dy, split along K when the output is small (conv_gemm.ts). */
export const conv2dBackpropFilter: WebGpuKernel<Conv2DBackpropFilterAttrs> = (ctx, [x, dy], attrs, [out]) => {
  const dst = ctx.output(out!);
  run(ctx, x!.buf, dy!.buf, defs.convGeometry('conv2dBackpropFilter', x!.shape, attrs.filterShape, attrs), dst);
  return [dst];
};
