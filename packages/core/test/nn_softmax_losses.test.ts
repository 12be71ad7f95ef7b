import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const softmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('nn.softmax / nn.logSoftmax', () => {
  test('last axis by default, any axis on request', () => {
    const rows = [[1, 2, 3], [-1, 0, 4]];
    const x = ef.tensor(rows);
    expectClose(vals(ef.nn.softmax(x)), rows.flatMap(softmaxRow), 1e-6);
    expectClose(vals(ef.nn.logSoftmax(x)), rows.flatMap(softmaxRow).map(Math.log), 1e-6);
    const cols = [0, 1, 2].map((j) => softmaxRow([rows[0]![j]!, rows[1]![j]!]));
    expectClose(vals(ef.nn.softmax(x, 0)), [0, 1].flatMap((i) => cols.map((c) => c[i]!)), 1e-6);
    expect(() => ef.nn.softmax(x, 2)).toThrow('softmax: axis 2 is out of range for rank 2');
    expect(() => ef.nn.softmax(ef.tensor([1, 2], [2], 'int32'))).toThrow('softmax: logits must be float32, found int32');
  });

  test('logits of ±1000 give finite values and gradients', () => {
    const x = ef.tensor([[1000, -1000, 0], [-1000, -1000, -1000]]);
    expectClose(vals(ef.nn.logSoftmax(x)), [0, -2000, -1000, -Math.log(3), -Math.log(3), -Math.log(3)], 1e-6);
    const g = ef.grad((t) => ef.reduceSum(ef.mul(ef.nn.logSoftmax(t), ef.tensor([[1, 0, 0], [0, 1, 0]]))))(x);
    expect(vals(g).every(Number.isFinite)).toBe(true);
    expectClose(vals(g), [0, 0, 0, -1 / 3, 2 / 3, -1 / 3], 1e-6);
  });
});

describe('softmax cross entropy', () => {
  const logits = [[2, -1, 0.5, 0], [0.1, 0.2, 3, -2]];
  const labelIdx = [2, 0];
  const oneHot = labelIdx.map((l) => [0, 1, 2, 3].map((j) => (j === l ? 1 : 0)));

  test('dense and sparse agree with -log softmax[label]; gradients are softmax - onehot', () => {
    const want = logits.map((r, i) => -Math.log(softmaxRow(r)[labelIdx[i]!]!));
    const lt = ef.tensor(logits);
    expectClose(vals(ef.nn.softmaxCrossEntropyWithLogits({ labels: oneHot, logits: lt })), want, 1e-6);
    expectClose(vals(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: labelIdx, logits: lt })), want, 1e-6);
    const gDense = ef.grad((t) => ef.reduceSum(ef.nn.softmaxCrossEntropyWithLogits({ labels: oneHot, logits: t })))(lt);
    const gSparse = ef.grad((t) => ef.reduceSum(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: labelIdx, logits: t })))(lt);
    const wantG = logits.flatMap((r, i) => softmaxRow(r).map((p, j) => p - oneHot[i]![j]!));
    expectClose(vals(gDense), wantG, 1e-6);
    expectClose(vals(gSparse), wantG, 1e-6);
  });

  test('stable at logits ±1000 (loss and gradient finite)', () => {
    const lt = ef.tensor([[1000, -1000, 0], [-1000, 1000, 0]]);
    expectClose(vals(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [1, 1], logits: lt })), [2000, 0], 1e-6);
    expectClose(vals(ef.nn.softmaxCrossEntropyWithLogits({ labels: [[0, 0.5, 0.5], [0, 1, 0]], logits: lt })), [1500, 0], 1e-6);
    const g = ef.grad((t) => ef.reduceSum(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [1, 1], logits: t })))(lt);
    expect(vals(g)).toEqual([1, -1, 0, 0, 0, 0]);
  });

  test('dense: labels get -logSoftmax as gradient; axis argument', () => {
    const lt = ef.tensor(logits);
    const lab = ef.tensor(oneHot);
    const g = ef.grad((l) => ef.reduceSum(ef.nn.softmaxCrossEntropyWithLogits({ labels: l, logits: lt })))(lab);
    expectClose(vals(g), logits.flatMap(softmaxRow).map((p) => -Math.log(p)), 1e-5);
    const byAxis0 = ef.nn.softmaxCrossEntropyWithLogits({ labels: ef.transpose(lab), logits: ef.transpose(lt), axis: 0 });
    expectClose(vals(byAxis0), vals(ef.nn.softmaxCrossEntropyWithLogits({ labels: lab, logits: lt })), 1e-6);
  });

  test('second order: Hessian of sparse cross entropy is diag(p) - ppᵀ', () => {
    const row = [0.3, -1.2, 2.0];
    const v = [1, 2, -1];
    const hv = ef.grad((t) => ef.reduceSum(ef.mul(ef.grad((u) => ef.reduceSum(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [1], logits: u })))(t), ef.tensor([v]))))(ef.tensor([row]));
    const p = softmaxRow(row);
    const pv = p.reduce((s, pi, i) => s + pi * v[i]!, 0);
    expectClose(vals(hv), p.map((pi, i) => pi * v[i]! - pi * pv), 1e-5);
  });

  test('no tensors leak from the fused outputs', () => {
    const lt = ef.tensor(logits);
    const before = ef.memory().numTensors;
    ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ef.tensor(labelIdx, [2], 'int32'), logits: lt }).dispose();
    ef.nn.softmaxCrossEntropyWithLogits({ labels: ef.tensor(oneHot), logits: lt }).dispose();
    ef.tidy(() => ef.grad((t) => ef.reduceSum(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: labelIdx, logits: t })))(lt)).dispose();
    expect(ef.memory().numTensors).toBe(before + 2); // the two label tensors created above
  });

  test('clear errors', () => {
    const lt = ef.tensor(logits);
    expect(() => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0, 4], logits: lt })).toThrow('sparseSoftmaxCrossEntropyWithLogits: label 4 at position 1 is out of range [0, 4)');
    expect(() => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0, 1, 2], logits: lt })).toThrow('sparseSoftmaxCrossEntropyWithLogits: labels shape [3] must equal logits shape without the class axis [2] (logits [2,4])');
    expect(() => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ef.tensor([0, 1]), logits: lt })).toThrow('labels must be int32 class indices, found float32');
    expect(() => ef.nn.softmaxCrossEntropyWithLogits({ labels: [[1, 0]], logits: lt })).toThrow('softmaxCrossEntropyWithLogits: labels shape [1,2] must equal logits shape [2,4]');
  });
});

