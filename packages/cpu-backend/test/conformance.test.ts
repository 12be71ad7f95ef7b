import { describe, expect, test, beforeAll } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

describe('conformance suite on cpu', () => {
  const cases = ef.conformanceCases();
  test('every op has samples and a kernel', () => {
    expect(ef.opsWithoutSamples()).toEqual([]);
    expect(cases.length).toBeGreaterThan(100);
  });
  for (const c of cases) test(c.name, () => c.run());
});
