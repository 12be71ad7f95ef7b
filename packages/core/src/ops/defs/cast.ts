import { isNumeric, type DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';

export interface CastAttrs {
  dtype: DType;
}

/** Type conversion: float→int truncates toward zero, anything→bool is x != 0 (TensorFlow's cast). */
export const castDef: OpDef<CastAttrs> = {
  id: 'cast',
  infer([x], { dtype }) {
    if (!isNumeric(x!.dtype) || !isNumeric(dtype)) throw new OpError('cast', `can cast between float32, int32 and bool only; found ${x!.dtype} → ${dtype}`);
    return [{ shape: x!.shape, dtype }];
  },
  reference([x], { dtype }) {
    const v = num(x!);
    const out = v.map((e) => (dtype === 'bool' ? (e !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc(e) : Math.fround(e)));
    return [{ shape: x!.shape, dtype, values: out }];
  },
  vjp: ({ inputs: [x], dys: [dy] }) => [x!.dtype === 'float32' && dy!.dtype === 'float32' ? dy! : null],
  samples: [
    { inputs: [{ shape: [2, 3], range: [-3, 3] }], attrs: { dtype: 'int32' }, noGrad: true },
    { inputs: [{ shape: [4], dtype: 'int32', range: [-3, 3] }], attrs: { dtype: 'float32' }, noGrad: true },
    { inputs: [{ shape: [4], range: [-1, 1] }], attrs: { dtype: 'bool' }, noGrad: true },
    { inputs: [{ shape: [3], dtype: 'bool' }], attrs: { dtype: 'float32' }, noGrad: true },
    { inputs: [{ shape: [2, 2] }], attrs: { dtype: 'float32' } },
    {
      name: 'truncates toward zero',
      inputs: [{ shape: [4], dtype: 'float32', values: [-1.7, -0.2, 0.9, 2.5] }],
      attrs: { dtype: 'int32' },
      expected: [{ shape: [4], dtype: 'int32', values: [-1, 0, 0, 2] }],
      noGrad: true,
    },
  ],
};
