import { OpError, fmtShape } from '../../errors.js';
import * as E from '../api/elementwise.js';
import { reduceSum } from '../api/reduce.js';
import type { Tensor } from '../../tensor.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';

export type SoftmaxAttrs = Record<string, never>;

export function checkLogits(op: string, arg: string, t: TensorInfo | undefined): number {
  if (!t) throw new OpError(op, `missing input '${arg}'`);
  if (t.dtype !== 'float32') throw new OpError(op, `${arg} must be float32, found ${t.dtype}`);
  if (t.shape.length < 1) throw new OpError(op, `${arg} must have rank >= 1 (classes on the last axis), found shape ${fmtShape(t.shape)}`);
  return t.shape[t.shape.length - 1]!;
}

/** Row-wise over the last axis in float64: calls fn(rowStart, max, sumExp) per row. */
export function forEachRow(values: Float64Array, c: number, fn: (base: number, max: number, sumExp: number) => void): void {
  for (let base = 0; base + c <= values.length && c > 0; base += c) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, values[base + j]!);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(values[base + j]! - max);
    fn(base, max, sum);
  }
}

/**
 * infer and float64 reference of an op mapping logits to an equal-shaped float32 output row by row
 * over the last axis: `row(v, y, base, c, max, sumExp)` writes y[base .. base + c).
 */
export function rowwiseLogitsOp(
  op: string,
  row: (v: Float64Array, y: Float64Array, base: number, c: number, max: number, sumExp: number) => void,
): Pick<OpDef<SoftmaxAttrs>, 'infer' | 'reference'> {
  return {
    infer([x]) {
      checkLogits(op, 'logits', x);
      return [{ shape: [...x!.shape], dtype: 'float32' }];
    },
    reference([x]) {
      const v = num(x!);
      const c = x!.shape[x!.shape.length - 1]!;
      const y = new Float64Array(v.length);
      forEachRow(v, c, (b, max, sum) => row(v, y, b, c, max, sum));
      return [{ shape: x!.shape, dtype: 'float32', values: y }];
    },
  };
}

/** The softmax Jacobian applied to `dy`: y ⊙ (dy - Σ dy ⊙ y) over the last axis, for y = softmax(x). */
export function softmaxBackprop(y: Tensor, dy: Tensor): Tensor {
  return E.mul(y, E.sub(dy, reduceSum(E.mul(dy, y), -1, true)));
}

/** softmax over the last axis, computed as exp(x - max) / sum (TensorFlow's Softmax). */
export const softmaxDef: OpDef<SoftmaxAttrs> = {
  id: 'softmax',
  ...rowwiseLogitsOp('softmax', (v, y, b, c, max, sum) => {
    for (let j = 0; j < c; j++) y[b + j] = Math.exp(v[b + j]! - max) / sum;
  }),
  // dx = y ⊙ (dy - Σ dy ⊙ y)
  vjp: ({ outputs: [y], dys: [dy] }) => [softmaxBackprop(y!, dy!)],
  samples: [
    { inputs: [{ shape: [5] }], attrs: {} },
    { inputs: [{ shape: [3, 4] }], attrs: {} },
    { inputs: [{ shape: [2, 3, 7] }], attrs: {} },
    { name: 'large logits', inputs: [{ shape: [2, 3], dtype: 'float32', values: [1000, 1001, 1002, -1000, -1000, -998] }], attrs: {},
      expected: [{ shape: [2, 3], dtype: 'float32', values: [0.09003057, 0.24472847, 0.66524096, 0.10650698, 0.10650698, 0.78698604] }], noGrad: true },
  ],
};
