import type { PoolGradAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runPool } from './pool.js';

/** One thread per input pixel gathers dy / count from the windows that cover it. */
export const avgPoolGrad: WebGpuKernel<PoolGradAttrs> = (ctx, [dy], attrs, [out]) => [runPool(ctx, 'avg_pool_grad', [dy!.buf], attrs.inputShape, attrs, ctx.output(out!))];
