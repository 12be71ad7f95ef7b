import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

/** x³ as a JS function over host values. */
const cubeValues = (x: ef.HostValue) => ({ values: Float32Array.from(x.values as Float32Array, (v) => v ** 3), shape: x.shape });

/** Central finite differences of sum(op(x)) at x, computed with the op itself. */
function finiteDiff(op: (x: ef.Tensor) => ef.Tensor, x: number[], h = 1e-2): number[] {
  const f = (v: number[]) => ef.tidy(() => vals(op(ef.tensor(v)).sum())[0]!);
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

const X = [-1.2, 0.5, 2];

describe('customOp', () => {
  test('forward, gradient with public ops, finite-difference check, second order', () => {
    const cube = ef.customOp(cubeValues, {
      name: 'cube',
      gradFn: ({ inputs: [x], dys: [dy] }) => [ef.mul(dy!, ef.mul(3, ef.square(x!)))],
    });
    const x = ef.tensor(X);
    const y = cube(x);
    expect(y.shape).toEqual([3]);
    expectClose(vals(y), X.map((v) => v ** 3));
    const g = ef.grad((t) => cube(t).sum())(x);
    expectClose(vals(g), X.map((v) => 3 * v * v), 1e-5);
    expectClose(vals(g), finiteDiff(cube, X), 1e-3);
    // The gradient is written with public ops, so it differentiates again: d²/dx² x³ = 6x.
    const g2 = ef.grad((t) => ef.grad((u) => cube(u).sum())(t).sum())(x);
    expectClose(vals(g2), X.map((v) => 6 * v), 1e-5);
  });

  test('gradient as a JS function over host values (hostGradFn)', () => {
    const cube = ef.customOp(cubeValues, {
      name: 'cube_host',
      hostGradFn: ({ inputs: [x], dys: [dy] }) => ({
        values: Float32Array.from(x!.values as Float32Array, (v, i) => 3 * v * v * (dy!.values as Float32Array)[i]!),
        shape: x!.shape,
      }),
    });
    const x = ef.tensor(X);
    const g = ef.grad((t) => cube(t).mul(ef.tensor([1, 2, 3])).sum())(x);
    expectClose(vals(g), X.map((v, i) => 3 * v * v * (i + 1)), 1e-5);
    expectClose(vals(ef.grad((t) => cube(t).sum())(x)), finiteDiff(cube, X), 1e-3);
  });

  test('several inputs and outputs; broadcasting is up to the function', () => {
    const sumAndProduct = ef.customOp<ef.Tensor[]>(
      (a, b) => {
        const av = a.values as Float32Array;
        const bv = b.values as Float32Array;
        return [av.map((v, i) => v + bv[i]!), { values: av.map((v, i) => v * bv[i]!), shape: a.shape, dtype: 'float32' }];
      },
      {
        name: 'sumAndProduct',
        gradFn: ({ inputs: [a, b], dys: [ds, dp] }) => [ef.add(ds!, ef.mul(dp!, b!)), ef.add(ds!, ef.mul(dp!, a!))],
      },
    );
    const a = ef.tensor([[1, 2], [3, 4]]);
    const b = ef.tensor([[5, 6], [7, 8]]);
    const [s, p] = sumAndProduct(a, b);
    expect(s!.shape).toEqual([2, 2]);
    expect(vals(s)).toEqual([6, 8, 10, 12]);
    expect(vals(p)).toEqual([5, 12, 21, 32]);
    // Only the product feeds the loss: the sum output gets a zero upstream gradient.
    const { grads } = ef.valueAndGrads(() => sumAndProduct(a, b)[1]!.sum(), [a, b]);
    expect(vals(grads[0])).toEqual([5, 6, 7, 8]);
    expect(vals(grads[1])).toEqual([1, 2, 3, 4]);
  });

  test('outputs: typed arrays, numbers, dtypes and default shapes', () => {
    const argmaxOp = ef.customOp((x) => Int32Array.of((x.values as Float32Array).indexOf(Math.max(...(x.values as Float32Array)))), { name: 'argmax1' });
    const r = argmaxOp([3, 9, 2]);
    expect(r.dtype).toBe('int32');
    expect(r.shape).toEqual([1]);
    expect(vals(r)).toEqual([1]);
    const total = ef.customOp((x) => (x.values as Float32Array).reduce((s, v) => s + v, 0));
    expect(total(ef.tensor([[1, 2], [3, 4]])).shape).toEqual([]);
    const same = ef.customOp((x) => Array.from(x.values as Float32Array, (v) => v + 1));
    expect(same(ef.tensor([[1, 2], [3, 4]])).shape).toEqual([2, 2]); // as many values as input 0: its shape
    const flags = ef.customOp((x) => ({ values: Uint8Array.from(x.values as Float32Array, (v) => +(v > 0)), dtype: 'bool' }));
    expect(flags([-1, 1]).dtype).toBe('bool');
  });

  test('without a gradient function the op stops gradients', () => {
    const plain = ef.customOp(cubeValues, { name: 'plainCube' });
    const x = ef.tensor([1, 2]);
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => plain(x).sum());
    expect(tape.gradient(y, x)).toBeNull();
    expect(vals(ef.grad((t) => plain(t).sum())(x))).toEqual([0, 0]);
  });

  test('no leaks: converted JS inputs and tape-held tensors are freed', () => {
    const cube = ef.customOp(cubeValues, { gradFn: ({ inputs: [x], dys: [dy] }) => ef.mul(dy!, ef.mul(3, ef.square(x!))) });
    const x = ef.tensor([1, 2]);
    const before = ef.memory().numTensors;
    ef.tidy(() => {
      cube([1, 2, 3]);
      ef.valueAndGrads(() => cube(x).sum(), [x]);
    });
    const y = cube([4, 5]);
    expect(ef.memory().numTensors).toBe(before + 1);
    y.dispose();
  });

  test('clear errors', () => {
    const wrongSize = ef.customOp(() => ({ values: new Float32Array(3), shape: [2] }), { name: 'wrongSize' });
    expect(() => wrongSize([1])).toThrow('wrongSize: output 0: shape [2] needs 2 values, found 3');
    const asyncFn = ef.customOp((async () => new Float32Array(1)) as unknown as ef.CustomForwardFn, { name: 'asyncFn' });
    expect(() => asyncFn([1])).toThrow('asyncFn: the forward function returned a Promise; use ef.customOpAsync for async functions');
    const badGrad = ef.customOp(cubeValues, { name: 'badGrad', gradFn: ({ dys: [dy] }) => [dy!, dy!] });
    expect(() => ef.grad((t) => badGrad(t).sum())(ef.tensor([1]))).toThrow('badGrad: the gradient function returned 2 gradients for 1 inputs');
    const badShape = ef.customOp(cubeValues, { name: 'badShape', gradFn: () => [ef.ones([5])] });
    expect(() => ef.grad((t) => badShape(t).sum())(ef.tensor([1, 2]))).toThrow("badShape: gradient 0 has shape [5], expected input 0's shape [2]");
    const badOut = ef.customOp(() => ({ values: 'nope' }) as unknown as ef.CustomOutput, { name: 'badOut' });
    expect(() => badOut([1])).toThrow('badOut: output 0: values must be a typed array or an array, found string');
    expect(() => ef.customOp(cubeValues, { gradFn: () => null, hostGradFn: () => null })).toThrow('give gradFn or hostGradFn, not both');
  });
});

