import { OpError, fmtShape } from '../../errors.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';

/** Sum of a list of tensors of one shape and dtype (TensorFlow's add_n: no broadcasting). */
export const addNDef: OpDef<Record<string, never>> = {
  id: 'add_n',
  infer(inputs) {
    if (inputs.length === 0) throw new OpError('addN', 'expected at least one tensor, found none');
    const first = inputs[0]!;
    if (first.dtype !== 'float32' && first.dtype !== 'int32') throw new OpError('addN', `inputs must be float32 or int32, found ${first.dtype}`);
    inputs.forEach((t, i) => {
      if (t.dtype !== first.dtype) throw new OpError('addN', `tensor ${i} has dtype ${t.dtype}, tensor 0 has ${first.dtype}`);
      if (t.shape.length !== first.shape.length || t.shape.some((d, k) => d !== first.shape[k])) {
        throw new OpError('addN', `tensor ${i} has shape ${fmtShape(t.shape)}, tensor 0 has ${fmtShape(first.shape)} (addN does not broadcast)`);
      }
    });
    return [{ shape: first.shape, dtype: first.dtype }];
  },
  reference(inputs) {
    const vals = inputs.map(num);
    const out = new Float64Array(vals[0]!.length);
    for (const v of vals) for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
    if (inputs[0]!.dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = out[i]! | 0;
    return [{ shape: inputs[0]!.shape, dtype: inputs[0]!.dtype, values: out }];
  },
  vjp: ({ inputs, dys: [dy] }) => inputs.map(() => dy!),
  samples: [
    { inputs: [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [2, 3] }], attrs: {} },
    { name: 'one', inputs: [{ shape: [4] }], attrs: {} },
    { name: 'scalars', inputs: [{ shape: [] }, { shape: [] }], attrs: {} },
    { name: 'many', inputs: Array.from({ length: 6 }, () => ({ shape: [5] })), attrs: {} },
    { name: 'int32', inputs: [{ shape: [3], dtype: 'int32', range: [-9, 9] }, { shape: [3], dtype: 'int32', range: [-9, 9] }], attrs: {}, noGrad: true },
  ],
};
