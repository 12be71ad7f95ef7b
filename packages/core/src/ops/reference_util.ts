import type { DType } from '../dtype.js';
import { broadcastStrides, sizeOf, stridesOf, type Shape } from '../shape.js';
import type { HostTensor } from './op_def.js';

/** Flat float64 view of a host tensor's values (bools and ints as numbers). */
export function num(t: HostTensor): Float64Array {
  const v = t.values;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number(v[i]);
  return out;
}

export function host(shape: Shape, dtype: DType, values: ArrayLike<number>): HostTensor {
  return { shape: [...shape], dtype, values: Float64Array.from(values) };
}

/** Applies `fn` over broadcast inputs (float64), as numpy would. */
export function broadcastMap(inputs: readonly HostTensor[], outShape: Shape, fn: (...xs: number[]) => number): Float64Array {
  const n = sizeOf(outShape);
  const rank = outShape.length;
  const vals = inputs.map(num);
  const strides = inputs.map((t) => broadcastStrides(t.shape, outShape));
  const outStrides = stridesOf(outShape);
  const out = new Float64Array(n);
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) {
      let off = 0;
      let rem = i;
      for (let d = 0; d < rank; d++) {
        const idx = Math.floor(rem / outStrides[d]!);
        rem -= idx * outStrides[d]!;
        off += idx * strides[k]![d]!;
      }
      args[k] = vals[k]![off]!;
    }
    out[i] = fn(...args);
  }
  return out;
}

/** Multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    idx[d] = s === 0 ? 0 : i % s;
    i = s === 0 ? 0 : Math.floor(i / s);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: Shape): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + idx[d]!;
  return off;
}
