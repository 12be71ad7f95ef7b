import { OpError } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { reshape } from '../api/shape_ops.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';
import { gatherGrad } from './gather.js';

export interface TopKAttrs {
  k: number;
  /** Accepted for TensorFlow compatibility; results are always sorted (a valid unsorted order too). */
  sorted: boolean;
}

export function topKShape(x: TensorInfo, k: number): number[] {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new OpError('topK', `input must be float32 or int32, found ${x.dtype}`);
  const r = x.shape.length;
  if (r === 0) throw new OpError('topK', 'input must have rank >= 1, found a scalar');
  const n = x.shape[r - 1]!;
  if (!Number.isInteger(k) || k < 0 || k > n) throw new OpError('topK', `k must be an integer in [0, ${n}] (the last dimension), found ${k}`);
  return [...x.shape.slice(0, -1), k];
}

/**
 * The k largest entries of each row (last axis), largest first, with their indices; equal values
 * keep the lower index first (TensorFlow's order). NaN ranks above every number.
 */
export const topKDef: OpDef<TopKAttrs> = {
  id: 'top_k',
  infer([x], { k }) {
    const shape = topKShape(x!, k);
    return [
      { shape, dtype: x!.dtype },
      { shape, dtype: 'int32' },
    ];
  },
  reference([x], { k }) {
    const shape = topKShape(x!, k);
    const n = x!.shape[x!.shape.length - 1]!;
    const rows = sizeOf(x!.shape.slice(0, -1));
    const v = num(x!);
    const values = new Float64Array(rows * k);
    const indices = new Float64Array(rows * k);
    const key = (e: number) => (Number.isNaN(e) ? Infinity : e);
    for (let r = 0; r < rows; r++) {
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((a, b) => {
        const ea = v[r * n + a]!;
        const eb = v[r * n + b]!;
        if (Number.isNaN(ea) !== Number.isNaN(eb)) return Number.isNaN(ea) ? -1 : 1;
        return key(eb) - key(ea) || a - b;
      });
      for (let j = 0; j < k; j++) {
        indices[r * k + j] = order[j]!;
        values[r * k + j] = v[r * n + order[j]!]!;
      }
    }
    return [
      { shape, dtype: x!.dtype, values },
      { shape, dtype: 'int32', values: indices },
    ];
  },
  vjp: ({ inputs: [x], outputs: [, indices], dys: [dy] }) => {
    const n = x!.shape[x!.shape.length - 1]!;
    const rows = sizeOf(x!.shape.slice(0, -1));
    const k = indices!.shape[indices!.shape.length - 1]!;
    const g = gatherGrad(reshape(dy!, [rows, k]), reshape(indices!, [rows, k]), [rows, n], 1, 1);
    return [reshape(g, x!.shape)];
  },
  samples: [
    { inputs: [{ shape: [7] }], attrs: { k: 3, sorted: true } },
    { inputs: [{ shape: [3, 6] }], attrs: { k: 2, sorted: true } },
    { name: 'k = n', inputs: [{ shape: [2, 2, 5] }], attrs: { k: 5, sorted: true } },
    { name: 'k = 0', inputs: [{ shape: [2, 4] }], attrs: { k: 0, sorted: true } },
    { name: 'long row', inputs: [{ shape: [2, 300] }], attrs: { k: 4, sorted: false }, noGrad: true },
    { name: 'long row, large k', inputs: [{ shape: [1, 200] }], attrs: { k: 150, sorted: true }, noGrad: true },
    { name: 'int32', inputs: [{ shape: [3, 8], dtype: 'int32', range: [-3, 3] }], attrs: { k: 4, sorted: true }, noGrad: true },
    {
      name: 'NaN ranks first, lower index first among NaNs',
      inputs: [{ shape: [2, 5], dtype: 'float32', values: [1, NaN, Infinity, NaN, -1, 2, 1, NaN, 3, 0] }],
      attrs: { k: 4, sorted: true },
      expected: [
        { shape: [2, 4], dtype: 'float32', values: [NaN, NaN, Infinity, 1, NaN, 3, 2, 1] },
        { shape: [2, 4], dtype: 'int32', values: [1, 3, 2, 0, 2, 3, 0, 1] },
      ],
      noGrad: true,
    },
    {
      name: 'ties keep the lower index',
      inputs: [{ shape: [2, 4], dtype: 'float32', values: [1, 3, 3, 2, 5, 5, 5, 5] }],
      attrs: { k: 3, sorted: true },
      expected: [
        { shape: [2, 3], dtype: 'float32', values: [3, 3, 2, 5, 5, 5] },
        { shape: [2, 3], dtype: 'int32', values: [1, 2, 3, 0, 1, 2] },
      ],
      noGrad: true,
    },
  ],
};
