import { sizeOf, type FillAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const fill: CpuKernel<FillAttrs> = (_inputs, { shape, value, dtype }) => {
  const out = allocArray(dtype, sizeOf(shape)) as Float32Array;
  if (value !== 0) out.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return [out];
};
