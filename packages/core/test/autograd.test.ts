import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const X = [-1.5, -0.3, 0.4, 1.2, 2];

describe('first-order gradients', () => {
  test('polynomial: d/dx (x³ + 2x) = 3x² + 2', () => {
    const x = ef.tensor(X);
    const g = ef.grad((t) => t.mul(t).mul(t).add(t.mul(2)).sum())(x);
    expectClose(vals(g), X.map((v) => 3 * v * v + 2));
  });

  test('elementwise functions vs analytic derivatives', () => {
    const x = ef.tensor(X);
    const cases: [(t: ef.Tensor) => ef.Tensor, (v: number) => number][] = [
      [(t) => t.exp(), Math.exp],
      [(t) => t.sin(), Math.cos],
      [(t) => t.tanh(), (v) => 1 - Math.tanh(v) ** 2],
      [(t) => t.sigmoid(), (v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s); }],
      [(t) => t.square().add(1).log(), (v) => (2 * v) / (v * v + 1)],
      [(t) => ef.div(1, t.square().add(1)), (v) => (-2 * v) / (v * v + 1) ** 2],
      [(t) => t.relu(), (v) => (v > 0 ? 1 : 0)],
    ];
    for (const [f, df] of cases) expectClose(vals(ef.grad((t) => f(t).sum())(x)), X.map(df), 1e-4);
  });

  test('matmul gradients: d sum(A·B) = 1·Bᵀ and Aᵀ·1', () => {
    const a = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = ef.tensor([[1, -1], [0, 2], [3, 1]]);
    const { value, grads: [ga, gb] } = ef.valueAndGrads(() => a.matmul(b).sum(), [a, b]);
    expect(vals(value)).toEqual([1 + 0 + 9 - 1 + 4 + 3 + 4 + 0 + 18 - 4 + 10 + 6]);
    expect(vals(ga)).toEqual([0, 2, 4, 0, 2, 4]); // row sums of B
    expect(vals(gb)).toEqual([5, 5, 7, 7, 9, 9]); // column sums of A
    expect(ga!.shape).toEqual([2, 3]);
  });

  test('gradients are reduced back over broadcast dimensions', () => {
    const a = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = ef.tensor([10, 20, 30]);
    const s = ef.tensor(2);
    const col = ef.tensor([[1], [2]]);
    const { grads } = ef.valueAndGrads(() => a.add(b).mul(s).mul(col).sum(), [a, b, s, col]);
    const [ga, gb, gs, gcol] = grads;
    expect(ga!.shape).toEqual([2, 3]);
    expect(vals(ga)).toEqual([2, 2, 2, 4, 4, 4]);
    expect(gb!.shape).toEqual([3]);
    expect(vals(gb)).toEqual([6, 6, 6]);
    expect(gs!.shape).toEqual([]);
    expect(vals(gs)).toEqual([(11 + 22 + 33) * 1 + (14 + 25 + 36) * 2]);
    expect(gcol!.shape).toEqual([2, 1]);
    expect(vals(gcol)).toEqual([2 * 66, 2 * 75]);
  });

  test('outputGradient (dy) weights a non-scalar target', () => {
    const x = ef.tensor([1, 2, 3]);
    const dy = ef.tensor([1, 0, -2]);
    const g = ef.grad((t) => t.square())(x, dy);
    expect(vals(g)).toEqual([2, 0, -12]);
    expect(() => ef.grad((t) => t.square())(x)).toThrow(/valueAndGrads: the function returned shape \[3\]; without dy it must return a scalar/);
  });
});

