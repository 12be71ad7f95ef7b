import { defs, type Conv2DBackpropInputAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { conv2dBackpropInput as run } from './conv_gemm.js';

/** dx as a GEMM of col2im(dy) and the transposed filter (conv_gemm.ts). */
export const conv2dBackpropInput: WebGpuKernel<Conv2DBackpropInputAttrs> = (ctx, [dy, f], attrs, [out]) => {
  const dst = ctx.output(out!);
  run(ctx, dy!.buf, f!.buf, defs.convGeometry('conv2dBackpropInput', attrs.inputShape, f!.shape, attrs), dst);
  return [dst];
};
