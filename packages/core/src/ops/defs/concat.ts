import { OpError, fmtShape } from '../../errors.js';
import { normAxis, sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { apply1 } from '../dispatch.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';
import { splitOp } from './split.js';

export interface ConcatAttrs {
  /** May be negative. */
  axis: number;
}

export function concatShape(inputs: readonly TensorInfo[], axis: number): { axis: number; shape: number[] } {
  if (inputs.length === 0) throw new OpError('concat', 'expected at least one tensor, found none');
  const first = inputs[0]!;
  const r = first.shape.length;
  if (r === 0) throw new OpError('concat', 'cannot concatenate scalars (rank 0); use stack');
  const a = normAxis('concat', axis, r);
  let total = 0;
  inputs.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new OpError('concat', `tensor ${i} has dtype ${t.dtype}, tensor 0 has ${first.dtype}`);
    if (t.shape.length !== r || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new OpError('concat', `tensor ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(first.shape.map((d, k) => (k === a ? -1 : d)))} (any size on axis ${a})`);
    }
    total += t.shape[a]!;
  });
  return { axis: a, shape: first.shape.map((d, k) => (k === a ? total : d)) };
}

/** Joins tensors along an existing axis (TensorFlow's concat). */
export const concatDef: OpDef<ConcatAttrs> = {
  id: 'concat',
  infer(inputs, { axis }) {
    return [{ shape: concatShape(inputs, axis).shape, dtype: inputs[0]!.dtype }];
  },
  reference(inputs, { axis }) {
    const { axis: a, shape } = concatShape(inputs, axis);
    const outer = sizeOf(shape.slice(0, a));
    const inner = sizeOf(shape.slice(a + 1));
    const out = new Float64Array(sizeOf(shape));
    let p = 0;
    const vals = inputs.map(num);
    for (let o = 0; o < outer; o++)
      inputs.forEach((t, k) => {
        const chunk = t.shape[a]! * inner;
        for (let i = 0; i < chunk; i++) out[p++] = vals[k]![o * chunk + i]!;
      });
    return [{ shape, dtype: inputs[0]!.dtype, values: out }];
  },
  vjp: ({ inputs, dys: [dy], attrs: { axis } }) => {
    const { axis: a } = concatShape(inputs, axis);
    return splitOp(dy!, inputs.map((t) => t.shape[a]!), a);
  },
  samples: [
    { inputs: [{ shape: [2, 3] }, { shape: [2, 2] }], attrs: { axis: 1 } },
    { name: 'axis 0, three inputs', inputs: [{ shape: [1, 3] }, { shape: [2, 3] }, { shape: [3, 3] }], attrs: { axis: 0 } },
    { name: 'negative axis', inputs: [{ shape: [2, 2, 1] }, { shape: [2, 2, 3] }], attrs: { axis: -1 } },
    { name: 'middle axis', inputs: [{ shape: [2, 1, 3] }, { shape: [2, 2, 3] }], attrs: { axis: 1 } },
    { name: 'with empty', inputs: [{ shape: [2, 0] }, { shape: [2, 3] }], attrs: { axis: 1 } },
    { name: 'single', inputs: [{ shape: [4] }], attrs: { axis: 0 } },
    { name: 'int32', inputs: [{ shape: [2], dtype: 'int32', range: [-5, 5] }, { shape: [3], dtype: 'int32', range: [-5, 5] }], attrs: { axis: 0 }, noGrad: true },
    { name: 'bool', inputs: [{ shape: [1, 2], dtype: 'bool' }, { shape: [1, 2], dtype: 'bool' }], attrs: { axis: 0 }, noGrad: true },
  ],
};

export function concatOp(xs: readonly Tensor[], axis: number): Tensor {
  return apply1(concatDef, xs, { axis });
}

