import { OpError, fmtShape } from '../../errors.js';
import { normAxis, sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { apply } from '../dispatch.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';
import { concatOp } from './concat.js';

export interface SplitAttrs {
  /** Resolved sizes along the axis (they sum to its length). */
  sizes: readonly number[];
  /** May be negative. */
  axis: number;
}

export function splitAxis(x: TensorInfo, { sizes, axis }: SplitAttrs): number {
  if (x.shape.length === 0) throw new OpError('split', 'cannot split a scalar (rank 0)');
  const a = normAxis('split', axis, x.shape.length);
  if (sizes.length === 0) throw new OpError('split', 'sizes must not be empty');
  for (const s of sizes) if (!Number.isInteger(s) || s < 0) throw new OpError('split', `sizes [${sizes.join(',')}] must hold non-negative integers`);
  const total = sizes.reduce((p, s) => p + s, 0);
  if (total !== x.shape[a]) throw new OpError('split', `sizes [${sizes.join(',')}] sum to ${total}, but axis ${axis} of ${fmtShape(x.shape)} has ${x.shape[a]}`);
  return a;
}

/** Splits along one axis into pieces of the given sizes (the inverse of concat). */
export const splitDef: OpDef<SplitAttrs> = {
  id: 'split',
  infer([x], attrs) {
    const a = splitAxis(x!, attrs);
    return attrs.sizes.map((s) => ({ shape: x!.shape.map((d, k) => (k === a ? s : d)), dtype: x!.dtype }));
  },
  reference([x], attrs) {
    const a = splitAxis(x!, attrs);
    const outer = sizeOf(x!.shape.slice(0, a));
    const inner = sizeOf(x!.shape.slice(a + 1));
    const v = num(x!);
    const row = x!.shape[a]! * inner;
    let start = 0;
    return attrs.sizes.map((s) => {
      const shape = x!.shape.map((d, k) => (k === a ? s : d));
      const out = new Float64Array(sizeOf(shape));
      let p = 0;
      for (let o = 0; o < outer; o++) for (let i = 0; i < s * inner; i++) out[p++] = v[o * row + start * inner + i]!;
      start += s;
      return { shape, dtype: x!.dtype, values: out };
    });
  },
  vjp: ({ inputs: [x], dys, attrs }) => [concatOp(dys, splitAxis(x!, attrs))],
  samples: [
    { inputs: [{ shape: [2, 5] }], attrs: { sizes: [2, 3], axis: 1 } },
    { name: 'three equal on axis 0', inputs: [{ shape: [6, 2] }], attrs: { sizes: [2, 2, 2], axis: 0 } },
    { name: 'negative axis, empty piece', inputs: [{ shape: [2, 2, 4] }], attrs: { sizes: [1, 0, 3], axis: -1 } },
    { name: 'middle axis', inputs: [{ shape: [2, 3, 2] }], attrs: { sizes: [1, 2], axis: -2 } },
    { name: 'one piece', inputs: [{ shape: [3] }], attrs: { sizes: [3], axis: 0 } },
    { name: 'int32', inputs: [{ shape: [4, 2], dtype: 'int32', range: [-5, 5] }], attrs: { sizes: [3, 1], axis: 0 }, noGrad: true },
  ],
};

export function splitOp(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  return apply(splitDef, [x], { sizes: [...sizes], axis });
}
