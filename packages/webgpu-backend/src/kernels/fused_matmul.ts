import type { FusedMatmulAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { recordMatmul } from './matmul.js';

/** act(op(a)·op(b) + bias): the tiled GEMM applies the epilogue as it stores its tile. */
export const fusedMatmul: WebGpuKernel<FusedMatmulAttrs> = (ctx, [a, b, bias], attrs, [out]) => [
  recordMatmul(ctx, a!, b!, attrs, out!, { activation: attrs.activation, bias: bias! }),
];
