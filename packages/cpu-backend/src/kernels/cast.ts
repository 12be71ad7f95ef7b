import { castInt64Values, isInt64Cast, type CastAttrs, type TypedArray } from '@eagerflow/core';
import { allocArray, allocArrayUninit } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const cast: CpuKernel<CastAttrs> = ([x], { dtype }) => {
  // int64 on either side: core's host conversion (dtype.ts: wraps to int32, rounds to float32,
  // truncates and saturates from float32); the def's reference checks it with plain BigInt math.
  if (isInt64Cast(x!.dtype, dtype)) return [castInt64Values(x!.values as TypedArray, x!.dtype, dtype, allocArrayUninit(dtype, x!.values.length) as TypedArray)];
  const src = x!.values as Float32Array | Int32Array | Uint8Array;
  const out = allocArray(dtype, src.length) as Float32Array | Int32Array | Uint8Array;
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
  else out.set(src);
  return [out];
};
