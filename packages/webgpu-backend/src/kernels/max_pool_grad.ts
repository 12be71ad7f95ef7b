import type { PoolGradAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runPool } from './pool.js';

/** One thread per input pixel gathers dy from the windows whose first maximum it is. */
export const maxPoolGrad: WebGpuKernel<PoolGradAttrs> = (ctx, [x, dy], attrs, [out]) => [runPool(ctx, 'max_pool_grad', [x!.buf, dy!.buf], x!.shape, attrs, ctx.output(out!))];
