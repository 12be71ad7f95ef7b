/**
 * Automatic backend choice: ef.ready() prefers a hardware WebGPU adapter and skips a software one
 * (SwiftShader, lavapipe/llvmpipe, a fallback adapter) in favour of the CPU backend, with a
 * one-line note of why; an explicit ef.setBackend('webgpu') still runs on the software adapter.
 */
import { afterAll, expect, jest, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { acquireDevice, softwareAdapterName, type WebGpuBackend } from '@eagerflow/webgpu-backend';

afterAll(() => ef.disposeBackend());

const adapter = (info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }, extra: object = {}): GPUAdapter =>
  ({ info: { vendor: '', architecture: '', device: '', description: '', ...info }, ...extra }) as unknown as GPUAdapter;

test('softwareAdapterName tells software adapters from hardware ones', () => {
  expect(softwareAdapterName(adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true }))).toBe('swiftshader');
  expect(softwareAdapterName(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe('llvmpipe');
  expect(softwareAdapterName(adapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }))).toBe('basic render');
  expect(softwareAdapterName(adapter({ vendor: 'unknown' }, { isFallbackAdapter: true }))).toBe('fallback adapter');
  expect(softwareAdapterName(adapter({ vendor: 'unknown', isFallbackAdapter: true }))).toBe('fallback adapter');
  expect(softwareAdapterName(adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }))).toBeNull();
  expect(softwareAdapterName(adapter({ vendor: 'apple', architecture: 'metal-3' }))).toBeNull();
  expect(softwareAdapterName(adapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Iris(R) Xe Graphics' }))).toBeNull();
});

test("ready() skips a software adapter for the CPU with a one-line reason; setBackend('webgpu') still uses it", async () => {
  // What this machine has (SwiftShader under the jest config without a GPU; a real GPU with EF_WEBGPU_NATIVE=1).
  const probe = await acquireDevice();
  const software = /swiftshader|llvmpipe|lavapipe/i.test(`${probe.adapterInfo.architecture} ${probe.adapterInfo.description}`);
  probe.device.destroy();
  probe.release();

  const info = jest.spyOn(console, 'info').mockImplementation(() => {});
  expect(ef.registeredBackends()).toEqual(expect.arrayContaining(['cpu', 'webgpu']));
  const chosen = await ef.ready();
  expect(info).toHaveBeenCalledTimes(1);
  const line = String(info.mock.calls[0]![0]);
  info.mockRestore();
  expect(line.includes('\n')).toBe(false);
  if (software) {
    expect(chosen).toBe('cpu');
    expect(line).toMatch(/^eagerflow: using backend 'cpu' \(skipped 'webgpu' not picked automatically: the only WebGPU adapter is a software one \((swiftshader|llvmpipe|lavapipe)[^)]*\).*setBackend\('webgpu'\) still uses it\)$/);
  } else {
    expect(chosen).toBe('webgpu');
    expect(line).toBe("eagerflow: using backend 'webgpu'");
  }

  // Asked for by name, WebGPU runs on the software adapter too.
  await ef.setBackend('webgpu');
  const t = ef.add(ef.tensor([1, 2, 3]), 1);
  expect(Array.from((await t.data()) as Float32Array)).toEqual([2, 3, 4]);
  const desc = (t.backend as unknown as WebGpuBackend).describe();
  expect(desc.adapter.architecture.length + desc.adapter.description.length).toBeGreaterThan(0);
  t.dispose();
});
