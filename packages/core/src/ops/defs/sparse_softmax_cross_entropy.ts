import { OpError, fmtShape } from '../../errors.js';
import * as E from '../api/elementwise.js';
import { reshape } from '../api/shape_ops.js';
import { apply1 } from '../dispatch.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';
import { checkLogits, forEachRow, softmaxBackprop, softmaxDef, type SoftmaxAttrs } from './softmax.js';

const OP = 'sparseSoftmaxCrossEntropyWithLogits';

export function badLabel(label: number, row: number, c: number): OpError {
  return new OpError(OP, `label ${label} at position ${row} is out of range [0, ${c})`);
}

/**
 * Fused sparse softmax cross entropy (TensorFlow's SparseSoftmaxCrossEntropyWithLogits): inputs
 * (labels int32 [...], logits [..., C]); outputs loss [...] = logSumExp(logits) - logits[label]
 * and backprop [..., C] = softmax(logits) - oneHot(label). Out-of-range labels throw (TF's CPU).
 */
export const sparseSoftmaxCrossEntropyDef: OpDef<SoftmaxAttrs> = {
  id: 'sparse_softmax_cross_entropy',
  infer([labels, logits]) {
    const c = checkLogits(OP, 'logits', logits);
    if (!labels) throw new OpError(OP, `missing input 'labels'`);
    if (labels.dtype !== 'int32') throw new OpError(OP, `labels must be int32 class indices, found ${labels.dtype}`);
    const want = logits!.shape.slice(0, -1);
    if (labels.shape.length !== want.length || labels.shape.some((d, i) => d !== want[i])) {
      throw new OpError(OP, `labels shape ${fmtShape(labels.shape)} must equal logits shape without the class axis ${fmtShape(want)} (logits ${fmtShape(logits!.shape)})`);
    }
    if (c === 0) throw new OpError(OP, `logits must have at least one class, found shape ${fmtShape(logits!.shape)}`);
    return [
      { shape: want, dtype: 'float32' },
      { shape: [...logits!.shape], dtype: 'float32' },
    ];
  },
  reference([labels, logits]) {
    const l = num(labels!);
    const v = num(logits!);
    const c = logits!.shape[logits!.shape.length - 1]!;
    const loss = new Float64Array(l.length);
    const back = new Float64Array(v.length);
    forEachRow(v, c, (b, max, sum) => {
      const r = b / c;
      const label = l[r]!;
      if (!(label >= 0 && label < c)) throw badLabel(label, r, c);
      const lse = max + Math.log(sum);
      loss[r] = lse - v[b + label]!;
      for (let j = 0; j < c; j++) back[b + j] = Math.exp(v[b + j]! - lse) - (j === label ? 1 : 0);
    });
    return [
      { shape: labels!.shape, dtype: 'float32', values: loss },
      { shape: logits!.shape, dtype: 'float32', values: back },
    ];
  },
  vjp: ({ inputs: [, logits], outputs: [, back], dys, hasDy }) => {
    const viaLoss = E.mul(reshape(dys[0]!, [...dys[0]!.shape, 1]), back!);
    // Through the backprop output only when it received a gradient (second-order use); dys[1]
    // is not even read otherwise, so no zeros are made.
    if (hasDy?.[1] === false) return [null, viaLoss];
    return [null, E.add(viaLoss, softmaxBackprop(apply1(softmaxDef, [logits!], {}), dys[1]!))];
  },
  samples: [
    { inputs: [{ shape: [], dtype: 'int32', range: [0, 4] }, { shape: [5] }], attrs: {} },
    { inputs: [{ shape: [4], dtype: 'int32', range: [0, 5] }, { shape: [4, 6] }], attrs: {} },
    { inputs: [{ shape: [2, 3], dtype: 'int32', range: [0, 2] }, { shape: [2, 3, 3] }], attrs: {} },
    {
      name: 'logits ±1000 stay finite',
      inputs: [
        { shape: [2], dtype: 'int32', values: [2, 0] },
        { shape: [2, 3], dtype: 'float32', values: [1000, -1000, 0, 1000, -1000, 0] },
      ],
      attrs: {},
      expected: [
        { shape: [2], dtype: 'float32', values: [1000, 0] },
        { shape: [2, 3], dtype: 'float32', values: [1, 0, -1, 0, 0, 0] },
      ],
      noGrad: true,
    },
  ],
};
