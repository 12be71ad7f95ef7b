import { sizeOf, stridesOf, type DataValues, type TransposeAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocLike, stridedCopy } from '../strided.js';

/** Gathers `src` (shape `shape`) into the order `perm`; innermost output dim as a strided loop. */
export function permute(src: DataValues, shape: readonly number[], perm: readonly number[]): DataValues {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const out = allocLike(src, sizeOf(shape));
  stridedCopy(src, 0, perm.map((p) => inStrides[p]!), out, 0, stridesOf(outShape), outShape);
  return out;
}

export const transpose: CpuKernel<TransposeAttrs> = ([x], { perm }) => [permute(x!.values, x!.shape, perm)];
