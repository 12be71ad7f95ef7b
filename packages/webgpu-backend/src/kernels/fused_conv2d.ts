import { defs, type FusedConv2DAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { conv2dForward } from './conv_gemm.js';

/** act(conv2d(x, filter) + bias): the implicit GEMM applies the epilogue as it stores its tile. */
export const fusedConv2d: WebGpuKernel<FusedConv2DAttrs> = (ctx, [x, f, bias], attrs, [out]) => {
  const dst = ctx.output(out!);
  conv2dForward(ctx, x!.buf, f!.buf, defs.convGeometry('fused_conv2d', x!.shape, f!.shape, attrs), dst, { activation: attrs.activation, bias: bias! });
  return [dst];
};