describe('composites', () => {
  test('biasAdd adds along the channel axis and checks the bias shape', () => {
    const x = ef.zeros([2, 2, 3]);
    expect(vals(ef.nn.biasAdd(x, [1, 2, 3]))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(() => ef.nn.biasAdd(x, [1, 2])).toThrow('biasAdd: bias must be 1-D of size 3 (the last dimension of value [2,2,3]), found shape [2]');
    const g = ef.grad((b) => ef.reduceSum(ef.nn.biasAdd(x, b)))(ef.tensor([0, 0, 0]));
    expect(vals(g)).toEqual([4, 4, 4]);
  });

  test('moments and batchNormalization', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    const x = ef.tensor(data, [4, 2]);
    const { mean, variance } = ef.nn.moments(x, [0]);
    expect(mean.shape).toEqual([2]);
    expectClose(vals(mean), [4, 5]);
    expectClose(vals(variance), [5, 5]);
    const kept = ef.nn.moments(x, 0, true);
    expect(kept.mean.shape).toEqual([1, 2]);
    const y = ef.nn.batchNormalization(x, mean, variance, [1, -1], [2, 3], 1e-3);
    const want = data.map((v, i) => ((v - [4, 5][i % 2]!) / Math.sqrt(5 + 1e-3)) * [2, 3][i % 2]! + [1, -1][i % 2]!);
    expectClose(vals(y), want, 1e-5);
    expectClose(vals(ef.nn.batchNormalization(x, mean, variance, null, null, 0)), data.map((v, i) => (v - [4, 5][i % 2]!) / Math.sqrt(5)), 1e-5);
    // Gradient of the batch-normalised sum of squares through moments.
    const g = ef.grad((t) => {
      const m = ef.nn.moments(t, [0]);
      return ef.reduceSum(ef.square(ef.nn.batchNormalization(t, m.mean, m.variance, null, null, 0)));
    })(x);
    expectClose(vals(g), new Array(8).fill(0), 1e-4); // Σ normalised² is constant (= N per column)
  });

  test('l2Loss is sum(x²)/2 with gradient x', () => {
    const x = ef.tensor([1, -2, 3]);
    expect(vals(ef.nn.l2Loss(x))).toEqual([7]);
    expect(vals(ef.grad((t) => ef.nn.l2Loss(t))(x))).toEqual([1, -2, 3]);
  });

  test('sigmoidCrossEntropyWithLogits is stable and matches the plain formula', () => {
    const x = [-3, -0.5, 0, 2, 1000, -1000];
    const z = [0, 1, 0.5, 1, 0, 1];
    const want = x.map((v, i) => (Math.abs(v) > 50 ? Math.max(v, 0) - v * z[i]! : -z[i]! * Math.log(1 / (1 + Math.exp(-v))) - (1 - z[i]!) * Math.log(1 - 1 / (1 + Math.exp(-v)))));
    expectClose(vals(ef.nn.sigmoidCrossEntropyWithLogits({ labels: z, logits: x })), want, 1e-6);
    const g = ef.grad((t) => ef.reduceSum(ef.nn.sigmoidCrossEntropyWithLogits({ labels: z, logits: t })))(ef.tensor(x));
    expectClose(vals(g), x.map((v, i) => 1 / (1 + Math.exp(-v)) - z[i]!), 1e-6);
  });

  test('l2Normalize', () => {
    expectClose(vals(ef.nn.l2Normalize(ef.tensor([[3, 4], [0, 0]]), 1)), [0.6, 0.8, 0, 0], 1e-6);
  });

  test('TF spellings of activations live in nn', () => {
    const x = ef.tensor([-1, 0.5]);
    expect(vals(ef.nn.relu(x))).toEqual([0, 0.5]);
    expectClose(vals(ef.nn.sigmoid(x)), [1 / (1 + Math.E), 1 / (1 + Math.exp(-0.5))], 1e-6);
    expectClose(vals(ef.nn.silu(x)), [-1 / (1 + Math.E), 0.5 / (1 + Math.exp(-0.5))], 1e-6);
    expectClose(vals(ef.nn.softsign(x)), [-0.5, 1 / 3], 1e-6);
  });

  test('dropout: inverted scaling, seeds reproduce, noiseShape broadcasts, rate checked', () => {
    const x = ef.ones([200, 10]);
    const y = vals(ef.nn.dropout(x, 0.25, { seed: 7 }));
    expect(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    const kept = y.filter((v) => v !== 0).length / y.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.05);
    ef.setRandomSeed(3);
    const a = vals(ef.nn.dropout(x, 0.5, { seed: 1 }));
    ef.setRandomSeed(3);
    expect(vals(ef.nn.dropout(x, 0.5, { seed: 1 }))).toEqual(a);
    ef.setRandomSeed(null);
    const rows = vals(ef.nn.dropout(x, 0.5, { seed: 2, noiseShape: [200, 1] }));
    for (let r = 0; r < 200; r++) expect(new Set(rows.slice(r * 10, r * 10 + 10)).size).toBe(1);
    expect(vals(ef.nn.dropout(x, 0))).toEqual(vals(x));
    const g = vals(ef.grad((t) => ef.reduceSum(ef.nn.dropout(t, 0.5, { seed: 9 })))(ef.ones([50])));
    expect(g.every((v) => v === 0 || v === 2)).toBe(true);
    expect(() => ef.nn.dropout(x, 1)).toThrow('dropout: rate must be a number in [0, 1), found 1');
    expect(() => ef.nn.dropout(x, 0.5, { noiseShape: [3, 1] })).toThrow('dropout');
  });
});

