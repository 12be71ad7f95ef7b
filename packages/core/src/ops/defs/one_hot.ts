import type { DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';

export interface OneHotAttrs {
  depth: number;
  onValue: number;
  offValue: number;
  /** Where the new depth axis goes; -1 = last. */
  axis: number;
  dtype: DType;
}

export function oneHotLayout(indices: TensorInfo, { depth, axis, dtype, onValue, offValue }: OneHotAttrs): { shape: number[]; outer: number; inner: number } {
  if (indices.dtype !== 'int32') throw new OpError('oneHot', `indices must be int32, found ${indices.dtype}`);
  if (!Number.isInteger(depth) || depth < 0) throw new OpError('oneHot', `depth must be a non-negative integer, found ${depth}`);
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new OpError('oneHot', `dtype must be float32, int32 or bool, found ${dtype}`);
  for (const [n, v] of [['onValue', onValue], ['offValue', offValue]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v) || (dtype !== 'float32' && !Number.isInteger(v))) throw new OpError('oneHot', `${n} ${v} does not fit dtype ${dtype}`);
  }
  const r = indices.shape.length;
  if (!Number.isInteger(axis) || axis < -1 || axis > r) throw new OpError('oneHot', `axis ${axis} is out of range for indices of rank ${r} (expected -1 or in [0, ${r}])`);
  const a = axis === -1 ? r : axis;
  return {
    shape: [...indices.shape.slice(0, a), depth, ...indices.shape.slice(a)],
    outer: sizeOf(indices.shape.slice(0, a)),
    inner: sizeOf(indices.shape.slice(a)),
  };
}

/** One-hot encoding; indices outside [0, depth) give a row of offValue (TensorFlow's rule). */
export const oneHotDef: OpDef<OneHotAttrs> = {
  id: 'one_hot',
  infer([indices], attrs) {
    return [{ shape: oneHotLayout(indices!, attrs).shape, dtype: attrs.dtype }];
  },
  reference([indices], attrs) {
    const { shape, outer, inner } = oneHotLayout(indices!, attrs);
    const iv = num(indices!);
    const out = new Float64Array(sizeOf(shape)).fill(attrs.offValue);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const v = iv[o * inner + i]!;
        if (v >= 0 && v < attrs.depth) out[(o * attrs.depth + v) * inner + i] = attrs.onValue;
      }
    return [{ shape, dtype: attrs.dtype, values: out }];
  },
  samples: [
    { inputs: [{ shape: [5], dtype: 'int32', range: [-1, 4] }], attrs: { depth: 4, onValue: 1, offValue: 0, axis: -1, dtype: 'float32' }, noGrad: true },
    { name: 'axis 0', inputs: [{ shape: [2, 3], dtype: 'int32', range: [0, 2] }], attrs: { depth: 3, onValue: 5, offValue: -1, axis: 0, dtype: 'int32' }, noGrad: true },
    { name: 'middle axis', inputs: [{ shape: [2, 3], dtype: 'int32', range: [0, 3] }], attrs: { depth: 3, onValue: 1, offValue: 0, axis: 1, dtype: 'bool' }, noGrad: true },
    { name: 'scalar index', inputs: [{ shape: [], dtype: 'int32', values: [2] }], attrs: { depth: 3, onValue: 1, offValue: 0, axis: -1, dtype: 'float32' }, noGrad: true },
    {
      name: 'out of range rows are off',
      inputs: [{ shape: [3], dtype: 'int32', values: [0, 3, -1] }],
      attrs: { depth: 3, onValue: 0.5, offValue: 0.1, axis: -1, dtype: 'float32' },
      expected: [{ shape: [3, 3], dtype: 'float32', values: [0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] }],
      noGrad: true,
    },
  ],
};
