import type { FusedConv2DAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { conv2dWith } from './conv2d.js';
import { applyEpilogue } from './fused_epilogue.js';

/** The GEMM applies bias and relu as it stores its tiles; other activations run afterwards. */
export const fusedConv2d: CpuKernel<FusedConv2DAttrs> = ([x, f, bias], attrs, [out]) => {
  const { activation } = attrs;
  if (activation === 'linear' || activation === 'relu') return [conv2dWith(x!, f!, attrs, { bias: bias!.values as Float32Array, activation })];
  return applyEpilogue(conv2dWith(x!, f!, attrs), bias!, activation, out!);
};
