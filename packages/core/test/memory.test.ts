import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const live = () => ef.memory().numTensors;

describe('training loop memory', () => {
  test('1,000 steps of valueAndGrads + variable updates inside tidy do not grow live tensors or bytes', () => {
    // Linear regression y = X·w + b towards known weights.
    const X = ef.tensor(Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 5) / 5, 1 - (i % 3) / 3]));
    const trueW = ef.tensor([[1.5], [-2], [0.5], [3]]);
    const Y = ef.tidy(() => X.matmul(trueW).add(0.25));
    const w = ef.variable(ef.zeros([4, 1]), { name: 'loop_w' });
    const b = ef.variable(ef.zeros([1]), { name: 'loop_b' });
    const steps: number[] = [];
    let afterFirst = { numTensors: -1, numBytes: -1 };
    let firstLoss = 0;
    let lastLoss = 0;
    for (let step = 0; step < 1000; step++) {
      const loss = ef.tidy(() => {
        const { value, grads } = ef.valueAndGrads(() => X.matmul(w).add(b).sub(Y).square().mean(), [w, b]);
        w.assignSub(grads[0]!.mul(0.1));
        b.assignSub(grads[1]!.mul(0.1));
        return value.dataSync()[0] as number;
      });
      if (step === 0) {
        firstLoss = loss;
        afterFirst = ef.memory();
      }
      lastLoss = loss;
      if (step % 250 === 0) steps.push(live());
    }
    const end = ef.memory();
    expect(end.numTensors).toBe(afterFirst.numTensors);
    expect(end.numBytes).toBe(afterFirst.numBytes);
    expect(new Set(steps).size).toBe(1);
    expect(lastLoss).toBeLessThan(firstLoss * 1e-3);
    expect(vals(w).map((v) => Math.round(v * 100) / 100)).toEqual([1.5, -2, 0.5, 3]);
    ef.dispose([X, trueW, Y, w, b]);
  });

  test('the same loop with an explicit GradientTape and no tidy around the tape', () => {
    const w = ef.variable(ef.tensor([1, -1]), { name: 'tape_loop_w' });
    let after1 = -1;
    for (let step = 0; step < 200; step++) {
      const tape = new ef.GradientTape();
      // tidy inside record: the tape keeps the intermediates it needs until it is disposed.
      const loss = tape.record(() => ef.tidy(() => w.square().sum()));
      const g = tape.gradient(loss, w)!;
      ef.tidy(() => {
        w.assignSub(g.mul(0.1));
      });
      ef.dispose([loss, g]);
      if (step === 0) after1 = live();
    }
    expect(live()).toBe(after1);
    w.dispose();
  });
});

describe('tidy, keep, dispose', () => {
  test('tidy frees intermediates and keeps what it returns; nested tidies hand results outwards', () => {
    const before = live();
    const x = ef.tensor([1, 2, 3]);
    let inner!: ef.Tensor;
    const out = ef.tidy(() => {
      const a = x.add(1).mul(2);
      inner = ef.tidy(() => a.square().sub(1));
      expect(inner.isDisposed).toBe(false);
      return { result: [inner.sum()], other: 'text' };
    });
    expect(inner.isDisposed).toBe(true); // returned by the inner tidy, not by the outer one
    expect(vals(out.result[0])).toEqual([15 + 35 + 63]);
    expect(live()).toBe(before + 2); // x and the result
    ef.dispose([x, out]);
    expect(live()).toBe(before);
  });

  test('keep() survives tidy; tidy disposes everything when its function throws', () => {
    const before = live();
    let kept!: ef.Tensor;
    ef.tidy(() => {
      kept = ef.keep(ef.ones([2]).mul(3));
      ef.ones([5]);
    });
    expect(vals(kept)).toEqual([3, 3]);
    expect(() =>
      ef.tidy(() => {
        ef.ones([3]);
        throw new Error('fail');
      }),
    ).toThrow('fail');
    expect(live()).toBe(before + 1);
    kept.dispose();
    expect(() => ef.tidy((() => Promise.resolve(1)) as unknown as () => number)).toThrow(/tidy\(\) is synchronous/);
  });

  test('`using` disposes at the end of the block (Symbol.dispose)', () => {
    const before = live();
    let escaped: ef.Tensor;
    {
      using t = ef.tensor([1, 2]);
      escaped = t;
      expect(live()).toBe(before + 1);
    }
    expect(escaped.isDisposed).toBe(true);
    expect(live()).toBe(before);
    expect(() => escaped.dataSync()).toThrow(/dataSync: tensor \d+ \(shape \[2\], float32\) was disposed/);
    {
      using tape = new ef.GradientTape();
      tape.watch(escaped);
    }
  });

  test('JS scalars converted for an op are freed with it (no leak outside tidy)', () => {
    const x = ef.tensor([1, 2]);
    const before = live();
    const y = ef.add(x, 1);
    const z = x.mul(2).sub(0.5);
    expect(live()).toBe(before + 3); // y, x*2, z
    ef.dispose([y, z]);
  });

  test('dispose is idempotent; a tensor disposed while a tape holds it is freed with the tape', () => {
    const x = ef.tensor([1, 2]);
    const before = live();
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => x.square());
    y.dispose();
    y.dispose();
    expect(y.isDisposed).toBe(true);
    expect(live()).toBe(before + 1); // still held by the tape
    tape.dispose();
    expect(live()).toBe(before);
    x.dispose();
  });
});

describe('ef.memory()', () => {
  test('counts live tensors and bytes per backend; reshape and variables share storage', () => {
    const m0 = ef.memory();
    const a = ef.zeros([4, 8]);
    const m1 = ef.memory();
    expect(m1.numTensors - m0.numTensors).toBe(1);
    expect(m1.numBytes - m0.numBytes).toBe(128);
    expect(m1.backends.cpu!.tensors - m0.backends.cpu!.tensors).toBe(1);
    expect(m1.backends.cpu!.bytes - m0.backends.cpu!.bytes).toBe(128);

    const r = a.reshape([32]); // aliases a's storage
    const v = ef.variable(a, { name: 'mem_v' }); // shares it too
    const m2 = ef.memory();
    expect(m2.numTensors - m0.numTensors).toBe(3);
    expect(m2.numBytes - m0.numBytes).toBe(128);

    a.dispose();
    r.dispose();
    expect(ef.memory().numBytes - m0.numBytes).toBe(128); // the variable keeps the storage
    const ones = ef.ones([4, 8], 'float32');
    v.assign(ones);
    ones.dispose();
    expect(vals(v)[0]).toBe(1);
    expect(ef.memory().numBytes - m0.numBytes).toBe(128); // old storage released
    v.dispose();
    const m3 = ef.memory();
    expect(m3.numTensors).toBe(m0.numTensors);
    expect(m3.numBytes).toBe(m0.numBytes);

    const i8 = ef.tensor([true, false, true]);
    expect(ef.memory().numBytes - m0.numBytes).toBe(3);
    i8.dispose();
  });
});
