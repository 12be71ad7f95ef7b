import type { Backend, DataValues, EngineConfig, KernelInput, OpDef, TensorInfo } from '@eagerflow/core';
import { sizeOf } from '@eagerflow/core';
import type { PooledBuffer } from './buffer_pool.js';
import { acquireDevice, type AcquireOptions, type DeviceInfo } from './device.js';
import type { GpuInput, GpuStorage, KernelContext } from './kernel.js';
import { runElementwise } from './kernels/elementwise.js';
import { KERNELS } from './kernels/index.js';
import { GpuRuntime } from './runtime.js';

const live = new Set<WebGpuBackend>();
let exitHookInstalled = false;

/** Node: destroy devices when the program ends, so Dawn lets the process exit. */
function installExitHook(): void {
  if (exitHookInstalled || typeof process === 'undefined' || typeof process.once !== 'function') return;
  exitHookInstalled = true;
  const disposeAll = () => {
    for (const b of [...live]) b.dispose();
  };
  process.once('beforeExit', disposeAll);
  process.once('exit', disposeAll);
}

/**
 * The WebGPU backend: float32/int32/bool tensors live in pooled GPU buffers (bool as u32);
 * int64 and string tensors (storage types without math) stay on the host inside the backend.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private readonly ctx: KernelContext;
  private scratchList: PooledBuffer[] = [];

  constructor(readonly rt: GpuRuntime, readonly info: DeviceInfo) {
    this.ctx = {
      rt,
      output: (t: TensorInfo) => rt.pool.acquire(sizeOf(t.shape) * 4, undefined, true),
      scratch: (bytes: number) => {
        const b = rt.pool.acquire(bytes, undefined, true);
        this.scratchList.push(b);
        return b;
      },
    };
    live.add(this);
    installExitHook();
  }

  static async create(options: AcquireOptions = {}): Promise<WebGpuBackend> {
    const info = await acquireDevice(options);
    return new WebGpuBackend(new GpuRuntime(info), info);
  }

  /** Adapter, features and limits this backend runs with. */
  describe(): { adapter: DeviceInfo['adapterInfo']; features: string[]; limits: Record<string, number> } {
    return { adapter: this.info.adapterInfo, features: [...this.info.features], limits: { ...this.info.limits } };
  }

  configure(config: EngineConfig): void {
    this.rt.pool.options = { limit: config.gpuMemoryLimit ?? null, allowGrowth: config.gpuAllowGrowth ?? true };
    if (!this.rt.pool.options.allowGrowth) this.rt.pool.trim();
  }

  write(values: DataValues, info: TensorInfo): GpuStorage {
    this.rt.check();
    if (info.dtype === 'int64' || info.dtype === 'string') return { kind: 'host', values };
    const n = sizeOf(info.shape);
    const src = info.dtype === 'bool' ? Uint32Array.from(values as Uint8Array) : (values as Float32Array | Int32Array);
    // Small constants (the JS scalars of `add(x, 1)`) share one immutable buffer per value: no
    // upload, and the same buffers keep bind groups cached across a chain of ops.
    let key: string | undefined;
    if (n > 0 && n <= 4) {
      key = `${info.dtype}:${Array.from(new Uint32Array(src.buffer, src.byteOffset, n)).join(',')}`;
      const hit = this.constants.get(key);
      if (hit) {
        hit.alive = true;
        this.constants.delete(key);
        this.constants.set(key, hit); // most recently used last
        return hit.storage;
      }
    }
    const buf = this.rt.pool.acquire(n * 4);
    if (n > 0) this.rt.device.queue.writeBuffer(buf.buffer, 0, src.buffer, src.byteOffset, n * 4);
    const storage: GpuStorage = { kind: 'gpu', buf, bytes: n * 4 };
    if (key !== undefined) this.cacheConstant(key, storage);
    return storage;
  }

  /** Constant buffers by dtype and bits; `alive` while the engine holds tensors on them. */
  private readonly constants = new Map<string, { storage: GpuStorage; alive: boolean; key: string }>();
  private readonly constantByStorage = new Map<GpuStorage, { storage: GpuStorage; alive: boolean; key: string }>();
  private static readonly MAX_CONSTANTS = 512;

  private cacheConstant(key: string, storage: GpuStorage): void {
    const entry = { storage, alive: true, key };
    this.constants.set(key, entry);
    this.constantByStorage.set(storage, entry);
    if (this.constants.size > WebGpuBackend.MAX_CONSTANTS) {
      const [oldKey, old] = this.constants.entries().next().value as [string, typeof entry];
      this.constants.delete(oldKey);
      // Still held by tensors: freed by release() once the engine lets go.
      if (!old.alive) this.freeConstant(old);
    }
  }

  private freeConstant(e: { storage: GpuStorage }): void {
    this.constantByStorage.delete(e.storage);
    if (e.storage.kind === 'gpu' && !this.disposed) this.rt.pool.release(e.storage.buf, this.rt.hasPendingWork);
  }

  async read(data: unknown, info: TensorInfo): Promise<DataValues> {
    const s = data as GpuStorage;
    if (s.kind === 'host') return Array.isArray(s.values) ? s.values.map((v) => v.slice()) : s.values.slice();
    const n = sizeOf(info.shape);
    if (n === 0) return info.dtype === 'float32' ? new Float32Array(0) : info.dtype === 'int32' ? new Int32Array(0) : new Uint8Array(0);
    const bytes = await this.rt.readBuffer(s.buf, n * 4);
    if (info.dtype === 'float32') return new Float32Array(bytes);
    if (info.dtype === 'int32') return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes));
  }

  release(data: unknown): void {
    const s = data as GpuStorage;
    const constant = this.constantByStorage.get(s);
    if (constant) {
      constant.alive = false;
      if (this.constants.get(constant.key) !== constant) this.freeConstant(constant);
      return;
    }
    if (s.kind === 'gpu' && !this.disposed) this.rt.pool.release(s.buf, this.rt.hasPendingWork);
  }

  hasKernel(def: OpDef<any>): boolean {
    return def.elementwise !== undefined || def.id in KERNELS;
  }

  run(def: OpDef<any>, inputs: readonly KernelInput[], attrs: unknown, outputs: readonly TensorInfo[]): unknown[] {
    this.rt.check();
    const ins: GpuInput[] = inputs.map((t, i) => {
      const s = t.data as GpuStorage;
      if (s.kind !== 'gpu') throw new Error(`${def.id}: input ${i} is a ${t.dtype} tensor, a storage type with no math on 'webgpu'`);
      return { shape: t.shape, dtype: t.dtype, buf: s.buf };
    });
    let bufs: PooledBuffer[];
    if (def.elementwise) bufs = [runElementwise(this.ctx, def, ins, attrs as Record<string, number>, outputs[0]!)];
    else {
      const kernel = KERNELS[def.id];
      if (!kernel) throw new Error(`webgpu: no kernel for op '${def.id}'`);
      bufs = kernel(this.ctx, ins, attrs, outputs);
    }
    if (this.scratchList.length) {
      for (const b of this.scratchList) this.rt.pool.release(b, this.rt.hasPendingWork);
      this.scratchList = [];
    }
    return bufs.map((buf, i): GpuStorage => ({ kind: 'gpu', buf, bytes: sizeOf(outputs[i]!.shape) * 4 }));
  }

  memoryInfo(): Record<string, number> {
    const p = this.rt.pool;
    const s = this.rt.stats;
    return {
      gpuAllocatedBytes: p.allocatedBytes,
      gpuInUseBytes: p.inUseBytes,
      gpuCachedBytes: p.cachedBytes,
      /** Small constants kept for reuse (part of gpuInUseBytes). */
      gpuConstantBytes: [...this.constants.values()].reduce((a, e) => a + (e.storage.kind === 'gpu' ? e.storage.buf.size : 0), 0),
      gpuPeakBytes: p.peakBytes,
      buffersCreated: p.created,
      buffersReused: p.reused,
      dispatches: s.dispatches,
      submits: s.submits,
      pipelines: s.pipelines,
      bindGroupsCreated: s.bindGroupsCreated,
      bindGroupHits: s.bindGroupHits,
      readbacks: s.readbacks,
    };
  }

  /** Submits queued work and waits until the GPU has finished it. */
  sync(): Promise<void> {
    return this.rt.sync();
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    this.rt.dispose();
  }
}
