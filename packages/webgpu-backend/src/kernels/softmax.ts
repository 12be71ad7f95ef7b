import type { SoftmaxAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runRows } from './softmax_rows.js';

/** Fused over the last axis (see softmax_rows.ts). */
export const softmax: WebGpuKernel<SoftmaxAttrs> = (ctx, [x], _attrs, [out]) => runRows(ctx, 'softmax', [x!.buf], x!.shape, [ctx.output(out!)]);
