/**
 * The training stack runs the framework's own ops: initializers = Philox random ops, dropout =
 * ef.nn.dropout, embedding = ef.nn.embeddingLookup (gather), cross entropies = the fused ops,
 * host draws = the same Philox stream (one generator).
 */
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(() => {
  resetAll();
  ef.setRandomSeed(null);
});

describe('initializers run the Philox random ops', () => {
  test('an explicit seed gives the first call of the op with those seeds, every time', () => {
    ef.setRandomSeed(null);
    const init = ef.initializers.randomNormal({ mean: 1, stddev: 2, seed: 5 });
    const a = vals(init([64]));
    expect(vals(init([64]))).toEqual(a);
    expect(vals(ef.randomNormal([64], { mean: 1, stddev: 2, seed: 5 }))).toEqual(a);
    ef.setRandomSeed(7); // the global seed is part of the key, as in TF
    const b = vals(ef.initializers.truncatedNormal({ stddev: 0.5, seed: 5 })([64]));
    ef.setRandomSeed(7);
    expect(vals(ef.truncatedNormal([64], { stddev: 0.5, seed: 5 }))).toEqual(b);
    const u = vals(ef.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 })([32]));
    ef.setRandomSeed(7);
    expect(vals(ef.randomUniform([32], { minval: -1, maxval: 1, seed: 3 }))).toEqual(u);
  });

  test('glorot uniform = uniform(±sqrt(6/(fan_in+fan_out))) from the random op; unseeded calls follow the global seed', () => {
    ef.setRandomSeed(11);
    const w = vals(ef.initializers.glorotUniform({ seed: 2 })([20, 30]));
    ef.setRandomSeed(11);
    const lim = Math.sqrt(6 / 50);
    expect(vals(ef.randomUniform([20, 30], { minval: -lim, maxval: lim, seed: 2 }))).toEqual(w);
    ef.setRandomSeed(4);
    const a1 = vals(ef.initializers.heNormal()([8, 8]));
    const a2 = vals(ef.initializers.heNormal()([8, 8]));
    expect(a2).not.toEqual(a1); // each unseeded initializer call gets its own stream
    ef.setRandomSeed(4);
    expect(vals(ef.initializers.heNormal()([8, 8]))).toEqual(a1);
    expect(vals(ef.initializers.heNormal()([8, 8]))).toEqual(a2);
  });

  test('int32 uniform initializer uses the int32 op', () => {
    const v = vals(ef.initializers.randomUniform({ minval: 0, maxval: 5, seed: 1 })([200], 'int32'));
    expect(v.every((x) => Number.isInteger(x) && x >= 0 && x < 5)).toBe(true);
  });

  test('HostRandom is a host view of the Philox word stream (no second generator)', () => {
    const r = new ef.initializers.HostRandom(9);
    const words = ef.philox.philoxWords({ key: [9, 0], counter: [0, 0] }, 10);
    for (let i = 0; i < 10; i++) expect(r.nextU32()).toBe(words[i]);
    const n = new ef.initializers.HostRandom(3);
    const xs = Array.from({ length: 4000 }, () => n.normal());
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
  });
});

describe('layers and losses use the framework ops', () => {
  test('layers.dropout is ef.nn.dropout with the same seeds', () => {
    const x = ef.ones([4, 50]);
    ef.setRandomSeed(3);
    const a = vals(ef.layers.dropout(x, { rate: 0.4, training: true, seed: 8 }));
    ef.setRandomSeed(3);
    expect(vals(ef.nn.dropout(x, 0.4, { seed: 8 }))).toEqual(a);
    expect(new Set(a.map((v) => Math.round(v * 1e5) / 1e5))).toEqual(new Set([0, Math.round(1e5 / 0.6) / 1e5]));
    expect(vals(ef.layers.dropout(x, { rate: 0.4, training: false }))).toEqual(vals(x));
  });

  test('embedding gathers rows; the table gradient scatters into the rows read', () => {
    const table = ef.variable(ef.tensor([[1, 2], [3, 4], [5, 6]]), { name: 'emb_table' });
    const ids = ef.tensor([2, 0, 2], [3], 'int32');
    expect(vals(ef.layers.embeddingLookup(table, ids))).toEqual([5, 6, 1, 2, 5, 6]);
    const { grads } = ef.valueAndGrads(() => ef.reduceSum(ef.layers.embeddingLookup(table, ids)), [table]);
    expect(vals(grads[0]!)).toEqual([1, 1, 0, 0, 2, 2]);
  });

  test('cross-entropy losses are the fused ops with tf.losses weights/reduction; labels get no gradient', () => {
    const logits = ef.tensor([[2, 1, 0.1], [0.5, 2.5, -1]]);
    const labels = ef.tensor([0, 1], [2], 'int32');
    const per = vals(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }));
    const w = ef.tensor([1, 3]);
    expect(vals(ef.losses.sparseSoftmaxCrossEntropy(labels, logits, { weights: w }))[0]).toBeCloseTo((per[0]! + 3 * per[1]!) / 2, 6);
    const onehot = ef.tensor([[1, 0, 0], [0, 1, 0]]);
    expect(vals(ef.losses.softmaxCrossEntropy(onehot, logits, { reduction: ef.losses.Reduction.NONE }))).toEqual(per);
    const { grads } = ef.valueAndGrads(() => ef.losses.softmaxCrossEntropy(onehot, logits), [onehot, logits]);
    expect(grads[0] === null || vals(grads[0]!).every((v) => v === 0)).toBe(true);
    const sz = ef.tensor([[0.3, -2], [4, 0]]);
    const sl = ef.tensor([[1, 0], [0.5, 1]]);
    expect(vals(ef.losses.sigmoidCrossEntropy(sl, sz, { reduction: ef.losses.Reduction.NONE }))).toEqual(vals(ef.nn.sigmoidCrossEntropyWithLogits({ labels: sl, logits: sz })));
    expect(() => ef.losses.sparseSoftmaxCrossEntropy(ef.tensor([0, 3], [2], 'int32'), logits)).toThrow(/out of range/);
  });
});
