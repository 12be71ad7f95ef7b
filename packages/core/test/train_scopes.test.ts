import { afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);

describe('variableScope / getVariable', () => {
  test('names are scoped; reuse: true gets the same variable (the notes example)', () => {
    const v = ef.variableScope('foo', () => ef.getVariable('v', { shape: [1], initializer: ef.initializers.constant(1) }));
    expect(v.name).toBe('foo/v');
    const v1 = ef.variableScope('foo', { reuse: true }, () => ef.getVariable('v', { shape: [1] }));
    expect(v1).toBe(v);
    expect(vals(v1)).toEqual([1]);
    const nested = ef.variableScope('a', () => ef.variableScope('b', () => ef.getVariable('w', { shape: [2, 2] })));
    expect(nested.name).toBe('a/b/w');
  });

  test('creating an existing name without reuse throws a clear error', () => {
    ef.variableScope('foo', () => ef.getVariable('v', { shape: [1] }));
    expect(() => ef.variableScope('foo', () => ef.getVariable('v', { shape: [1] }))).toThrow(/'foo\/v' already exists.*reuse/);
  });

  test('reusing a missing variable throws; reuse is inherited by nested scopes', () => {
    expect(() => ef.variableScope('foo', { reuse: true }, () => ef.getVariable('nope', { shape: [1] }))).toThrow(/'foo\/nope' does not exist/);
    expect(() => ef.variableScope('foo', { reuse: true }, () => ef.variableScope('bar', { reuse: false }, () => ef.getVariable('x', { shape: [1] })))).toThrow(
      /'foo\/bar\/x' does not exist/,
    );
  });

  test("reuse: 'auto' gets or creates; a shape mismatch on reuse throws", () => {
    const a = ef.variableScope('m', { reuse: 'auto' }, () => ef.getVariable('w', { shape: [3] }));
    const b = ef.variableScope('m', { reuse: 'auto' }, () => ef.getVariable('w', { shape: [3] }));
    expect(b).toBe(a);
    expect(() => ef.variableScope('m', { reuse: true }, () => ef.getVariable('w', { shape: [4] }))).toThrow(/specified shape \[4\] and found shape \[3\]/);
  });

  test('scope initializer, regularizer and trainable defaults; collections', () => {
    const w = ef.variableScope('s', { initializer: ef.initializers.constant(2), regularizer: ef.regularizers.l2(0.1) }, () =>
      ef.getVariable('w', { shape: [2] }),
    );
    const c = ef.getVariable('c', { shape: [2], trainable: false, initializer: ef.initializers.zeros() });
    expect(vals(w)).toEqual([2, 2]);
    expect(ef.getCollection(ef.GraphKeys.TRAINABLE_VARIABLES)).toContain(w);
    expect(ef.getCollection(ef.GraphKeys.TRAINABLE_VARIABLES)).not.toContain(c);
    expect(ef.getCollection(ef.GraphKeys.GLOBAL_VARIABLES)).toEqual(expect.arrayContaining([w, c]));
    // l2 = scale·Σw²/2 = 0.1·8/2
    expect(vals(ef.losses.getRegularizationLoss())[0]).toBeCloseTo(0.4, 6);
    // the regularization loss follows later values of w
    w.assign(ef.tensor([1, 1]));
    expect(vals(ef.losses.getRegularizationLoss())[0]).toBeCloseTo(0.1, 6);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      ef.addToCollection('losses', ef.tensor(3));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("eagerflow: addToCollection('losses', tensor) stores a value computed now"));
    } finally {
      warn.mockRestore();
    }
    expect(ef.getCollection('losses').length).toBe(1);
    ef.clearCollection('losses');
  });

  test("the notes' get_weight pattern: loss functions in a collection, summed by addN with gradients", () => {
    // TF1: tf.add_to_collection('losses', l2_regularizer(0.5)(w)); loss = mse + tf.add_n(tf.get_collection('losses'))
    const w = ef.variable(ef.tensor([1, 2]), { name: 'get_weight_w' });
    ef.addToCollection('losses', () => ef.regularizers.l2(0.5)(w));
    const total = () => ef.add(ef.reduceSum(ef.mul(w, 0)), ef.addN(ef.getCollection<() => ef.Tensor>('losses')));
    expect(vals(total())[0]).toBeCloseTo(0.5 * 5 / 2, 6);
    expect(vals(ef.grad(total)(w))).toEqual([0.5, 1]); // d(0.5·Σw²/2)/dw = 0.5·w
    w.assign(ef.tensor([2, 2]));
    expect(vals(ef.addN(ef.losses.getLosses()))[0]).toBeCloseTo(2, 6);
    // tf.add_n(reg_losses + [loss]) with the REGULARIZATION_LOSSES thunks getVariable adds
    const v = ef.getVariable('addn_reg', { initializer: [3], regularizer: ef.regularizers.l1(1) });
    const regs = ef.getCollection<() => ef.Tensor>(ef.GraphKeys.REGULARIZATION_LOSSES).filter((f) => (f as { variable?: unknown }).variable === v);
    expect(vals(ef.addN([...regs, ef.tensor(1)]))).toEqual([4]);
    ef.clearCollection('losses');
  });

  test('initial value given as a tensor or array; shape required for an initializer', () => {
    const t = ef.tensor([[1, 2]]);
    const v = ef.getVariable('fromTensor', { initializer: t });
    expect(v.shape).toEqual([1, 2]);
    expect(t.isDisposed).toBe(false);
    expect(vals(ef.getVariable('fromArray', { initializer: [3, 4] }))).toEqual([3, 4]);
    expect(() => ef.getVariable('noShape', {})).toThrow(/shape is required/);
  });
});

