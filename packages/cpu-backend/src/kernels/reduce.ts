import { sizeOf, type ReduceAttrs } from '@eagerflow/core';
import { allocArray, recycle } from '../pool.js';
import type { CpuKernel } from '../kernel.js';
import { permute } from './transpose.js';
import { simdGrad } from '../wasm/wasm_grad.js';

/** From this many values on, the column sums run in WebAssembly (wasm_grad.ts). */
const WASM_MIN_VALUES = 4096;

/**
 * Reduces the trailing `count` elements of each row. Reduced axes are first moved last
 * (a transpose only when they are not already trailing), then each row is folded.
 */
export const reduce: CpuKernel<ReduceAttrs> = ([x], { op, axes }, [out]) => {
  const rank = x!.shape.length;
  const kept = [...Array(rank).keys()].filter((d) => !axes.includes(d));
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  // Leading axes summed (a bias gradient: [n, h, w, c] → [c]): fold whole rows into float64
  // column sums in place, no transpose.
  const leading = axes.every((a, i) => a === i);
  if (leading && !trailing && (op === 'sum' || op === 'mean') && x!.values instanceof Float32Array) {
    const cols = sizeOf(kept.map((d) => x!.shape[d]!));
    const count = sizeOf(axes.map((d) => x!.shape[d]!));
    return [sumLeading(x!.values, count, cols, op === 'mean', allocArray(out!.dtype, cols) as Float32Array)];
  }
  const values = (trailing ? x!.values : permute(x!.values, x!.shape, [...kept, ...axes])) as Float32Array;
  const temp = values !== x!.values;
  const rows = sizeOf(kept.map((d) => x!.shape[d]!));
  const count = sizeOf(axes.map((d) => x!.shape[d]!));
  const res = allocArray(out!.dtype, rows) as Float32Array;
  for (let r = 0, base = 0; r < rows; r++, base += count) {
    let acc: number;
    switch (op) {
      case 'sum':
      case 'mean': {
        // Pairwise-ish: four partial sums keep float32 rounding error small on long rows.
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
        for (; i + 4 <= count; i += 4) {
          s0 += values[base + i]!;
          s1 += values[base + i + 1]!;
          s2 += values[base + i + 2]!;
          s3 += values[base + i + 3]!;
        }
        for (; i < count; i++) s0 += values[base + i]!;
        acc = s0 + s1 + s2 + s3;
        if (op === 'mean') acc = out!.dtype === 'int32' ? Math.trunc(acc / count) : acc / count;
        break;
      }
      case 'max':
        // Of nothing: the dtype's lowest value (TensorFlow's identity; -Infinity would store 0 in int32).
        acc = out!.dtype === 'int32' ? -2147483648 : -Infinity;
        for (let i = 0; i < count; i++) {
          const v = values[base + i]!;
          if (v > acc || Number.isNaN(v)) acc = v;
        }
        break;
      case 'min':
        acc = out!.dtype === 'int32' ? 2147483647 : Infinity;
        for (let i = 0; i < count; i++) {
          const v = values[base + i]!;
          if (v < acc || Number.isNaN(v)) acc = v;
        }
        break;
      case 'prod':
        acc = 1;
        for (let i = 0; i < count; i++) acc *= values[base + i]!;
        break;
      case 'all':
        acc = 1;
        for (let i = 0; i < count && acc; i++) acc = values[base + i]! ? 1 : 0;
        break;
      case 'any':
        acc = 0;
        for (let i = 0; i < count && !acc; i++) acc = values[base + i]! ? 1 : 0;
        break;
    }
    res[r] = acc;
  }
  if (temp) recycle(values);
  return [res];
};

/** res[j] = Σ_r x[r·cols + j] (÷ rows for the mean), accumulated in float64. */
function sumLeading(x: Float32Array, rows: number, cols: number, mean: boolean, res: Float32Array): Float32Array {
  const acc = new Float64Array(cols);
  if (cols === 1) {
    let s0 = 0, s1 = 0;
    let i = 0;
    for (; i + 2 <= rows; i += 2) {
      s0 += x[i]!;
      s1 += x[i + 1]!;
    }
    if (i < rows) s0 += x[i]!;
    acc[0] = s0 + s1;
  } else if (!(rows * cols >= WASM_MIN_VALUES && simdGrad()?.sumRows(x, rows, cols, acc))) {
    for (let r = 0, base = 0; r < rows; r++, base += cols) for (let j = 0; j < cols; j++) acc[j] = acc[j]! + x[base + j]!;
  }
  for (let j = 0; j < cols; j++) res[j] = mean ? acc[j]! / rows : acc[j]!;
  return res;
}
