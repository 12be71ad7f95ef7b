import type { PoolAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runPool } from './pool.js';

/** Reads g at each window's first maximum of x. */
export const maxPoolGradGrad: WebGpuKernel<PoolAttrs> = (ctx, [x, g], attrs, [out]) => [runPool(ctx, 'max_pool_grad_grad', [x!.buf, g!.buf], x!.shape, attrs, ctx.output(out!))];
