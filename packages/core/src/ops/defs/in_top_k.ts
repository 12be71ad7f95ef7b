import { OpError, fmtShape } from '../../errors.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';

export interface InTopKAttrs {
  k: number;
}

export function checkInTopK(predictions: TensorInfo, targets: TensorInfo, k: number): void {
  if (predictions.dtype !== 'float32') throw new OpError('inTopK', `predictions must be float32, found ${predictions.dtype}`);
  if (targets.dtype !== 'int32') throw new OpError('inTopK', `targets must be int32, found ${targets.dtype}`);
  if (predictions.shape.length !== 2) throw new OpError('inTopK', `predictions must be [batch, classes], found ${fmtShape(predictions.shape)}`);
  if (targets.shape.length !== 1 || targets.shape[0] !== predictions.shape[0]) {
    throw new OpError('inTopK', `targets must be [batch] = [${predictions.shape[0]}], found ${fmtShape(targets.shape)}`);
  }
  if (!Number.isInteger(k)) throw new OpError('inTopK', `k must be an integer, found ${k}`);
}

/**
 * Whether each target class is among the k largest predictions of its row, TensorFlow's rule:
 * true when fewer than k classes have a strictly larger prediction (so ties at the boundary all
 * count as in the top k); false when the target is out of range or the row has a non-finite value.
 */
export function inTopKRow(row: ArrayLike<number>, offset: number, classes: number, target: number, k: number): boolean {
  if (!(target >= 0 && target < classes)) return false;
  const t = row[offset + target]!;
  if (!Number.isFinite(t)) return false;
  let larger = 0;
  for (let i = 0; i < classes; i++) {
    const p = row[offset + i]!;
    if (!Number.isFinite(p)) return false;
    if (p > t) larger++;
  }
  return larger < k;
}

export const inTopKDef: OpDef<InTopKAttrs> = {
  id: 'in_top_k',
  infer([p, t], { k }) {
    checkInTopK(p!, t!, k);
    return [{ shape: [p!.shape[0]!], dtype: 'bool' }];
  },
  reference([p, t], { k }) {
    const [batch, classes] = p!.shape as [number, number];
    const pv = num(p!);
    const tv = num(t!);
    const out = new Float64Array(batch);
    for (let b = 0; b < batch; b++) out[b] = inTopKRow(pv, b * classes, classes, tv[b]!, k) ? 1 : 0;
    return [{ shape: [batch], dtype: 'bool', values: out }];
  },
  samples: [
    { inputs: [{ shape: [6, 5] }, { shape: [6], dtype: 'int32', range: [0, 4] }], attrs: { k: 2 }, noGrad: true },
    { inputs: [{ shape: [4, 10] }, { shape: [4], dtype: 'int32', range: [0, 9] }], attrs: { k: 1 }, noGrad: true },
    {
      name: 'ties, range and non-finite',
      inputs: [
        { shape: [5, 4], dtype: 'float32', values: [0.1, 0.3, 0.3, 0.2, 0.5, 0.4, 0.4, 0.4, 1, 2, 3, 4, 1, NaN, 2, 3, 1, 2, 3, 4] },
        { shape: [5], dtype: 'int32', values: [2, 3, 4, 3, 0] },
      ],
      attrs: { k: 2 },
      expected: [{ shape: [5], dtype: 'bool', values: [1, 1, 0, 0, 0] }],
      noGrad: true,
    },
    {
      name: 'k = 0',
      inputs: [{ shape: [2, 3], dtype: 'float32', values: [1, 2, 3, 3, 2, 1] }, { shape: [2], dtype: 'int32', values: [2, 0] }],
      attrs: { k: 0 },
      expected: [{ shape: [2], dtype: 'bool', values: [0, 0] }],
      noGrad: true,
    },
  ],
};
