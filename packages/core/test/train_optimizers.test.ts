import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);

const G = [0.5, -1];
/** loss = Σ w·G, so every step's gradient is G. */
const lossOf = (w: ef.Tensor) => () => ef.reduceSum(ef.mul(w, ef.tensor(G)));

function run(opt: ef.train.Optimizer, steps: number, init = [1, 2]) {
  const w = ef.variable(ef.tensor(init), { name: 'w' });
  for (let i = 0; i < steps; i++) opt.minimize(lossOf(w), { varList: [w] }).dispose();
  return w;
}

function expectClose(actual: number[], expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('optimizers follow TensorFlow update formulas', () => {
  test('GradientDescent: w -= lr·g', () => {
    const w = run(new ef.train.GradientDescentOptimizer(0.1), 2);
    expectClose(vals(w), [0.9, 2.2]);
  });

  test('Momentum: accum = m·accum + g; w -= lr·accum; slot w/Momentum', () => {
    const opt = new ef.train.MomentumOptimizer(0.1, 0.9);
    const w = run(opt, 2);
    // step1 accum=g, w=[0.95,2.1]; step2 accum=1.9g, w=[0.855, 2.29]
    expectClose(vals(w), [0.855, 2.29]);
    expect(opt.getSlot(w, 'momentum')!.name).toBe('w/Momentum');
    expectClose(vals(opt.getSlot(w, 'momentum')!), [0.95, -1.9]);
  });

  test('Momentum with Nesterov: w -= lr·g + lr·m·accum', () => {
    const w = run(new ef.train.MomentumOptimizer(0.1, 0.9, { useNesterov: true }), 2);
    // step1: 0.19g → [0.905, 2.19]; step2: 0.271g → [0.7695, 2.461]
    expectClose(vals(w), [0.7695, 2.461]);
  });

  test('Adam: bias-corrected lr_t, slots w/Adam, w/Adam_1, beta1_power/beta2_power', () => {
    const lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const opt = new ef.train.AdamOptimizer(lr);
    const w = run(opt, 3);
    // float64 reference of TF's ApplyAdam
    let ww = [1, 2], m = [0, 0], v = [0, 0], p1 = b1, p2 = b2;
    for (let s = 0; s < 3; s++) {
      const lrT = (lr * Math.sqrt(1 - p2)) / (1 - p1);
      m = m.map((x, i) => b1 * x + (1 - b1) * G[i]!);
      v = v.map((x, i) => b2 * x + (1 - b2) * G[i]! ** 2);
      ww = ww.map((x, i) => x - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps));
      p1 *= b1;
      p2 *= b2;
    }
    expectClose(vals(w), ww);
    expect(opt.getSlot(w, 'm')!.name).toBe('w/Adam');
    expect(opt.getSlot(w, 'v')!.name).toBe('w/Adam_1');
    expectClose(vals(opt.getSlot(w, 'm')!), m);
    expectClose(vals(opt.getSlot(w, 'v')!), v, 7);
    const [bp1, bp2] = opt.getBetaAccumulators();
    expect(bp1.name).toBe('beta1_power');
    expect(bp2.name).toBe('beta2_power');
    expect(vals(bp1)[0]).toBeCloseTo(b1 ** 4, 6);
    expect(vals(bp2)[0]).toBeCloseTo(b2 ** 4, 6);
    // first step moves each weight by ≈ lr in the gradient's sign
    expect(opt.variables().map((x) => x.name).sort()).toEqual(['beta1_power', 'beta2_power', 'w/Adam', 'w/Adam_1']);
  });

  test('RMSProp: ms starts at 1; mom = m·mom + lr·g/sqrt(ms+eps); slots w/RMSProp, w/RMSProp_1', () => {
    const opt = new ef.train.RMSPropOptimizer(0.01);
    const w = run(opt, 1);
    // ms = 0.9 + 0.1·g² = [0.925, 1.0]
    expectClose(vals(w), [1 - (0.01 * 0.5) / Math.sqrt(0.925), 2.01], 6);
    expect(opt.getSlot(w, 'rms')!.name).toBe('w/RMSProp');
    expect(opt.getSlot(w, 'momentum')!.name).toBe('w/RMSProp_1');
    expectClose(vals(opt.getSlot(w, 'rms')!), [0.925, 1]);
  });

  test('RMSProp centered with momentum (two steps against a float64 reference)', () => {
    const lr = 0.01, rho = 0.9, mu = 0.5, eps = 1e-10;
    const opt = new ef.train.RMSPropOptimizer(lr, { momentum: mu, centered: true });
    const w = run(opt, 2);
    let ww = [1, 2], ms = [1, 1], mg = [0, 0], mom = [0, 0];
    for (let s = 0; s < 2; s++) {
      ms = ms.map((x, i) => x + (G[i]! ** 2 - x) * (1 - rho));
      mg = mg.map((x, i) => x + (G[i]! - x) * (1 - rho));
      mom = mom.map((x, i) => mu * x + (lr * G[i]!) / Math.sqrt(ms[i]! - mg[i]! ** 2 + eps));
      ww = ww.map((x, i) => x - mom[i]!);
    }
    expectClose(vals(w), ww, 5);
    expect(opt.getSlot(w, 'mg')!.name).toBe('w/RMSProp_1');
    expect(opt.getSlot(w, 'momentum')!.name).toBe('w/RMSProp_2');
  });

  test('Adagrad: accum starts at 0.1; w -= lr·g/sqrt(accum); slot w/Adagrad', () => {
    const opt = new ef.train.AdagradOptimizer(0.1);
    const w = run(opt, 2);
    let ww = [1, 2], acc = [0.1, 0.1];
    for (let s = 0; s < 2; s++) {
      acc = acc.map((a, i) => a + G[i]! ** 2);
      ww = ww.map((x, i) => x - (0.1 * G[i]!) / Math.sqrt(acc[i]!));
    }
    expectClose(vals(w), ww, 6);
    expect(opt.getSlot(w, 'accumulator')!.name).toBe('w/Adagrad');
  });

  test('minimize increments globalStep and returns the loss; a schedule reads it', () => {
    const step = ef.train.getOrCreateGlobalStep();
    expect(step.name).toBe('global_step');
    expect(step.dtype).toBe('int32');
    const lr = ef.train.exponentialDecay(0.1, step, 1, 0.5, true);
    const opt = new ef.train.GradientDescentOptimizer(lr);
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    const loss = opt.minimize(lossOf(w), { globalStep: step });
    expect(vals(loss)[0]).toBeCloseTo(-1.5, 6);
    loss.dispose();
    opt.minimize(lossOf(w), { globalStep: step }).dispose();
    expect(Number(step.dataSync()[0])).toBe(2);
    // lr 0.1 then 0.05: w = 1 - 0.15·0.5
    expectClose(vals(w), [1 - 0.075, 2 + 0.15]);
  });

  test('computeGradients/applyGradients with clipByGlobalNorm', () => {
    const w = ef.variable(ef.tensor([3, 4]), { name: 'w' });
    const opt = new ef.train.GradientDescentOptimizer(1);
    // loss = Σ w²/2 → grad = w = [3,4], norm 5
    const gv = opt.computeGradients(() => ef.mul(ef.reduceSum(ef.square(w)), 0.5));
    expect(vals(gv.loss!)[0]).toBeCloseTo(12.5);
    const [clipped, norm] = ef.train.clipByGlobalNorm(gv.map(([g]) => g), 1);
    expect(vals(norm)[0]).toBeCloseTo(5);
    opt.applyGradients(clipped.map((g, i) => [g, gv[i]![1]]));
    expectClose(vals(w), [3 - 0.6, 4 - 0.8]);
  });

  test('a failed step (NaN gradient, wrong shape) leaves variables and slots unchanged', () => {
    const opt = new ef.train.AdamOptimizer(0.1);
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    const b = ef.variable(ef.tensor([5]), { name: 'b' });
    opt.minimize(() => ef.add(ef.reduceSum(ef.mul(w, ef.tensor(G))), ef.reduceSum(b))).dispose();
    const before = [vals(w), vals(b), vals(opt.getSlot(w, 'm')!), vals(opt.getBetaAccumulators()[0])];
    // b's gradient is NaN: nothing may change, not even w's update that comes first
    expect(() => opt.minimize(() => ef.add(ef.reduceSum(ef.mul(w, ef.tensor(G))), ef.reduceSum(ef.mul(b, NaN))))).toThrow(/non-finite gradient.*\bb\b/);
    expect(() => opt.applyGradients([[ef.tensor([1, 2, 3]), w]])).toThrow(/shape \[3\].*shape \[2\]/);
    expect([vals(w), vals(b), vals(opt.getSlot(w, 'm')!), vals(opt.getBetaAccumulators()[0])]).toEqual(before);
  });

  test('failed steps leak no tensors', () => {
    const opt = new ef.train.AdamOptimizer(0.1);
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    opt.minimize(lossOf(w)).dispose();
    const before = ef.memory().numTensors;
    expect(() => opt.minimize(() => { ef.mul(w, 2); throw new Error('bad loss'); })).toThrow('bad loss');
    expect(() => opt.minimize(() => ef.reduceSum(ef.mul(w, NaN)))).toThrow(/non-finite/);
    expect(() => opt.minimize(() => ef.mul(w, 2))).toThrow(/scalar/);
    expect(ef.memory().numTensors).toBe(before);
  });

  test('clear errors: no gradients, non-scalar loss, loss not a function', () => {
    const opt = new ef.train.GradientDescentOptimizer(0.1);
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    expect(() => opt.minimize(() => ef.tensor(3), { varList: [w] })).toThrow(/no gradients provided for any variable: \[w\]/);
    expect(() => opt.minimize(() => ef.mul(w, 2), { varList: [w] })).toThrow(/must be a scalar/);
    expect(() => opt.minimize(ef.tensor(1) as unknown as () => ef.Tensor)).toThrow(/as a function/);
  });
});
