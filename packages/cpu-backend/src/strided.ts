import { allocArray, type DType, type DataValues } from '@eagerflow/core';

/** Element storage as the copy loops see it (typed arrays, or byte strings for 'string'). */
type Elems = { [i: number]: unknown; readonly length: number };

/**
 * dst[dstOff + Σ i_d·dstStrides_d] = src[srcOff + Σ i_d·srcStrides_d] for every index i of `shape`.
 * The innermost dimension runs as a plain strided loop; outer dimensions advance two running
 * offsets like an odometer (no per-element unravel). Strides may be 0 (broadcast) or negative
 * (reversal). Gathers (slice, tile, transpose, reverse) pass a contiguous dst, scatters
 * (slice gradient, pad) a contiguous src.
 */
export function stridedCopy(
  src: DataValues,
  srcOff: number,
  srcStrides: readonly number[],
  dst: DataValues,
  dstOff: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  const r = shape.length;
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  const s = src as unknown as Elems;
  const o = dst as unknown as Elems as { [i: number]: unknown };
  if (r === 0) {
    o[dstOff] = s[srcOff];
    return;
  }
  const inner = shape[r - 1]!;
  const si = srcStrides[r - 1]!;
  const di = dstStrides[r - 1]!;
  const outer = n / inner;
  const idx = new Int32Array(r);
  let sb = srcOff;
  let db = dstOff;
  for (let k = 0; k < outer; k++) {
    if (si === 1 && di === 1) {
      for (let i = 0; i < inner; i++) o[db + i] = s[sb + i];
    } else {
      for (let i = 0, p = sb, q = db; i < inner; i++, p += si, q += di) o[q] = s[p];
    }
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      sb += srcStrides[d]!;
      db += dstStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      sb -= srcStrides[d]! * shape[d]!;
      db -= dstStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function dtypeOf(a: DataValues): DType {
  return Array.isArray(a) ? 'string' : a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : a instanceof BigInt64Array ? 'int64' : 'bool';
}

/** A new array of the same kind as `like` (typed array or string list). */
export function allocLike(like: DataValues, n: number): DataValues {
  return allocArray(dtypeOf(like), n);
}

/** dst[dstOff .. dstOff+n) = src[srcOff .. srcOff+n) (typed-array set where possible). */
export function copyRange(dst: DataValues, dstOff: number, src: DataValues, srcOff: number, n: number): void {
  if (n <= 0) return;
  if (Array.isArray(dst) || Array.isArray(src)) {
    for (let i = 0; i < n; i++) (dst as unknown[])[dstOff + i] = (src as unknown[])[srcOff + i];
  } else if (n < 16) {
    const d = dst as Float32Array;
    const s = src as Float32Array;
    for (let i = 0; i < n; i++) d[dstOff + i] = s[srcOff + i]!;
  } else {
    (dst as Float32Array).set((src as Float32Array).subarray(srcOff, srcOff + n), dstOff);
  }
}
