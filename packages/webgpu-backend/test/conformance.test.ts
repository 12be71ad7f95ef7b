import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import { WEBGPU_KERNELS, WEBGPU_PENDING_OPS } from '@eagerflow/webgpu-backend';

// The engine's default handoff size, put back after each change below.
const defaultHandoff = ef.config({}).gpuCpuHandoffSize;

beforeAll(async () => {
  // Throws "no WebGPU adapter found … how to get one" when the machine has none: every case fails.
  await ef.setBackend('webgpu');
  // Every op on the GPU: the samples are tiny, and the host handoff would keep them off it.
  ef.config({ gpuCpuHandoffSize: 0 });
});
afterAll(() => {
  ef.config({ gpuCpuHandoffSize: defaultHandoff });
  return ef.disposeBackend('webgpu');
});

const hasKernel = (d: ef.OpDef<any>) => d.elementwise !== undefined || d.aliasesInput === true || d.id in WEBGPU_KERNELS;

describe('conformance suite on webgpu (forward and gradients)', () => {
  const ops = ef.defs.ALL_OPS.filter(hasKernel).map((d) => d.id);
  const cases = ef.conformanceCases({ ops });
  test('runs on a real WebGPU adapter', () => {
    expect(ef.getBackend()).toBe('webgpu');
    expect(cases.length).toBeGreaterThan(200);
  });
  test('ops without a WGSL kernel are exactly the documented pending list', () => {
    // Listed in src/kernels/index.ts (WEBGPU_PENDING_OPS); on webgpu they fail with a clear error.
    const missing = ef.defs.ALL_OPS.filter((d) => !hasKernel(d)).map((d) => d.id).sort();
    expect(missing).toEqual([...WEBGPU_PENDING_OPS].sort());
  });
  for (const c of cases) test(c.name, () => c.run());
});

describe('conformance of elementwise ops under the host handoff (tiny tensors on the host)', () => {
  const ops = ef.defs.ALL_OPS.filter((d) => d.elementwise !== undefined).map((d) => d.id);
  for (const c of ef.conformanceCases({ ops })) {
    test(c.name, async () => {
      ef.config({ gpuCpuHandoffSize: defaultHandoff });
      try {
        await c.run();
      } finally {
        ef.config({ gpuCpuHandoffSize: 0 });
      }
    });
  }
});
