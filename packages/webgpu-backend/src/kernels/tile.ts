import { stridesOf, type TileAttrs } from '@eagerflow/core';
import type { WebGpuKernel } from '../kernel.js';
import { stridedCopy } from './strided_copy.js';

/** The output seen as [m0, d0, m1, d1, …] reads x with stride 0 along each multiples axis. */
export const tile: WebGpuKernel<TileAttrs> = (ctx, [x], { multiples }, [out]) => {
  const dst = ctx.output(out!);
  const xs = stridesOf(x!.shape);
  const shape = x!.shape.flatMap((d, i) => [multiples[i]!, d]);
  stridedCopy(ctx, x!.buf, 0, xs.flatMap((s) => [0, s]), dst, 0, stridesOf(shape), shape);
  return [dst];
};
