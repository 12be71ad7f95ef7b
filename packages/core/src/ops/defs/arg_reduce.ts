import { OpError } from '../../errors.js';
import { normAxis } from '../../shape.js';
import type { OpDef } from '../op_def.js';
import { num, ravel, unravel } from '../reference_util.js';

export interface ArgReduceAttrs {
  op: 'max' | 'min';
  axis: number;
}

/** argMax / argMin along one axis; ties pick the first index (TensorFlow's rule). */
export const argReduceDef: OpDef<ArgReduceAttrs> = {
  id: 'arg_reduce',
  infer([x], { op, axis }) {
    const name = op === 'max' ? 'argMax' : 'argMin';
    if (x!.dtype !== 'float32' && x!.dtype !== 'int32') throw new OpError(name, `input must be float32 or int32, found ${x!.dtype}`);
    if (x!.shape.length === 0) throw new OpError(name, 'input must have rank >= 1, found a scalar');
    const a = normAxis(name, axis, x!.shape.length);
    if (x!.shape[a] === 0) throw new OpError(name, `axis ${axis} has size 0`);
    return [{ shape: x!.shape.filter((_, i) => i !== a), dtype: 'int32' }];
  },
  reference([x], { op, axis }) {
    const a = axis < 0 ? axis + x!.shape.length : axis;
    const outShape = x!.shape.filter((_, i) => i !== a);
    const n = outShape.reduce((p, d) => p * d, 1);
    const best = new Float64Array(n).fill(op === 'max' ? -Infinity : Infinity);
    const arg = new Float64Array(n).fill(-1);
    const v = num(x!);
    for (let i = 0; i < v.length; i++) {
      const idx = unravel(i, x!.shape);
      const o = ravel(idx.filter((_, d) => d !== a), outShape);
      const e = v[i]!;
      if (arg[o] === -1 || (op === 'max' ? e > best[o]! : e < best[o]!)) {
        best[o] = e;
        arg[o] = idx[a]!;
      }
    }
    return [{ shape: outShape, dtype: 'int32', values: arg }];
  },
  samples: [
    { inputs: [{ shape: [3, 5] }], attrs: { op: 'max', axis: 1 }, noGrad: true },
    { inputs: [{ shape: [3, 5] }], attrs: { op: 'min', axis: 0 }, noGrad: true },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { op: 'max', axis: -2 }, noGrad: true },
    { name: 'ties pick first', inputs: [{ shape: [4], dtype: 'float32', values: [1, 3, 3, 0] }], attrs: { op: 'max', axis: 0 }, expected: [{ shape: [], dtype: 'int32', values: [1] }], noGrad: true },
  ],
};
