import type { PoolAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runPool } from './pool.js';

export const avgPool: WebGpuKernel<PoolAttrs> = (ctx, [x], attrs, [out]) => [runPool(ctx, 'avg_pool', [x!.buf], x!.shape, attrs, ctx.output(out!))];
