import type { PoolAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runPool } from './pool.js';

export const maxPool: WebGpuKernel<PoolAttrs> = (ctx, [x], attrs, [out]) => [runPool(ctx, 'max_pool', [x!.buf], x!.shape, attrs, ctx.output(out!))];
