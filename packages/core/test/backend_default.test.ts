import { describe, expect, jest, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { hostBackend } from './fake_backend.js';
import { vals } from './helpers.js';

// No setBackend here: this file checks the automatic choice (each jest file has its own engine).
describe('backend selection', () => {
  test('with no choice made, the first op picks the CPU and names it once', async () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    expect(ef.registeredBackends()).toContain('cpu');
    const t = ef.tensor([1, 2]).add(1);
    expect(ef.getBackend()).toBe('cpu');
    expect(t.backend.name).toBe('cpu');
    ef.tensor(3).mul(2);
    expect(await ef.ready()).toBe('cpu');
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith("eagerflow: using backend 'cpu'");
    info.mockRestore();
  });

  test('unknown and failing backends give clear errors and leave the choice unchanged', async () => {
    await expect(ef.setBackend('nope')).rejects.toThrow("eagerflow: backend 'nope' is not registered (registered: cpu");
    ef.registerBackend({ name: 'broken', priority: 9, create: async () => Promise.reject(new Error('no adapter found')) });
    await expect(ef.setBackend('broken')).rejects.toThrow("eagerflow: backend 'broken' failed to start: no adapter found");
    expect(ef.getBackend()).toBe('cpu');
  });

  test('concurrent setBackend calls start one instance; ops without kernels soft-place on the CPU', async () => {
    const fake = hostBackend('hostmem');
    ef.registerBackend({ name: 'hostmem', priority: 0, create: async () => fake.make() });
    await Promise.all([ef.setBackend('hostmem'), ef.setBackend('hostmem')]);
    expect(fake.stats.creates).toBe(1);
    expect(ef.getBackend()).toBe('hostmem');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const a = ef.tensor([1, 2, 3]);
    expect(a.backend.name).toBe('hostmem');
    const b = a.mul(2);
    b.mul(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith("eagerflow: op 'mul' has no kernel on 'hostmem'; running it on 'cpu' (soft placement)");
    warn.mockRestore();
    expect(b.backend.name).toBe('cpu');
    expect(vals(b)).toEqual([2, 4, 6]);
    const m = ef.memory();
    expect(m.backends.hostmem).toEqual(expect.objectContaining({ pooledBytes: 0 }));
    expect(typeof m.backends.cpu!.tensors).toBe('number');
    await ef.setBackend('cpu');
    expect(ef.getBackend()).toBe('cpu');
  });

  test('withDevice places ops; toBackend moves a tensor', async () => {
    const t = ef.withDevice('hostmem', () => ef.tensor([5, 6]));
    expect(t.backend.name).toBe('hostmem');
    expect(ef.getBackend()).toBe('cpu');
    await ef.toBackend(t, 'cpu');
    expect(t.backend.name).toBe('cpu');
    expect(vals(t)).toEqual([5, 6]);
  });

  test('withDevice takes TensorFlow device strings; a backend not started soft-places (or throws when that is off)', () => {
    expect(ef.withDevice('/cpu:0', () => ef.tensor([1])).backend.name).toBe('cpu');
    expect(ef.withDevice('/job:localhost/replica:0/task:0/device:CPU:0', () => ef.ones([1])).backend.name).toBe('cpu');
    expect(() => ef.withDevice('/gpu:1', () => 0)).toThrow("withDevice('/gpu:1'): eagerflow has one GPU device, 'gpu:0'; found index 1");
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // No GPU backend is registered in this file: '/device:GPU:0' (webgpu) runs on the CPU, warned once.
      expect(ef.withDevice('/device:GPU:0', () => ef.ones([2]).add(1)).backend.name).toBe('cpu');
      ef.withDevice('/gpu:0', () => ef.ones([1]));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith("eagerflow: withDevice('webgpu'): backend not started; running on 'cpu' (soft placement; await ef.setBackend('webgpu') or ef.ready() first)");
    } finally {
      warn.mockRestore();
    }
    ef.config({ allowSoftPlacement: false });
    try {
      expect(() => ef.withDevice('broken', () => ef.tensor(1))).toThrow("withDevice('broken'): backend not started and soft placement is off; await ef.setBackend('broken') or ef.ready() first");
      expect(() => ef.withDevice('hostmem', () => ef.tensor([1, 2]).mul(2))).toThrow("mul: no kernel on backend 'hostmem' and soft placement is off (ef.config({allowSoftPlacement: true}) runs it on 'cpu')");
    } finally {
      ef.config({ allowSoftPlacement: true });
    }
  });

  test('tensors on a backend without synchronous reads ask for await', async () => {
    const slow = hostBackend('asynconly', { readSync: false });
    ef.registerBackend({ name: 'asynconly', priority: 0, create: async () => slow.make() });
    await ef.setBackend('asynconly');
    const t = ef.tensor([1, 2]);
    await ef.setBackend('cpu');
    expect(() => t.dataSync()).toThrow("dataSync: tensors on 'asynconly' can only be read asynchronously; use await t.data()");
    expect(t.toString()).toBe("Tensor(shape=[2], dtype=float32, backend=asynconly) <values on 'asynconly': use await t.array()>");
    expect(await t.array()).toEqual([1, 2]);
    expect(() => t.add(1)).toThrow(/a float32 tensor on 'asynconly' is needed on 'cpu'; move it first with await ef.toBackend\(t, 'cpu'\)/);
  });
});