describe('initializers (TensorFlow formulas)', () => {
  const stats = (t: ef.Tensor) => {
    const d = vals(t);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    return { mean, sd, min: Math.min(...d), max: Math.max(...d) };
  };

  test('fans: dense [in,out], conv [kh,kw,in,out]', () => {
    expect(ef.initializers.computeFans([30, 20])).toEqual({ fanIn: 30, fanOut: 20 });
    expect(ef.initializers.computeFans([5, 5, 3, 8])).toEqual({ fanIn: 75, fanOut: 200 });
  });

  test('truncated normal: within 2σ, σ as asked', () => {
    const s = stats(ef.initializers.truncatedNormal({ stddev: 0.5, seed: 1 })([200, 200]));
    expect(s.max).toBeLessThanOrEqual(1.0);
    expect(s.min).toBeGreaterThanOrEqual(-1.0);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    // a normal truncated at ±2σ has stddev 0.8796σ
    expect(s.sd).toBeCloseTo(0.5 * 0.87962566103423978, 2);
  });

  test('varianceScaling FAN_IN truncated normal (He): stddev sqrt(2/fan_in) after the 0.8796 correction', () => {
    const s = stats(ef.initializers.varianceScaling({ scale: 2, mode: 'FAN_IN', distribution: 'truncated_normal', seed: 3 })([200, 300]));
    expect(s.sd).toBeCloseTo(Math.sqrt(2 / 200), 3);
    expect(s.max).toBeLessThanOrEqual((2 * Math.sqrt(2 / 200)) / 0.87962566103423978 + 1e-6);
  });

  test("contrib-style varianceScaling (no distribution): truncated normal with σ = sqrt(1.3·factor/n), as tf.contrib.layers", () => {
    const s = stats(ef.initializers.varianceScaling({ factor: 2, mode: 'FAN_IN', seed: 3 })([200, 300]));
    const sigma = Math.sqrt((1.3 * 2) / 200);
    expect(s.max).toBeLessThanOrEqual(2 * sigma + 1e-6);
    expect(s.max).toBeGreaterThan(2 * sigma * 0.99);
    expect(s.sd).toBeCloseTo(sigma * 0.87962566103423978, 3);
    const x = stats(ef.initializers.xavierInitializer({ uniform: false, seed: 4 })([200, 300]));
    expect(x.sd).toBeCloseTo(Math.sqrt(1.3 / 250) * 0.87962566103423978, 3);
  });

  test('varianceScaling FAN_OUT / FAN_AVG uniform: limit sqrt(3·scale/n)', () => {
    const out = stats(ef.initializers.varianceScaling({ scale: 1, mode: 'FAN_OUT', uniform: true, seed: 4 })([100, 400]));
    const limOut = Math.sqrt(3 / 400);
    expect(out.max).toBeLessThanOrEqual(limOut);
    expect(out.max).toBeGreaterThan(limOut * 0.99);
    expect(out.sd).toBeCloseTo(limOut / Math.sqrt(3), 3);
    const g = stats(ef.initializers.glorotUniform({ seed: 5 })([100, 300]));
    const lim = Math.sqrt(6 / 400);
    expect(g.max).toBeLessThanOrEqual(lim);
    expect(g.min).toBeGreaterThanOrEqual(-lim);
    expect(g.sd).toBeCloseTo(lim / Math.sqrt(3), 3);
  });

  test("contrib's names are the same initializers (same seed, same values)", () => {
    const I = ef.initializers;
    const same = (a: ef.Initializer, b: ef.Initializer) => expect(a([3, 3, 2, 4]).dataSync() as Float32Array).toEqual(b([3, 3, 2, 4]).dataSync() as Float32Array);
    same(I.xavierInitializer({ seed: 9 }), I.xavier({ seed: 9 }));
    same(I.xavierInitializerConv2d({ uniform: false, seed: 9 }), I.varianceScaling({ factor: 1, mode: 'FAN_AVG', seed: 9 }));
    same(I.xavier({ seed: 9 }), I.glorotUniform({ seed: 9 }));
    same(I.varianceScalingInitializer({ seed: 9 }), I.varianceScaling({ factor: 2, mode: 'FAN_IN', uniform: false, seed: 9 }));
  });

  test('random normal/uniform, constant; seeds reproduce', () => {
    const n = stats(ef.initializers.randomNormal({ mean: 1, stddev: 2, seed: 7 })([100000]));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.sd).toBeCloseTo(2, 1);
    const u = stats(ef.initializers.randomUniform({ minval: -1, maxval: 3, seed: 7 })([100000]));
    expect(u.min).toBeGreaterThanOrEqual(-1);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(1, 1);
    expect(vals(ef.initializers.constant(4)([2]))).toEqual([4, 4]);
    expect(vals(ef.initializers.heNormal({ seed: 9 })([3, 3]))).toEqual(vals(ef.initializers.heNormal({ seed: 9 })([3, 3])));
    ef.initializers.setInitializerSeed(42);
    const a = vals(ef.initializers.glorotNormal()([4, 4]));
    ef.initializers.setInitializerSeed(42);
    expect(vals(ef.initializers.glorotNormal()([4, 4]))).toEqual(a);
    ef.initializers.setInitializerSeed(null);
  });
});

describe('regularizers (TF scale semantics)', () => {
  test('l1, l2 (= scale·Σw²/2), l1l2', () => {
    const w = ef.tensor([1, -2, 3]);
    expect(vals(ef.regularizers.l1(0.5)(w))[0]).toBeCloseTo(3);
    expect(vals(ef.regularizers.l2(0.5)(w))[0]).toBeCloseTo(3.5);
    expect(vals(ef.regularizers.l1l2(0.5, 0.5)(w))[0]).toBeCloseTo(6.5);
    expect(() => ef.regularizers.l2(-1)).toThrow(/scale/);
  });
});
