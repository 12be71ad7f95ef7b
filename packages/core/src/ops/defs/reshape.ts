import { OpError, fmtShape } from '../../errors.js';
import { sizeOf, type Shape } from '../../shape.js';
import { reshape } from '../api/shape_ops.js';
import type { OpDef } from '../op_def.js';

export interface ReshapeAttrs {
  shape: Shape;
}

/** Resolves one -1 in `shape` against `size` elements. */
export function resolveReshape(op: string, from: Shape, shape: Shape): number[] {
  const size = sizeOf(from);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new OpError(op, `shape ${fmtShape(shape)} has more than one -1`);
  for (const d of shape) if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new OpError(op, `shape ${fmtShape(shape)} has invalid dimension ${d}`);
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (sizeOf(out) !== size || !out.every(Number.isInteger)) {
    throw new OpError(op, `cannot reshape ${fmtShape(from)} (${size} elements) to ${fmtShape(shape)}`);
  }
  return out;
}

/** Same data, new shape: output shares the input's storage. */
export const reshapeDef: OpDef<ReshapeAttrs> = {
  id: 'reshape',
  aliasesInput: true,
  infer([x], { shape }) {
    return [{ shape: resolveReshape('reshape', x!.shape, shape), dtype: x!.dtype }];
  },
  reference([x], { shape }) {
    return [{ shape: resolveReshape('reshape', x!.shape, shape), dtype: x!.dtype, values: x!.values }];
  },
  vjp: ({ inputs: [x], dys: [dy] }) => [reshape(dy!, x!.shape)],
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: { shape: [3, 2] } },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { shape: [-1, 4] } },
    { inputs: [{ shape: [6] }], attrs: { shape: [1, 6, 1] } },
  ],
};
