import { stridesOf, type TransposeAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { gatherStrided } from './strided_copy.js';

/** Permutes dimensions: a strided gather over the output with permuted input strides. */
export const transpose: WebGpuKernel<TransposeAttrs> = (ctx, [x], { perm }, [out]) => {
  const dst = ctx.output(out!);
  const s = stridesOf(x!.shape);
  gatherStrided(ctx, x!.buf, out!.shape, perm.map((p) => s[p]!), dst);
  return [dst];
};
