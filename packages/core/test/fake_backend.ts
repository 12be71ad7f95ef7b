import type * as ef from '@eagerflow/core';

/** A host-memory backend with no kernels (every op soft-places onto the CPU); counts its calls. */
export function hostBackend(name: string, opts: { readSync?: boolean } = {}) {
  const stats = { creates: 0, writes: 0, releases: 0 };
  const make = (): ef.Backend => {
    stats.creates++;
    const b: ef.Backend = {
      name,
      write: (values) => {
        stats.writes++;
        return { values: Array.isArray(values) ? values : values.slice() };
      },
      read: async (data) => (data as { values: ef.DataValues }).values.slice() as ef.DataValues,
      release: () => {
        stats.releases++;
      },
      run: () => {
        throw new Error(`${name}: no kernels`);
      },
      hasKernel: () => false,
      memoryInfo: () => ({ pooledBytes: 0 }),
      dispose: () => {},
    };
    if (opts.readSync !== false) b.readSync = (data) => (data as { values: ef.DataValues }).values.slice() as ef.DataValues;
    return b;
  };
  return { stats, make };
}
