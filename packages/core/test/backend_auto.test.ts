import { expect, jest, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { hostBackend } from './fake_backend.js';

test('ready() picks the highest-priority backend that starts, names it once, and skips failures', async () => {
  const info = jest.spyOn(console, 'info').mockImplementation(() => {});
  const fast = hostBackend('fast');
  ef.registerBackend({ name: 'broken', priority: 10, create: async () => Promise.reject(new Error('no adapter')) });
  ef.registerBackend({ name: 'fast', priority: 5, create: async () => fast.make() });
  const [a, b] = await Promise.all([ef.ready(), ef.ready()]);
  expect(a).toBe('fast');
  expect(b).toBe('fast');
  expect(fast.stats.creates).toBe(1);
  expect(ef.getBackend()).toBe('fast');
  expect(info).toHaveBeenCalledTimes(1);
  expect(info).toHaveBeenCalledWith("eagerflow: using backend 'fast' (skipped 'broken' failed to start: no adapter)");
  info.mockRestore();
});
