import { expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

test('ef.time reports every kernel run with its op, on the CPU', async () => {
  await ef.setBackend('cpu');
  const a = ef.ones([32, 32]);
  let y: ef.Tensor | undefined;
  const r = await ef.time(() => {
    y = ef.tidy(() => ef.reduceSum(ef.relu(ef.matmul(a, a))));
  });
  expect(r.kernels.map((k) => k.op)).toEqual(['matmul', 'relu', 'reduce']);
  expect(r.kernels.every((k) => k.ms >= 0)).toBe(true);
  expect(r.kernelMs).toBeCloseTo(r.kernels.reduce((s, k) => s + k.ms, 0), 9);
  expect(r.kernelMs!).toBeLessThanOrEqual(r.wallMs);
  expect(y!.dataSync()[0]).toBe(32 * 32 * 32);
  // Timing ends with the call, even when fn throws.
  await expect(ef.time(() => ef.matmul(a, ef.ones([3, 3])))).rejects.toThrow(/matmul/);
  const later = await ef.time(() => ef.add(a, a).dispose());
  expect(later.kernels.map((k) => k.op)).toEqual(['add']);
  ef.dispose([a, y!]);
});