describe('gradients of gradients', () => {
  test('nested GradientTapes: d²/dx² x³ = 6x', () => {
    const x = ef.tensor(X);
    const outer = new ef.GradientTape();
    outer.watch(x);
    const dydx = outer.record(() => {
      const inner = new ef.GradientTape();
      inner.watch(x);
      const y = inner.record(() => x.mul(x).mul(x));
      return inner.gradient(y, x)!;
    });
    expectClose(vals(dydx), X.map((v) => 3 * v * v));
    const d2 = outer.gradient(dydx, x)!;
    expectClose(vals(d2), X.map((v) => 6 * v));
  });

  test('grad(grad(f)) for elementwise functions', () => {
    const x = ef.tensor(X);
    const second = (f: (t: ef.Tensor) => ef.Tensor) => ef.grad((t) => ef.grad((u) => f(u).sum())(t).sum())(x);
    expectClose(vals(second((t) => t.sin())), X.map((v) => -Math.sin(v)), 1e-4);
    expectClose(vals(second((t) => t.exp())), X.map(Math.exp), 1e-4);
    const th = (v: number) => Math.tanh(v);
    expectClose(vals(second((t) => t.tanh())), X.map((v) => -2 * th(v) * (1 - th(v) ** 2)), 1e-4);
    expectClose(vals(second((t) => t.square().add(1).log())), X.map((v) => (2 * (1 - v * v)) / (v * v + 1) ** 2), 1e-4);
    expectClose(vals(second((t) => ef.div(1, t))), X.map((v) => 2 / v ** 3), 1e-3);
    // A linear function has zero second derivative (the first derivative is unconnected to x).
    expect(vals(second((t) => t.mul(3)))).toEqual([0, 0, 0, 0, 0]);
  });

  test('second order through matmul: Hessian-vector product of sum((XW)²)', () => {
    const Xm = [[1, 2], [3, -1], [0.5, 2]];
    const W = [[0.1, -0.2], [0.3, 0.4]];
    const V = [[1, 0], [-1, 2]];
    const x = ef.tensor(Xm);
    const w = ef.tensor(W);
    const v = ef.tensor(V);
    const loss = (t: ef.Tensor) => x.matmul(t).square().sum();
    const hvp = ef.grad((t) => ef.grad(loss)(t).mul(v).sum())(w);
    // d/dW sum(grad·V) = 2 XᵀX V
    const xtx = [0, 1].map((i) => [0, 1].map((j) => Xm.reduce((s, r) => s + r[i]! * r[j]!, 0)));
    const want = [0, 1].flatMap((i) => [0, 1].map((j) => 2 * (xtx[i]![0]! * V[0]![j]! + xtx[i]![1]! * V[1]![j]!)));
    expectClose(vals(hvp), want, 1e-4);
  });
});

