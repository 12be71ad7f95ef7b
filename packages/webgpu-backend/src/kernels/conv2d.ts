import { defs, type Conv2DAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { conv2dForward } from './conv_gemm.js';

/** conv2d (NHWC) as an implicit GEMM; 1×1 stride-1 as a plain matmul (conv_gemm.ts). */
export const conv2d: WebGpuKernel<Conv2DAttrs> = (ctx, [x, f], attrs, [out]) => {
  const dst = ctx.output(out!);
  conv2dForward(ctx, x!.buf, f!.buf, defs.convGeometry('conv2d', x!.shape, f!.shape, attrs), dst);
  return [dst];
};
