/** Importing this package registers the 'cpu' backend. */
import { registerBackend } from '@eagerflow/core';
import { CpuBackend } from './backend.js';

export { CpuBackend } from './backend.js';
export { KERNELS as CPU_KERNELS } from './kernels/index.js';

registerBackend({
  name: 'cpu',
  priority: 1,
  create: async () => new CpuBackend(),
  createSync: () => new CpuBackend(),
} as import('@eagerflow/core').BackendFactory & { createSync(): CpuBackend });
