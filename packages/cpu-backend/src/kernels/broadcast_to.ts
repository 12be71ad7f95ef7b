import { broadcastStrides, sizeOf, type BroadcastToAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const broadcastTo: CpuKernel<BroadcastToAttrs> = ([x], { shape }, [out]) => {
  const n = sizeOf(shape);
  const res = allocArray(out!.dtype, n) as Float32Array;
  const src = x!.values as Float32Array;
  const r = shape.length;
  if (n === 0) return [res];
  if (r === 0) {
    res[0] = src[0]!;
    return [res];
  }
  const s = broadcastStrides(x!.shape, shape);
  const inner = shape[r - 1]!;
  const is = s[r - 1]!;
  const idx = new Int32Array(r);
  let base = 0;
  for (let p = 0; p < n; ) {
    for (let i = 0, q = base; i < inner; i++, q += is) res[p++] = src[q]!;
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      base += s[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= s[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return [res];
};
