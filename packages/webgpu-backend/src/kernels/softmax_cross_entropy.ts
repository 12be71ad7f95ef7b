import type { SoftmaxAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { runRows } from './softmax_rows.js';

/** Loss and backprop in one fused dispatch per row (see softmax_rows.ts). */
export const softmaxCrossEntropy: WebGpuKernel<SoftmaxAttrs> = (ctx, [labels, logits], _attrs, [loss, back]) =>
  runRows(ctx, 'softmax_cross_entropy', [labels!.buf, logits!.buf], logits!.shape, [ctx.output(loss!), ctx.output(back!)]);
