import * as E from '../api/elementwise.js';
import { reduceSum } from '../api/reduce.js';
import type { OpDef } from '../op_def.js';
import { rowwiseLogitsOp, type SoftmaxAttrs } from './softmax.js';

/** log(softmax(x)) over the last axis, computed as x - max - log Σ exp(x - max). */
export const logSoftmaxDef: OpDef<SoftmaxAttrs> = {
  id: 'log_softmax',
  ...rowwiseLogitsOp('logSoftmax', (v, y, b, c, max, sum) => {
    const lse = max + Math.log(sum);
    for (let j = 0; j < c; j++) y[b + j] = v[b + j]! - lse;
  }),
  // dx = dy - softmax ⊙ Σ dy
  vjp: ({ outputs: [y], dys: [dy] }) => [E.sub(dy!, E.mul(E.exp(y!), reduceSum(dy!, -1, true)))],
  samples: [
    { inputs: [{ shape: [5] }], attrs: {} },
    { inputs: [{ shape: [3, 4] }], attrs: {} },
    { inputs: [{ shape: [2, 2, 6] }], attrs: {} },
    { name: 'large logits', inputs: [{ shape: [1, 3], dtype: 'float32', values: [1000, 0, -1000] }], attrs: {},
      expected: [{ shape: [1, 3], dtype: 'float32', values: [0, -1000, -2000] }], noGrad: true },
  ],
};
