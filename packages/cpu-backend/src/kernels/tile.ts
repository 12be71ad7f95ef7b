import { sizeOf, stridesOf, type TileAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, stridedCopy } from '../strided.js';

/** The output seen as [m0, d0, m1, d1, …] reads x with stride 0 along each multiples axis. */
export const tile: CpuKernel<TileAttrs> = ([x], { multiples }, [out]) => {
  const res = allocLike(x!.values, sizeOf(out!.shape));
  const inStrides = stridesOf(x!.shape);
  const shape = x!.shape.flatMap((d, i) => [multiples[i]!, d]);
  const src = inStrides.flatMap((s) => [0, s]);
  stridedCopy(x!.values, 0, src, res, 0, stridesOf(shape), shape);
  return [res];
};
