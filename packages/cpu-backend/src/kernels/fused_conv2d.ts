import type { FusedConv2DAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { conv2d } from './conv2d.js';
import { applyEpilogue } from './fused_epilogue.js';

export const fusedConv2d: CpuKernel<FusedConv2DAttrs> = ([x, f, bias], attrs, [out]) => applyEpilogue(conv2d([x!, f!], attrs, [out!])[0]!, bias!, attrs.activation, out!);
