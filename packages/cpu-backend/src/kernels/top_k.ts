import { type TopKAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

/** a ranks above b: larger value; NaN above every number. */
const gt = (a: number, b: number): boolean => (a !== a ? b === b : b !== b ? false : a > b);

/**
 * Per row: for small k an insertion buffer of the best k seen so far (one pass, ties keep the
 * earlier index because only strictly better values move ahead); for large k a sort of indices.
 */
export const topK: CpuKernel<TopKAttrs> = ([x], { k }, [outV]) => {
  const n = x!.shape[x!.shape.length - 1]!;
  const rows = n === 0 ? 0 : x!.values.length / n;
  const v = x!.values as Float32Array;
  const values = allocArray(outV!.dtype, rows * k) as Float32Array;
  const indices = new Int32Array(rows * k);
  if (k === 0) return [values, indices];
  const bufV = new Float64Array(k);
  const bufI = new Int32Array(k);
  const order = k > 16 ? new Int32Array(n) : null;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const ov = r * k;
    if (order) {
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => {
        const ea = v[base + a]!;
        const eb = v[base + b]!;
        return gt(ea, eb) ? -1 : gt(eb, ea) ? 1 : a - b;
      });
      for (let j = 0; j < k; j++) {
        indices[ov + j] = order[j]!;
        values[ov + j] = v[base + order[j]!]!;
      }
      continue;
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      const e = v[base + i]!;
      if (count === k && !gt(e, bufV[k - 1]!)) continue;
      let j = count < k ? count++ : k - 1;
      while (j > 0 && gt(e, bufV[j - 1]!)) {
        bufV[j] = bufV[j - 1]!;
        bufI[j] = bufI[j - 1]!;
        j--;
      }
      bufV[j] = e;
      bufI[j] = i;
    }
    for (let j = 0; j < k; j++) {
      values[ov + j] = bufV[j]!;
      indices[ov + j] = bufI[j]!;
    }
  }
  return [values, indices];
};
