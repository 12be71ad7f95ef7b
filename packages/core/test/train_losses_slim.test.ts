import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);
const v0 = (t: ef.Tensor) => vals(t)[0]!;

describe('losses (tf.losses semantics)', () => {
  const labels = ef.tensor([[1, 2], [3, 4]]);
  const preds = ef.tensor([[1.5, 1], [3, 6]]);

  test('meanSquaredError, absoluteDifference, huber with weights and reductions', () => {
    // squared errors .25, 1, 0, 4
    expect(v0(ef.losses.meanSquaredError(labels, preds))).toBeCloseTo(5.25 / 4);
    expect(v0(ef.losses.absoluteDifference(labels, preds))).toBeCloseTo(3.5 / 4);
    // weights per row [1, 0]: SUM_BY_NONZERO_WEIGHTS divides by the 2 nonzero weights
    expect(v0(ef.losses.meanSquaredError(labels, preds, { weights: ef.tensor([[1], [0]]) }))).toBeCloseTo(1.25 / 2);
    expect(v0(ef.losses.meanSquaredError(labels, preds, { weights: 2, reduction: ef.losses.Reduction.SUM }))).toBeCloseTo(10.5);
    expect(v0(ef.losses.meanSquaredError(labels, preds, { weights: ef.tensor([[1], [3]]), reduction: ef.losses.Reduction.MEAN }))).toBeCloseTo((1.25 + 12) / 8);
    expect(ef.losses.meanSquaredError(labels, preds, { reduction: ef.losses.Reduction.NONE }).shape).toEqual([2, 2]);
    // huber δ=1: |e| = .5,1,0,2 → .125, .5, 0, 1.5
    expect(v0(ef.losses.huberLoss(labels, preds))).toBeCloseTo(2.125 / 4);
    expect(() => ef.losses.meanSquaredError(labels, ef.tensor([1, 2, 3]))).toThrow(/shape/);
  });

  test('softmax, sparse and sigmoid cross entropy', () => {
    const logits = ef.tensor([[2, 1, 0], [0, 0, 0]]);
    const lse0 = Math.log(Math.exp(2) + Math.exp(1) + 1);
    const expected = [lse0 - 2, Math.log(3)];
    expect(v0(ef.losses.sparseSoftmaxCrossEntropy(ef.tensor([0, 1], undefined, 'int32'), logits))).toBeCloseTo((expected[0]! + expected[1]!) / 2, 5);
    expect(v0(ef.losses.softmaxCrossEntropy(ef.tensor([[1, 0, 0], [0, 1, 0]]), logits))).toBeCloseTo((expected[0]! + expected[1]!) / 2, 5);
    expect(v0(ef.losses.sparseSoftmaxCrossEntropy(ef.tensor([0, 1], undefined, 'int32'), logits, { weights: ef.tensor([1, 0]) }))).toBeCloseTo(expected[0]!, 5);
    const x = 0.7, z = 1;
    expect(v0(ef.losses.sigmoidCrossEntropy(ef.tensor([[z]]), ef.tensor([[x]])))).toBeCloseTo(-Math.log(1 / (1 + Math.exp(-x))), 5);
  });

  test("the notes' asymmetric loss with where(greater(…)) and its gradient", () => {
    const y_ = ef.tensor([1, 1]);
    const y = ef.variable(ef.tensor([2, 0]), { name: 'y' });
    const COST = 1, PROFIT = 9;
    const byHand = () => ef.reduceMean(ef.where(ef.greater(y, y_), ef.mul(ef.sub(y, y_), COST), ef.mul(ef.sub(y_, y), PROFIT)));
    expect(v0(byHand())).toBeCloseTo(5);
    expect(v0(ef.losses.asymmetricLoss(y_, y, COST, PROFIT))).toBeCloseTo(5);
    const { grads } = ef.valueAndGrads(byHand, [y]);
    expect(vals(grads[0]!)).toEqual([0.5, -4.5]);
  });
});