/** A backend whose tensors can only be read asynchronously (like WebGPU), with no kernels. */
function registerAsyncOnlyBackend(name: string): void {
  ef.registerBackend({
    name,
    priority: -1,
    create: async () => ({
      name,
      write: (values: ef.DataValues) => ({ values: Array.isArray(values) ? values : values.slice() }),
      read: async (data: unknown) => (data as { values: ef.DataValues }).values.slice() as ef.DataValues,
      release: () => {},
      run: () => {
        throw new Error('no kernels');
      },
      hasKernel: () => false,
      dispose: () => {},
    }),
  });
}

describe('customOp with inputs that are not host-readable', () => {
  test('the sync op names the fix; customOpAsync awaits data() and records on tapes', async () => {
    registerAsyncOnlyBackend('asyncdev');
    await ef.setBackend('asyncdev');
    const onDevice = ef.tensor([1, 2, 3]);
    await ef.setBackend('cpu');
    expect(onDevice.backend.name).toBe('asyncdev');

    const cube = ef.customOp(cubeValues, { name: 'cube' });
    expect(() => cube(onDevice)).toThrow(
      "cube: input 0 (shape [3]) is on 'asyncdev', which cannot be read synchronously; use ef.customOpAsync(...) (it awaits t.data()), or keep the inputs on the CPU",
    );

    const cubeAsync = ef.customOpAsync(async (x) => cubeValues(x), {
      name: 'cubeAsync',
      gradFn: ({ inputs: [x], dys: [dy] }) => [ef.mul(dy!, ef.mul(3, ef.square(x!)))],
    });
    const y = await cubeAsync(onDevice);
    expect(y.backend.name).toBe('cpu'); // written to the backend current at the call
    expect(vals(y)).toEqual([1, 8, 27]);

    const x = ef.tensor([1, 2]);
    const tape = new ef.GradientTape();
    tape.watch(x);
    const z = await tape.record(() => cubeAsync(x));
    const g = tape.gradient(z, x, { outputGradient: ef.ones([2]) });
    expect(vals(g)).toEqual([3, 12]);

    await ef.toBackend(onDevice, 'cpu');
    expect(vals(cube(onDevice))).toEqual([1, 8, 27]);
  });
});
