import { OpError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { reduceSum } from '../api/reduce.js';
import { reshape } from '../api/shape_ops.js';
import type { OpDef } from '../op_def.js';
import { num, unravel } from '../reference_util.js';

export interface TileAttrs {
  multiples: readonly number[];
}

export function tileShape(shape: readonly number[], multiples: readonly number[]): number[] {
  if (multiples.length !== shape.length) throw new OpError('tile', `multiples has ${multiples.length} entries, expected one per dimension of ${fmtShape(shape)} (${shape.length})`);
  for (const m of multiples) if (!Number.isInteger(m) || m < 0) throw new OpError('tile', `multiples [${multiples.join(',')}] must hold non-negative integers`);
  return shape.map((d, i) => d * multiples[i]!);
}

/** Repeats the input `multiples[d]` times along each dimension d (TensorFlow's tile). */
export const tileDef: OpDef<TileAttrs> = {
  id: 'tile',
  infer([x], { multiples }) {
    return [{ shape: tileShape(x!.shape, multiples), dtype: x!.dtype }];
  },
  reference([x], { multiples }) {
    const shape = tileShape(x!.shape, multiples);
    const v = num(x!);
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) {
      const idx = unravel(i, shape);
      let off = 0;
      idx.forEach((k, d) => (off = off * x!.shape[d]! + (k % x!.shape[d]!)));
      out[i] = v[off]!;
    }
    return [{ shape, dtype: x!.dtype, values: out }];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs: { multiples } }) => {
    // dy viewed as [m0, d0, m1, d1, …]: sum over the multiples axes.
    const split = x!.shape.flatMap((d, i) => [multiples[i]!, d]);
    const axes = x!.shape.map((_, i) => 2 * i).filter((a) => split[a] !== 1);
    return [axes.length ? reshape(reduceSum(reshape(dy!, split), axes), x!.shape) : reshape(dy!, x!.shape)];
  },
  samples: [
    { inputs: [{ shape: [3] }], attrs: { multiples: [2] } },
    { inputs: [{ shape: [2, 3] }], attrs: { multiples: [2, 1] } },
    { name: 'both axes', inputs: [{ shape: [2, 1, 3] }], attrs: { multiples: [1, 3, 2] } },
    { name: 'zero multiple', inputs: [{ shape: [2, 2] }], attrs: { multiples: [0, 2] } },
    { name: 'scalar', inputs: [{ shape: [] }], attrs: { multiples: [] } },
    { name: 'int32', inputs: [{ shape: [2, 2], dtype: 'int32', range: [-5, 5] }], attrs: { multiples: [2, 3] }, noGrad: true },
    {
      name: 'documented values',
      inputs: [{ shape: [2], dtype: 'float32', values: [1, 2] }],
      attrs: { multiples: [3] },
      expected: [{ shape: [6], dtype: 'float32', values: [1, 2, 1, 2, 1, 2] }],
    },
  ],
};