describe('GradientTape API', () => {
  test('persistent tape answers several gradient() calls; a plain one only one', () => {
    const x = ef.tensor([1, 2]);
    const tape = new ef.GradientTape({ persistent: true });
    tape.watch(x);
    const [y, z] = tape.record(() => [x.square().sum(), x.mul(x).mul(x).sum()]);
    expect(vals(tape.gradient(y!, x))).toEqual([2, 4]);
    expect(vals(tape.gradient(z!, x))).toEqual([3, 12]);
    tape.dispose();
    expect(() => tape.gradient(y!, x)).toThrow(/after dispose/);

    const once = new ef.GradientTape();
    once.watch(x);
    const w = once.record(() => x.square().sum());
    once.gradient(w, x);
    expect(() => once.gradient(w, x)).toThrow(/gradient\(\) after dispose|twice/);
  });

  test('watchAccessedVariables: trainable variables are watched unless turned off', () => {
    const v = ef.variable(ef.tensor([1, 2, 3]), { name: 'tape_v' });
    const frozen = ef.variable(ef.tensor([1, 1, 1]), { name: 'tape_frozen', trainable: false });
    const auto = new ef.GradientTape();
    const y = auto.record(() => v.mul(frozen).square().sum());
    const [gv, gf] = auto.gradient(y, [v, frozen]);
    expect(vals(gv)).toEqual([2, 4, 6]);
    expect(gf).toBeNull();

    const manual = new ef.GradientTape({ watchAccessedVariables: false });
    const y2 = manual.record(() => v.square().sum());
    expect(manual.gradient(y2, v)).toBeNull();
    v.dispose();
    frozen.dispose();
  });

  test('unconnected sources: null from the tape, zeros with {unconnected: "zero"} and from valueAndGrads', () => {
    const x = ef.tensor([1, 2]);
    const u = ef.tensor([5, 6, 7]);
    const tape = new ef.GradientTape({ persistent: true });
    tape.watch(x, u);
    const y = tape.record(() => x.square().sum());
    expect(tape.gradient(y, [x, u])[1]).toBeNull();
    const [, gz] = tape.gradient(y, [x, u], { unconnected: 'zero' });
    expect(vals(gz)).toEqual([0, 0, 0]);
    tape.dispose();
    const { grads } = ef.valueAndGrads(() => x.square().sum(), [x, u]);
    expect(vals(grads[1])).toEqual([0, 0, 0]);
  });

  test('integer and bool inputs get no gradient', () => {
    const x = ef.tensor([1, 2, 3]);
    const k = ef.tensor([2, 3, 4], undefined, 'int32');
    const tape = new ef.GradientTape();
    tape.watch(x, k);
    const y = tape.record(() => x.mul(k.cast('float32')).sum());
    const [gx, gk] = tape.gradient(y, [x, k]);
    expect(vals(gx)).toEqual([2, 3, 4]);
    expect(gk).toBeNull();
    const g = ef.grad((t) => t.mul(2).sum())(k);
    expect(g.dtype).toBe('int32');
    expect(vals(g)).toEqual([0, 0, 0]);
  });

  test('noGrad and stopGradient cut the tape', () => {
    const x = ef.tensor([1, 2, 3]);
    // y = x · stop(x): dy/dx = stop(x) = x, not 2x
    expect(vals(ef.grad((t) => t.mul(ef.stopGradient(t)).sum())(x))).toEqual([1, 2, 3]);
    expect(vals(ef.grad((t) => t.mul(t.detach()).sum())(x))).toEqual([1, 2, 3]);
    expect(vals(ef.grad((t) => t.mul(ef.noGrad(() => t.square())).sum())(x))).toEqual([1, 4, 9]);
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => ef.noGrad(() => x.square().sum()));
    expect(tape.gradient(y, x)).toBeNull();
  });

  test('gradient of a tensor disposed while the tape held it', () => {
    const x = ef.tensor([0.5, 1]);
    const before = ef.memory().numTensors;
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => {
      const t = x.mul(2);
      const e = t.exp();
      const z = e.sum();
      t.dispose();
      e.dispose();
      expect(t.isDisposed).toBe(true);
      expect(() => t.add(1)).toThrow(/add: argument 'a' \(shape \[2\], float32\) was disposed/);
      return z;
    });
    const g = tape.gradient(y, x)!; // the tape still had t
    expectClose(vals(g), [2 * Math.exp(1), 2 * Math.exp(2)]);
    y.dispose();
    g.dispose();
    expect(ef.memory().numTensors).toBe(before);
  });

  test('assigning a variable after recording keeps the recorded value for backward', () => {
    const v = ef.variable(ef.tensor([3]), { name: 'snap_v' });
    const tape = new ef.GradientTape({ persistent: true });
    const y = tape.record(() => v.square().sum());
    v.assign(ef.tensor([10]));
    expect(vals(tape.gradient(y, v))).toEqual([6]); // 2·3, the value the forward pass saw
    expect(vals(v)).toEqual([10]);
    tape.dispose();
    v.dispose();
  });

  test('record() nests on the same tape without recording twice', () => {
    const x = ef.tensor([2]);
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => tape.record(() => x.square()));
    expect(vals(tape.gradient(y, x))).toEqual([4]);
  });

  test('valueAndGrads releases its tape when the function throws', () => {
    const x = ef.tensor([1, 2]);
    const before = ef.memory().numTensors;
    expect(() =>
      ef.valueAndGrads(() => {
        x.square();
        throw new Error('boom');
      }, [x]),
    ).toThrow('boom');
    expect(() => ef.valueAndGrads(() => 3 as unknown as ef.Tensor, [x])).toThrow(/must return a Tensor, found number/);
    expect(ef.memory().numTensors).toBe(before);
  });

  test('grads / valueAndGrad transforms', () => {
    const [ga, gb] = ef.grads((a, b) => a!.mul(b!).sum())([ef.tensor([1, 2]), ef.tensor([3, 4])]);
    expect(vals(ga)).toEqual([3, 4]);
    expect(vals(gb)).toEqual([1, 2]);
    const { value, grad } = ef.valueAndGrad((t) => t.square().sum())(ef.tensor([3]));
    expect(vals(value)).toEqual([9]);
    expect(vals(grad)).toEqual([6]);
  });
});
