import type { FusedMatmulAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { applyEpilogue } from './fused_epilogue.js';
import { matmul } from './matmul.js';

export const fusedMatmul: CpuKernel<FusedMatmulAttrs> = ([a, b, bias], attrs, [out]) => applyEpilogue(matmul([a!, b!], attrs, [out!])[0]!, bias!, attrs.activation, out!);
