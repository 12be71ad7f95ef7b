import { allocArray, sizeOf, stridesOf, type DataValues, type TransposeAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

/** Gathers `src` (shape `shape`) into the order `perm`; innermost output dim as a strided loop. */
export function permute(src: DataValues, shape: readonly number[], perm: readonly number[]): DataValues {
  const n = sizeOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const s = perm.map((p) => inStrides[p]!);
  const out = Array.isArray(src) ? new Array<Uint8Array>(n) : allocArray(dtypeOf(src), n);
  const r = outShape.length;
  if (n === 0) return out as DataValues;
  if (r === 0) {
    (out as unknown[])[0] = src[0];
    return out as DataValues;
  }
  const inner = outShape[r - 1]!;
  const innerStride = s[r - 1]!;
  const idx = new Int32Array(r);
  let base = 0;
  const o = out as unknown[];
  const x = src as unknown as unknown[];
  for (let p = 0; p < n; ) {
    for (let i = 0, q = base; i < inner; i++, q += innerStride) o[p++] = x[q];
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      base += s[d]!;
      if (idx[d]! < outShape[d]!) break;
      base -= s[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out as DataValues;
}

function dtypeOf(a: DataValues) {
  return a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : a instanceof BigInt64Array ? 'int64' : 'bool';
}

export const transpose: CpuKernel<TransposeAttrs> = ([x], { perm }) => [permute(x!.values, x!.shape, perm)];
