import { OpError } from '../../errors.js';
import type { Shape } from '../../shape.js';
import { transpose } from '../api/shape_ops.js';
import type { OpDef } from '../op_def.js';
import { ravel, unravel } from '../reference_util.js';

export interface TransposeAttrs {
  perm: readonly number[];
}

export function checkPerm(op: string, perm: readonly number[], rank: number): void {
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
    throw new OpError(op, `perm [${perm.join(',')}] is not a permutation of 0..${rank - 1}`);
  }
}

export const transposeDef: OpDef<TransposeAttrs> = {
  id: 'transpose',
  infer([x], { perm }) {
    checkPerm('transpose', perm, x!.shape.length);
    return [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }];
  },
  reference([x], { perm }) {
    const shape: Shape = perm.map((p) => x!.shape[p]!);
    const n = x!.values.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const idx = unravel(i, x!.shape);
      out[ravel(perm.map((p) => idx[p]!), shape)] = Number(x!.values[i]);
    }
    return [{ shape, dtype: x!.dtype, values: out }];
  },
  vjp: ({ dys: [dy], attrs: { perm } }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy!, inv)];
  },
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: { perm: [1, 0] } },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { perm: [2, 0, 1] } },
    { inputs: [{ shape: [2, 1, 3, 2] }], attrs: { perm: [0, 3, 1, 2] } },
    { inputs: [{ shape: [3, 4], dtype: 'int32', range: [-9, 9] }], attrs: { perm: [1, 0] }, noGrad: true },
  ],
};
