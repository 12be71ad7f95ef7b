import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);

const at = (s: ef.train.Schedule) => vals(s())[0]!;

describe('learning-rate schedules', () => {
  test('exponentialDecay, smooth and staircase (tensor and host agree)', () => {
    let step = 0;
    const smooth = ef.train.exponentialDecay(0.1, () => step, 10, 0.96);
    const stair = ef.train.exponentialDecay(0.1, () => step, 10, 0.96, true);
    for (step of [0, 5, 10, 25, 100]) {
      expect(at(smooth)).toBeCloseTo(0.1 * 0.96 ** (step / 10), 6);
      expect(at(stair)).toBeCloseTo(0.1 * 0.96 ** Math.floor(step / 10), 6);
      expect(smooth.valueAt(step)).toBeCloseTo(0.1 * 0.96 ** (step / 10), 12);
    }
  });

  test('piecewiseConstant: values[i] while step ≤ boundaries[i]', () => {
    let step = 0;
    const s = ef.train.piecewiseConstant(() => step, [100, 200], [1, 0.5, 0.1]);
    for (const [x, want] of [[0, 1], [100, 1], [101, 0.5], [200, 0.5], [201, 0.1], [1e6, 0.1]] as const) {
      step = x;
      expect(at(s)).toBeCloseTo(want, 6);
      expect(s.valueAt(x)).toBe(want);
    }
    expect(() => ef.train.piecewiseConstant(0, [1, 2], [1, 2])).toThrow(/one more/);
  });

  test('polynomialDecay (power 2, clipped; with cycle)', () => {
    let step = 0;
    const s = ef.train.polynomialDecay(0.1, () => step, 100, { endLearningRate: 0.01, power: 2 });
    const c = ef.train.polynomialDecay(0.1, () => step, 100, { endLearningRate: 0.01, cycle: true });
    for (step of [0, 50, 100, 150]) {
      const p = Math.min(step, 100);
      expect(at(s)).toBeCloseTo(0.09 * (1 - p / 100) ** 2 + 0.01, 6);
    }
    step = 150; // cycle: decaySteps → 200
    expect(at(c)).toBeCloseTo(0.09 * (1 - 150 / 200) + 0.01, 6);
    expect(c.valueAt(150)).toBeCloseTo(0.09 * 0.25 + 0.01, 12);
  });

  test('cosineDecay with alpha', () => {
    let step = 0;
    const s = ef.train.cosineDecay(0.1, () => step, 100, { alpha: 0.1 });
    for (step of [0, 25, 50, 100, 200]) {
      const cosd = 0.5 * (1 + Math.cos((Math.PI * Math.min(step, 100)) / 100));
      expect(at(s)).toBeCloseTo(0.1 * (0.9 * cosd + 0.1), 6);
    }
  });

  test('a schedule over the global-step variable drives an optimizer', () => {
    const gs = ef.train.getOrCreateGlobalStep();
    const lr = ef.train.piecewiseConstant(gs, [0], [1, 0.1]);
    const w = ef.variable(ef.tensor([0]), { name: 'w' });
    const opt = new ef.train.GradientDescentOptimizer(lr);
    opt.minimize(() => ef.reduceSum(w), { globalStep: gs }).dispose(); // lr 1 at step 0
    opt.minimize(() => ef.reduceSum(w), { globalStep: gs }).dispose(); // lr 0.1 at step 1
    expect(vals(w)[0]).toBeCloseTo(-1.1, 6);
  });
});

describe('ExponentialMovingAverage', () => {
  test("the notes' example: decay min(0.99, (1+n)/(10+n)), shadow 'v1/ExponentialMovingAverage'", () => {
    const v1 = ef.variable(ef.scalar(0), { name: 'v1' });
    const step = ef.variable(ef.scalar(0, 'int32'), { name: 'step', trainable: false });
    const ema = new ef.train.ExponentialMovingAverage(0.99, { numUpdates: step });
    ema.apply([v1]);
    expect(ema.average(v1)!.name).toBe('v1/ExponentialMovingAverage');
    expect(vals(ema.average(v1)!)[0]).toBe(0);
    v1.assign(ef.scalar(5));
    ema.apply([v1]); // decay = min(0.99, 1/10) = 0.1 → 0.1·0 + 0.9·5
    expect(vals(ema.average(v1)!)[0]).toBeCloseTo(4.5, 5);
    step.assign(ef.scalar(10000, 'int32'));
    v1.assign(ef.scalar(10));
    ema.apply([v1]); // decay 0.99 → 4.555
    expect(vals(ema.average(v1)!)[0]).toBeCloseTo(4.555, 5);
    ema.apply([v1]);
    expect(vals(ema.average(v1)!)[0]).toBeCloseTo(4.60945, 5);
  });

  test('without numUpdates the decay is fixed; shadows are not trainable', () => {
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    const ema = new ef.train.ExponentialMovingAverage(0.5);
    ema.apply([w]);
    w.assign(ef.tensor([3, 4]));
    ema.apply([w]);
    expect(vals(ema.average(w)!)).toEqual([2, 3]);
    expect(ema.average(w)!.trainable).toBe(false);
    expect(ef.trainableVariables()).toEqual([w]);
    expect(ef.getCollection(ef.GraphKeys.MOVING_AVERAGE_VARIABLES)).toEqual([w]);
  });

  test('variablesToRestore maps shadow names to the variables; withAverages swaps and restores', async () => {
    const w = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    const gs = ef.variable(ef.scalar(0, 'int32'), { name: 'global_step', trainable: false });
    const ema = new ef.train.ExponentialMovingAverage(0.5);
    ema.apply([w]);
    w.assign(ef.tensor([3, 4]));
    ema.apply([w]);
    const map = ema.variablesToRestore();
    expect(map['w/ExponentialMovingAverage']).toBe(w);
    expect(map['global_step']).toBe(gs);
    expect(Object.keys(map).sort()).toEqual(['global_step', 'w/ExponentialMovingAverage']);
    const seen = ema.withAverages(() => vals(w));
    expect(seen).toEqual([2, 3]);
    expect(vals(w)).toEqual([3, 4]);
    const seenAsync = await ema.withAverages(async () => vals(w));
    expect(seenAsync).toEqual([2, 3]);
    expect(vals(w)).toEqual([3, 4]);
    expect(() => ema.withAverages(() => { throw new Error('boom'); })).toThrow('boom');
    expect(vals(w)).toEqual([3, 4]);
  });
});
