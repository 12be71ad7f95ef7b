import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);

/** Two Gaussian blobs in 4-D, labels 0/1. */
function blobs(n: number, seed = 1) {
  const r = new ef.initializers.HostRandom(seed);
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = r.normal() + (y[i] ? 1.5 : -1.5);
  }
  return { x: ef.tensor(x, [n, 4]), y: ef.tensor(y, [n], 'int32') };
}

describe('training loops', () => {
  test('a short training run: loss falls, accuracy rises (dense MLP, Adam, l2, EMA)', () => {
    const { x, y } = blobs(64);
    const model = (input: ef.Tensor) =>
      ef.variableScope('mlp', { reuse: 'auto' }, () => {
        const h = ef.layers.dense(input, 8, { activation: 'relu', kernelRegularizer: ef.regularizers.l2(1e-4), kernelInitializer: ef.initializers.glorotUniform({ seed: 1 }) });
        return ef.layers.dense(h, 2, { kernelInitializer: ef.initializers.glorotUniform({ seed: 2 }) });
      });
    const opt = new ef.train.AdamOptimizer(0.05);
    const ema = new ef.train.ExponentialMovingAverage(0.9);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const loss = opt.minimize(() => ef.losses.getTotalLoss(ef.losses.sparseSoftmaxCrossEntropy(y, model(x))));
      ema.apply(ef.trainableVariables());
      losses.push(vals(loss)[0]!);
      loss.dispose();
    }
    expect(losses[39]!).toBeLessThan(losses[0]! * 0.2);
    expect(vals(ef.metrics.accuracy(y, model(x)))[0]).toBeGreaterThan(0.95);
    const emaAcc = ema.withAverages(() => vals(ef.metrics.accuracy(y, model(x)))[0]!);
    expect(emaAcc).toBeGreaterThan(0.9);
  });

  test('LeNet-5 on a fixed batch: loss falls in a few steps', () => {
    const r = new ef.initializers.HostRandom(3);
    const n = 16;
    const img = new Float32Array(n * 28 * 28);
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      lab[i] = i % 4;
      for (let p = 0; p < 784; p++) img[i * 784 + p] = (p % 4 === lab[i] ? 1 : 0) + 0.1 * r.normal();
    }
    const x = ef.tensor(img, [n, 28, 28, 1]);
    const y = ef.tensor(lab, [n], 'int32');
    ef.initializers.setInitializerSeed(5);
    const model = new ef.models.LeNet5();
    const opt = new ef.train.AdamOptimizer(0.003);
    const losses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const loss = opt.minimize(() => ef.losses.sparseSoftmaxCrossEntropy(y, model.apply(x, { training: true })));
      losses.push(vals(loss)[0]!);
      loss.dispose();
    }
    ef.initializers.setInitializerSeed(null);
    expect(losses[7]!).toBeLessThan(losses[0]! * 0.7);
  });

  test('1,000 training steps end with the live tensor count of the first step', () => {
    const { x, y } = blobs(16);
    const gs = ef.train.getOrCreateGlobalStep();
    const lr = ef.train.exponentialDecay(0.01, gs, 100, 0.9, true);
    const opt = new ef.train.AdamOptimizer(lr);
    const ema = new ef.train.ExponentialMovingAverage(0.99, { numUpdates: gs });
    const model = (input: ef.Tensor) =>
      ef.variableScope('m', { reuse: 'auto' }, () =>
        ef.layers.dense(ef.layers.batchNormalization(ef.layers.dense(input, 8, { activation: 'relu', kernelRegularizer: ef.regularizers.l2(1e-3) }), { training: true }), 2),
      );
    const step = () => {
      const loss = opt.minimize(() => ef.losses.getTotalLoss(ef.losses.sparseSoftmaxCrossEntropy(y, model(x))), { globalStep: gs });
      ema.apply();
      loss.dispose();
    };
    step();
    const after1 = ef.memory().numTensors;
    const bytes1 = ef.memory().numBytes;
    for (let i = 1; i < 1000; i++) step();
    expect(ef.memory().numTensors).toBe(after1);
    expect(ef.memory().numBytes).toBe(bytes1);
    expect(Number(gs.dataSync()[0])).toBe(1000);
  });
});