describe('reduceLogSumExp (tf.reduce_logsumexp)', () => {
  test('values, axes, keepDims; large and -inf inputs stay exact; the gradient is the softmax', () => {
    const x = ef.tensor([[1, 2, 3], [1000, 1000, -Infinity]]);
    expectClose(vals(ef.reduceLogSumExp(x, 1)), [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 1000 + Math.log(2)], 1e-6);
    expect(ef.reduceLogSumExp(x, 1, true).shape).toEqual([2, 1]);
    expect(ef.reduceLogSumExp(x).shape).toEqual([]);
    expect(vals(ef.reduceLogSumExp(ef.tensor([[-Infinity, -Infinity]]), 1))).toEqual([-Infinity]);
    expectClose(vals(ef.reduceLogSumExp(ef.tensor([[1, 2], [3, 4]]), 0)), [Math.log(Math.exp(1) + Math.exp(3)), Math.log(Math.exp(2) + Math.exp(4))], 1e-6);
    const a = ef.tensor([[0.5, -1, 2]]);
    const { grads } = ef.valueAndGrads(() => ef.reduceSum(ef.reduceLogSumExp(a, 1)), [a]);
    expectClose(vals(grads[0]), vals(ef.nn.softmax(a)), 1e-6);
    expect(() => ef.reduceLogSumExp(ef.tensor([1, 2], [2], 'int32'))).toThrow(/reduceLogSumExp: x must be float32, found int32/);
  });
});
