import { OpError, fmtShape } from '../../errors.js';
import { broadcastShapes, shapesEqual, type Shape } from '../../shape.js';
import { sumToShape } from '../api/reduce.js';
import type { OpDef } from '../op_def.js';
import { broadcastMap } from '../reference_util.js';

export interface BroadcastToAttrs {
  shape: Shape;
}

export const broadcastToDef: OpDef<BroadcastToAttrs> = {
  id: 'broadcast_to',
  infer([x], { shape }) {
    const out = broadcastShapes('broadcastTo', x!.shape, shape);
    if (!shapesEqual(out, shape)) throw new OpError('broadcastTo', `cannot broadcast ${fmtShape(x!.shape)} to ${fmtShape(shape)}`);
    return [{ shape, dtype: x!.dtype }];
  },
  reference([x], { shape }) {
    return [{ shape, dtype: x!.dtype, values: broadcastMap([x!], shape, (v) => v) }];
  },
  vjp: ({ inputs: [x], dys: [dy] }) => [sumToShape(dy!, x!.shape)],
  samples: [
    { inputs: [{ shape: [3] }], attrs: { shape: [2, 3] } },
    { inputs: [{ shape: [2, 1] }], attrs: { shape: [2, 4] } },
    { inputs: [{ shape: [] }], attrs: { shape: [2, 2, 2] } },
    { inputs: [{ shape: [1, 3], dtype: 'int32', range: [0, 9] }], attrs: { shape: [2, 3] }, noGrad: true },
  ],
};
