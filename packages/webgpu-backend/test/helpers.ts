import { afterAll, beforeAll } from '@jest/globals';
import * as ef from '@eagerflow/core';
import type { WebGpuBackend } from '@eagerflow/webgpu-backend';

/** Selects the WebGPU backend for this test file (disposed after it); the getter gives its instance. */
export function useWebGpuBackend(): () => WebGpuBackend {
  let gpu: WebGpuBackend | undefined;
  beforeAll(async () => {
    await ef.setBackend('webgpu');
    const t = ef.scalar(0);
    gpu = t.backend as WebGpuBackend;
    t.dispose();
  });
  afterAll(() => ef.disposeBackend('webgpu'));
  return () => gpu!;
}

/** Deterministic test inputs in [-1, 1) (an LCG: the same values on every run and backend). */
export function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}
