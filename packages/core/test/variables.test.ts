import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

describe('variables', () => {
  test('creation from tensors and JS values; names made unique; collections', () => {
    const a = ef.variable(ef.tensor([1, 2]), { name: 'w' });
    const b = ef.variable([[1, 2], [3, 4]], { name: 'w' });
    const c = ef.variable(5, { name: 'step', trainable: false, dtype: 'int32' });
    expect(a.name).toBe('w');
    expect(b.name).toBe('w_1');
    expect(b.shape).toEqual([2, 2]);
    expect(c.dtype).toBe('int32');
    expect(ef.globalVariables()).toEqual(expect.arrayContaining([a, b, c]));
    expect(ef.trainableVariables()).toEqual(expect.arrayContaining([a, b]));
    expect(ef.trainableVariables()).not.toContain(c);
    expect(ef.findVariable('w_1')).toBe(b);
    expect(a).toBeInstanceOf(ef.Tensor);
    ef.dispose([a, b, c]);
    expect(ef.globalVariables()).not.toContain(a);
    expect(ef.findVariable('w')).toBeUndefined();
  });

  test('assign, assignAdd, assignSub (numbers broadcast; ints stay ints)', () => {
    const v = ef.variable(ef.tensor([[1, 2], [3, 4]]), { name: 'upd' });
    v.assign(ef.tensor([[0, 0], [1, 1]]));
    expect(vals(v)).toEqual([0, 0, 1, 1]);
    v.assign([[5, 6], [7, 8]]);
    expect(vals(v)).toEqual([5, 6, 7, 8]);
    expect(v.assignAdd(1)).toBe(v);
    expect(vals(v)).toEqual([6, 7, 8, 9]);
    v.assignSub(ef.tensor([1, 2]));
    expect(vals(v)).toEqual([5, 5, 7, 7]);
    v.assignAdd(v);
    expect(vals(v)).toEqual([10, 10, 14, 14]);
    const step = ef.variable(ef.tensor(0, [], 'int32'), { name: 'counter', trainable: false });
    for (let i = 0; i < 3; i++) step.assignAdd(1);
    expect(vals(step)).toEqual([3]);
    expect(step.dtype).toBe('int32');
    ef.dispose([v, step]);
  });

  test('assign keeps no alias to later changes; readValue snapshots', () => {
    const v = ef.variable(ef.tensor([1, 2]), { name: 'snap' });
    const before = v.readValue();
    v.assignAdd(10);
    expect(vals(before)).toEqual([1, 2]);
    expect(vals(v)).toEqual([11, 12]);
    const y = v.mul(2);
    v.assign([0, 0]);
    expect(vals(y)).toEqual([22, 24]);
    ef.dispose([v, before, y]);
  });

  test('assignAdd/assignSub are not recorded by tapes', () => {
    const v = ef.variable(ef.tensor([1, 2]), { name: 'nograd' });
    const tape = new ef.GradientTape();
    const y = tape.record(() => {
      v.assignAdd(1);
      return v.square().sum();
    });
    expect(vals(tape.gradient(y, v))).toEqual([4, 6]);
    v.dispose();
  });

  test('clear errors: shape, dtype, non-integer deltas, disposed variables', () => {
    const v = ef.variable(ef.tensor([1, 2, 3]), { name: 'bad' });
    expect(() => v.assign(ef.tensor([1, 2]))).toThrow("assign: variable 'bad' has shape [3], value has shape [2]");
    expect(() => v.assign(ef.tensor([1, 2, 3], undefined, 'int32'))).toThrow("assign: variable 'bad' has dtype float32, value has dtype int32; cast it first");
    expect(() => v.assignAdd(ef.tensor([[1, 2, 3], [4, 5, 6]]))).toThrow("assignAdd: delta shape [2,3] does not broadcast to variable 'bad' shape [3]");
    expect(() => v.assignSub(ef.tensor([1, 2]))).toThrow(/assignSub: shapes \[3\] and \[2\] cannot be broadcast/);
    const k = ef.variable(ef.tensor([1], undefined, 'int32'), { name: 'kint' });
    expect(() => k.assignAdd(0.5)).toThrow("assignAdd: argument 'delta' is 0.5, which is not an integer, but the other operand is int32");
    expect(() => ef.variable(ef.tensor([1]), { dtype: 'int32' })).toThrow('variable: initial value has dtype float32 but dtype int32 was requested; cast it first');
    expect(() => ef.variable(ef.tensor([1]), { name: '' })).toThrow(/variable: name must be a non-empty string/);
    v.dispose();
    expect(() => v.assign([1, 2, 3])).toThrow(/assign: variable 'bad' \(shape \[3\], float32\) was disposed/);
    k.dispose();
  });

  test('a variable outlives the tidy it was created in and its initial tensor', () => {
    const before = ef.memory().numTensors;
    const v = ef.tidy(() => ef.variable(ef.ones([2]).mul(3), { name: 'tidy_v' }));
    expect(ef.memory().numTensors).toBe(before + 1);
    expect(vals(v)).toEqual([3, 3]);
    ef.tidy(() => {
      v.assign(v.add(1));
    });
    expect(vals(v)).toEqual([4, 4]);
    expect(ef.memory().numTensors).toBe(before + 1);
    v.dispose();
    expect(ef.memory().numTensors).toBe(before);
  });
});
