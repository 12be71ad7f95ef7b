import { OpError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import * as E from '../api/elementwise.js';
import { reduceSum } from '../api/reduce.js';
import { reshape } from '../api/shape_ops.js';
import { apply1 } from '../dispatch.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';
import { logSoftmaxDef } from './log_softmax.js';
import { checkLogits, forEachRow, softmaxBackprop, softmaxDef, type SoftmaxAttrs } from './softmax.js';

/**
 * Fused softmax cross entropy over the last axis (TensorFlow's SoftmaxCrossEntropyWithLogits):
 * inputs (labels, logits) of equal shape [..., C]; outputs loss [...] = -Σ labels·logSoftmax(logits)
 * and backprop [..., C] = softmax(logits)·Σlabels - labels, d loss / d logits exactly, also for
 * label rows that do not sum to 1 (TensorFlow's softmax - labels assumes they do; the two agree
 * when they do). The gradient reuses it: one multiply.
 */
export const softmaxCrossEntropyDef: OpDef<SoftmaxAttrs> = {
  id: 'softmax_cross_entropy',
  infer([labels, logits]) {
    const op = 'softmaxCrossEntropyWithLogits';
    checkLogits(op, 'logits', logits);
    checkLogits(op, 'labels', labels);
    if (labels!.shape.length !== logits!.shape.length || labels!.shape.some((d, i) => d !== logits!.shape[i])) {
      throw new OpError(op, `labels shape ${fmtShape(labels!.shape)} must equal logits shape ${fmtShape(logits!.shape)}`);
    }
    return [
      { shape: logits!.shape.slice(0, -1), dtype: 'float32' },
      { shape: [...logits!.shape], dtype: 'float32' },
    ];
  },
  reference([labels, logits]) {
    const l = num(labels!);
    const v = num(logits!);
    const c = logits!.shape[logits!.shape.length - 1]!;
    const loss = new Float64Array(v.length / Math.max(c, 1));
    const back = new Float64Array(v.length);
    forEachRow(v, c, (b, max, sum) => {
      const lse = max + Math.log(sum);
      let s = 0;
      let labelSum = 0;
      for (let j = 0; j < c; j++) labelSum += l[b + j]!;
      for (let j = 0; j < c; j++) {
        s -= l[b + j]! * (v[b + j]! - lse);
        back[b + j] = Math.exp(v[b + j]! - lse) * labelSum - l[b + j]!;
      }
      loss[b / c] = s;
    });
    return [
      { shape: logits!.shape.slice(0, -1), dtype: 'float32', values: loss },
      { shape: logits!.shape, dtype: 'float32', values: back },
    ];
  },
  vjp: ({ inputs: [labels, logits], outputs: [, back], dys, needsGrad, hasDy }) => {
    // dys[1] (the backprop output's gradient) is read only when it has one: zeros cost a kernel.
    const dLoss = dys[0]!;
    // Each eager dispatch costs microseconds on a GPU: skip the terms that are zero or unwanted
    // (a training step wants only dLogits, and only through the loss).
    const viaBackNeeded = hasDy?.[1] !== false;
    const d = reshape(dLoss, [...dLoss.shape, 1]);
    // The softmax, only for the second-order terms, made once.
    let softmax: Tensor | undefined;
    const p = () => (softmax ??= apply1(softmaxDef, [logits!], {}));
    // d loss / d logits is the backprop output itself.
    let dLogits: Tensor | null = null;
    if (needsGrad?.[1] !== false) {
      const viaLoss = E.mul(d, back!);
      // Through the backprop output (second-order use): Σlabels times the softmax Jacobian.
      dLogits = viaBackNeeded
        ? E.add(viaLoss, E.mul(softmaxBackprop(p(), dys[1]!), reduceSum(labels!, -1, true)))
        : viaLoss;
    }
    let dLabels: Tensor | null = null;
    if (needsGrad?.[0] !== false) {
      const viaLoss = E.neg(E.mul(d, apply1(logSoftmaxDef, [logits!], {})));
      // d backprop_j / d labels_k = softmax_j - [j = k].
      dLabels = viaBackNeeded
        ? E.add(viaLoss, E.sub(reduceSum(E.mul(dys[1]!, p()), -1, true), dys[1]!))
        : viaLoss;
    }
    return [dLabels, dLogits];
  },
  samples: [
    { inputs: [{ shape: [4], range: [0, 1] }, { shape: [4] }], attrs: {} },
    { inputs: [{ shape: [3, 5], range: [0, 1] }, { shape: [3, 5] }], attrs: {} },
    { inputs: [{ shape: [2, 2, 3], range: [0, 1] }, { shape: [2, 2, 3] }], attrs: {} },
    {
      name: 'logits ±1000 stay finite',
      inputs: [
        { shape: [2, 3], dtype: 'float32', values: [0, 0, 1, 1, 0, 0] },
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
