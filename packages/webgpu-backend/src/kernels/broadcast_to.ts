import { broadcastStrides, type BroadcastToAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { gatherStrided } from './strided_copy.js';

/** Broadcast: a strided gather with stride 0 along broadcast dimensions. */
export const broadcastTo: WebGpuKernel<BroadcastToAttrs> = (ctx, [x], { shape }, [out]) => {
  const dst = ctx.output(out!);
  gatherStrided(ctx, x!.buf, shape, broadcastStrides(x!.shape, shape), dst);
  return [dst];
};
