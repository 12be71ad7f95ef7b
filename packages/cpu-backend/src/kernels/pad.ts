import { defs, sizeOf, stridesOf, type PadAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';
import { stridedCopy } from '../strided.js';

/**
 * CONSTANT: fill, then copy the input into the interior window. REFLECT / SYMMETRIC: per-dimension
 * source maps; the innermost dimension is a loop over its map, outer ones advance an odometer.
 */
export const pad: CpuKernel<PadAttrs> = ([x], { paddings, mode, constantValue }, [out]) => {
  const shape = out!.shape;
  const n = sizeOf(shape);
  const res = allocArray(out!.dtype, n) as Float32Array;
  const src = x!.values as Float32Array;
  const outStrides = stridesOf(shape);
  if (mode === 'CONSTANT') {
    if (constantValue !== 0) res.fill(out!.dtype === 'bool' ? (constantValue ? 1 : 0) : constantValue);
    let off = 0;
    paddings.forEach(([b], d) => (off += b * outStrides[d]!));
    stridedCopy(src, 0, stridesOf(x!.shape), res, off, outStrides, x!.shape);
    return [res];
  }
  const r = shape.length;
  if (n === 0) return [res];
  if (r === 0) {
    res[0] = src[0]!;
    return [res];
  }
  const inStrides = stridesOf(x!.shape);
  const maps = x!.shape.map((d, i) => defs.padSourceMap(d, paddings[i]![0], paddings[i]![1], mode));
  const last = maps[r - 1]!;
  const inner = shape[r - 1]!;
  const idx = new Int32Array(r);
  let base = 0;
  for (let d = 0; d < r - 1; d++) base += maps[d]![0]! * inStrides[d]!;
  for (let p = 0; p < n; ) {
    for (let i = 0; i < inner; i++) res[p++] = src[base + last[i]!]!;
    for (let d = r - 2; d >= 0; d--) {
      const m = maps[d]!;
      base -= m[idx[d]!]! * inStrides[d]!;
      idx[d]!++;
      if (idx[d]! < shape[d]!) {
        base += m[idx[d]!]! * inStrides[d]!;
        break;
      }
      idx[d] = 0;
      base += m[0]! * inStrides[d]!;
    }
  }
  return [res];
};
