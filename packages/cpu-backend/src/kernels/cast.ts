import { type CastAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const cast: CpuKernel<CastAttrs> = ([x], { dtype }) => {
  const src = x!.values as Float32Array | Int32Array | Uint8Array;
  const out = allocArray(dtype, src.length) as Float32Array | Int32Array | Uint8Array;
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
  else out.set(src);
  return [out];
};
