import type { Backend, DataValues, KernelInput, KernelTiming, OpDef, TensorInfo } from '@eagerflow/core';
import type { CpuInput } from './kernel.js';
import { runElementwise } from './kernels/elementwise.js';
import { KERNELS } from './kernels/index.js';
import { clearPool, poolStats, recycle } from './pool.js';

/** The CPU backend: storage is the host typed array itself. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  write(values: DataValues): unknown {
    return values;
  }

  read(data: unknown): Promise<DataValues> {
    return Promise.resolve(this.readSync(data));
  }

  readSync(data: unknown): DataValues {
    const v = data as DataValues;
    return Array.isArray(v) ? v.map((e) => e.slice()) : v.slice();
  }

  release(data: unknown): void {
    recycle(data as DataValues);
  }

  memoryInfo(): Record<string, number> {
    return { pooledBytes: poolStats().pooledBytes };
  }

  hasKernel(def: OpDef<any>): boolean {
    return def.elementwise !== undefined || def.id in KERNELS;
  }

  run(def: OpDef<any>, inputs: readonly KernelInput[], attrs: unknown, outputs: readonly TensorInfo[]): unknown[] {
    if (!this.timings) return this.runKernel(def, inputs, attrs, outputs);
    const t0 = performance.now();
    const out = this.runKernel(def, inputs, attrs, outputs);
    this.timings.push({ op: def.id, ms: performance.now() - t0 });
    return out;
  }

  private runKernel(def: OpDef<any>, inputs: readonly KernelInput[], attrs: unknown, outputs: readonly TensorInfo[]): unknown[] {
    const ins: CpuInput[] = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.data as DataValues }));
    if (def.elementwise) return [runElementwise(def, ins, attrs as Record<string, number>, outputs[0]!)];
    const kernel = KERNELS[def.id];
    if (!kernel) throw new Error(`cpu: no kernel for op '${def.id}'`);
    return kernel(ins, attrs, outputs);
  }

  /** Kernel runs timed since startKernelTiming (ef.time); null when not timing. */
  private timings: KernelTiming[] | null = null;

  startKernelTiming(): boolean {
    this.timings = [];
    return true;
  }

  async endKernelTiming(): Promise<KernelTiming[]> {
    const t = this.timings ?? [];
    this.timings = null;
    return t;
  }

  dispose(): void {
    clearPool();
  }
}
