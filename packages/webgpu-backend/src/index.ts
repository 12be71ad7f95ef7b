/**
 * Importing this package registers the 'webgpu' backend (priority 2: chosen automatically over
 * the CPU when a hardware WebGPU adapter exists; a software adapter such as SwiftShader is only
 * used when asked for with ef.setBackend('webgpu')). Node: Dawn through the `webgpu` package;
 * browsers: navigator.gpu.
 */
// The declarations use WebGPU's types (GPUDevice, …): kept in index.d.ts, so consumers get them
// from the @webgpu/types dependency without listing it in their tsconfig's types.
/// <reference types="@webgpu/types" preserve="true" />
import { registerBackend } from '@eagerflow/core';
import { WebGpuBackend } from './backend.js';

export { WebGpuBackend } from './backend.js';
export { acquireDevice, softwareAdapterName, HOW_TO_GET_AN_ADAPTER, type AcquireOptions, type DeviceInfo } from './device.js';
export { GpuRuntime, type Program, type RuntimeStats } from './runtime.js';
export { BufferPool, sizeClass } from './buffer_pool.js';
export { KERNELS as WEBGPU_KERNELS, WEBGPU_PENDING_OPS } from './kernels/index.js';
export { planMatmul, matmulTuning, TILES, tileStorageBytes, type TileConfig, type TileName } from './kernels/matmul.js';
export { scalarToWgsl, WGSL_SCALAR_PRELUDE } from './wgsl/scalar_expr.js';

registerBackend({
  name: 'webgpu',
  priority: 2,
  create: () => WebGpuBackend.create(),
  // ef.ready(): skip a software adapter in favour of the CPU backend (one line says why).
  createForAutoSelect: () => WebGpuBackend.create({ allowSoftwareAdapter: false }),
});
