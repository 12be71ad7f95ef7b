import { type DType, type DataValues } from '@eagerflow/core';
import { allocArray } from './pool.js';

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
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  const [s, o] = sameKind(src, dst);
  if (s instanceof Int32Array) copyLoopI32(s, srcOff, srcStrides, o as Int32Array, dstOff, dstStrides, shape, n);
  else if (s instanceof Uint8Array) copyLoopU8(s, srcOff, srcStrides, o as Uint8Array, dstOff, dstStrides, shape, n);
  else copyLoopAny(s as unknown as unknown[], srcOff, srcStrides, o as unknown as unknown[], dstOff, dstStrides, shape, n);
}

/**
 * Copies move bits, so every 4-byte dtype is seen through an Int32Array view (NaN payloads kept)
 * and the loops below stay monomorphic: one for 4-byte words, one for bytes, one for the rest.
 */
function sameKind(src: DataValues, dst: DataValues): [DataValues, DataValues] {
  if (src instanceof Float32Array && dst instanceof Float32Array) return [asI32(src), asI32(dst)];
  return [src, dst];
}

/** The array as the copy loops prefer it: float32 storage seen as Int32Array words (same bits). */
export function words(a: DataValues): DataValues {
  return a instanceof Float32Array ? asI32(a) : a;
}

function asI32(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

const LOOP = `
  const r = shape.length;
  if (r === 0) { o[dstOff] = s[srcOff]; return; }
  const inner = shape[r - 1];
  const si = srcStrides[r - 1];
  const di = dstStrides[r - 1];
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
      idx[d]++;
      sb += srcStrides[d];
      db += dstStrides[d];
      if (idx[d] < shape[d]) break;
      sb -= srcStrides[d] * shape[d];
      db -= dstStrides[d] * shape[d];
      idx[d] = 0;
    }
  }`;

type Loop<T> = (s: T, srcOff: number, srcStrides: readonly number[], o: T, dstOff: number, dstStrides: readonly number[], shape: readonly number[], n: number) => void;
// One compiled copy of the loop per element kind (separate functions keep type feedback monomorphic).
const makeLoop = <T>(): Loop<T> => new Function('s', 'srcOff', 'srcStrides', 'o', 'dstOff', 'dstStrides', 'shape', 'n', LOOP) as Loop<T>;
const copyLoopI32 = makeLoop<Int32Array>();
const copyLoopU8 = makeLoop<Uint8Array>();
const copyLoopAny = makeLoop<unknown[]>();

export function dtypeOf(a: DataValues): DType {
  return Array.isArray(a) ? 'string' : a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : a instanceof BigInt64Array ? 'int64' : 'bool';
}

/** A new array of the same kind as `like` (typed array or string list). */
export function allocLike(like: DataValues, n: number): DataValues {
  return allocArray(dtypeOf(like), n);
}

/**
 * dst[dstOff .. dstOff+n) = src[srcOff .. srcOff+n): short runs as a loop, long ones with set().
 * Callers copying many short runs pass `words()` views so the loop stays monomorphic.
 */
export function copyRange(dst: DataValues, dstOff: number, src: DataValues, srcOff: number, n: number): void {
  if (n <= 0) return;
  if (Array.isArray(dst) || Array.isArray(src)) {
    for (let i = 0; i < n; i++) (dst as unknown[])[dstOff + i] = (src as unknown[])[srcOff + i];
  } else if (n < 256 && src instanceof Int32Array && dst instanceof Int32Array) {
    runI32(dst, dstOff, src, srcOff, n);
  } else if (n < 256 && src instanceof Uint8Array && dst instanceof Uint8Array) {
    runU8(dst, dstOff, src, srcOff, n);
  } else {
    (dst as Float32Array).set((src as Float32Array).subarray(srcOff, srcOff + n), dstOff);
  }
}

type Run<T> = (d: T, dstOff: number, s: T, srcOff: number, n: number) => void;
const RUN = 'for (let i = 0; i < n; i++) d[dstOff + i] = s[srcOff + i];';
const runI32 = new Function('d', 'dstOff', 's', 'srcOff', 'n', RUN) as Run<Int32Array>;
const runU8 = new Function('d', 'dstOff', 's', 'srcOff', 'n', RUN) as Run<Uint8Array>;
