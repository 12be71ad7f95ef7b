import { OpError } from '../../errors.js';
import { normAxis, sizeOf } from '../../shape.js';
import { apply1 } from '../dispatch.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';

export interface CumsumAttrs {
  /** May be negative. */
  axis: number;
  exclusive: boolean;
  reverse: boolean;
}

/** Cumulative sum along an axis; exclusive leaves each element out, reverse sums from the end. */
export const cumsumDef: OpDef<CumsumAttrs> = {
  id: 'cumsum',
  infer([x], { axis }) {
    if (x!.dtype !== 'float32' && x!.dtype !== 'int32') throw new OpError('cumsum', `input must be float32 or int32, found ${x!.dtype}`);
    if (x!.shape.length === 0) throw new OpError('cumsum', 'input must have rank >= 1, found a scalar');
    normAxis('cumsum', axis, x!.shape.length);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  reference([x], { axis, exclusive, reverse }) {
    const a = normAxis('cumsum', axis, x!.shape.length);
    const outer = sizeOf(x!.shape.slice(0, a));
    const len = x!.shape[a]!;
    const inner = sizeOf(x!.shape.slice(a + 1));
    const v = num(x!);
    const out = new Float64Array(v.length);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let t = 0; t < len; t++) {
          const k = reverse ? len - 1 - t : t;
          const at = (o * len + k) * inner + i;
          if (exclusive) {
            out[at] = acc;
            acc += v[at]!;
          } else {
            acc += v[at]!;
            out[at] = acc;
          }
        }
      }
    if (x!.dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = out[i]! | 0;
    return [{ shape: x!.shape, dtype: x!.dtype, values: out }];
  },
  vjp: ({ dys: [dy], attrs }) => [apply1(cumsumDef, [dy!], { ...attrs, reverse: !attrs.reverse })],
  samples: [
    { inputs: [{ shape: [5] }], attrs: { axis: 0, exclusive: false, reverse: false } },
    { inputs: [{ shape: [3, 4] }], attrs: { axis: 1, exclusive: true, reverse: false } },
    { inputs: [{ shape: [3, 4] }], attrs: { axis: 0, exclusive: false, reverse: true } },
    { name: 'negative axis, exclusive reverse', inputs: [{ shape: [2, 3, 4] }], attrs: { axis: -2, exclusive: true, reverse: true } },
    { name: 'empty axis', inputs: [{ shape: [2, 0] }], attrs: { axis: 1, exclusive: false, reverse: false } },
    { name: 'int32', inputs: [{ shape: [2, 5], dtype: 'int32', range: [-9, 9] }], attrs: { axis: 1, exclusive: false, reverse: false }, noGrad: true },
    {
      name: 'documented values',
      inputs: [{ shape: [3], dtype: 'float32', values: [1, 2, 3] }],
      attrs: { axis: 0, exclusive: true, reverse: true },
      expected: [{ shape: [3], dtype: 'float32', values: [5, 3, 0] }],
    },
  ],
};