describe('metrics', () => {
  test('accuracy from ids or scores; inTopK/topKAccuracy', () => {
    const logits = ef.tensor([[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]]);
    const labels = ef.tensor([1, 1, 0], undefined, 'int32');
    expect(v0(ef.metrics.accuracy(labels, logits))).toBeCloseTo(1 / 3);
    expect(v0(ef.metrics.accuracy(labels, ef.tensor([1, 1, 0], undefined, 'int32')))).toBe(1);
    expect(Array.from(ef.metrics.inTopK(logits, labels, 2).dataSync() as Uint8Array) /* bool */).toEqual([1, 1, 1]);
    expect(v0(ef.metrics.topKAccuracy(labels, logits, 1))).toBeCloseTo(1 / 3);
  });
});

describe('slim: argScope, repeat, stack, analyzeVars', () => {
  test('defaults apply; nested scopes override outer ones; explicit arguments win', () => {
    const seen: unknown[] = [];
    const func1 = ef.slim.addArgScope((o: { a?: number; b?: number } = {}) => {
      seen.push({ a: o.a ?? 0, b: o.b ?? 0 });
    });
    ef.slim.argScope([func1], { a: 10 }, () => {
      func1();
      func1({ a: 1 });
      ef.slim.argScope([func1], { b: 5, a: 20 }, () => func1({ b: 7 }));
    });
    func1();
    expect(seen).toEqual([{ a: 10, b: 0 }, { a: 1, b: 0 }, { a: 20, b: 7 }, { a: 0, b: 0 }]);
    expect(() => ef.slim.argScope([(() => 0) as () => number], {}, () => 0)).toThrow(/addArgScope/);
  });

  test('argScope on slim.fullyConnected (the notes: padding / initializer / regularizer)', () => {
    const x = ef.ones([2, 4]);
    ef.slim.argScope([ef.slim.fullyConnected], { weightsInitializer: ef.initializers.constant(0.5), activationFn: null, weightsRegularizer: ef.regularizers.l2(1) }, () => {
      const y = ef.slim.fullyConnected(x, 3, { scope: 'fc' });
      expect(vals(y)).toEqual([2, 2, 2, 2, 2, 2]);
      const y2 = ef.slim.fullyConnected(x, 3, { scope: 'fc2', weightsInitializer: ef.initializers.constant(1) });
      expect(vals(y2)[0]).toBe(4);
    });
    expect(ef.findVariable('fc/weights')!.shape).toEqual([4, 3]);
    expect(ef.findVariable('fc/biases')!.shape).toEqual([3]);
    // both layers' weights are regularized: 0.5²·12/2 + 1·12/2
    expect(v0(ef.losses.getRegularizationLoss())).toBeCloseTo(1.5 + 6);
  });

  test('repeat and stack name scopes as slim does', () => {
    const x = ef.ones([1, 4]);
    ef.slim.repeat(x, 3, ef.slim.fullyConnected, 4, { scope: 'conv1' });
    ef.slim.stack(x, ef.slim.fullyConnected, [32, 64, 128], { scope: 'fc' });
    const names = ef.globalVariables().map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['conv1/conv1_1/weights', 'conv1/conv1_2/weights', 'conv1/conv1_3/biases', 'fc/fc_1/weights', 'fc/fc_3/weights']));
    expect(ef.findVariable('fc/fc_3/weights')!.shape).toEqual([64, 128]);
    const a = ef.modelAnalyzer.analyzeVars(ef.slim.getVariables('fc'));
    expect(a.totalSize).toBe(4 * 32 + 32 + 32 * 64 + 64 + 64 * 128 + 128);
    expect(a.totalBytes).toBe(a.totalSize * 4);
    expect(a.text).toContain('fc/fc_1/weights (float32 4x32) [128, bytes: 512]');
  });
});
