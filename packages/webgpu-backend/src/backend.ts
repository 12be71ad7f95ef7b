import type { Backend, DataValues, EngineConfig, FillAttrs, KernelInput, KernelTiming, OpDef, TensorInfo } from '@eagerflow/core';
import { evalElementwise, sizeOf } from '@eagerflow/core';
import type { PooledBuffer } from './buffer_pool.js';
import { acquireDevice, type AcquireOptions, type DeviceInfo } from './device.js';
import type { GpuBufferStorage, GpuInput, GpuStorage, KernelContext } from './kernel.js';
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

type HostValues = Float32Array | Int32Array | Uint8Array | BigInt64Array;

/** GPU bytes per element: 4 (f32, i32, bool as u32), 8 for int64 (a (low, high) u32 pair). */
const gpuBytes = (t: TensorInfo): number => sizeOf(t.shape) * (t.dtype === 'int64' ? 8 : 4);

/**
 * The WebGPU backend: float32/int32/bool tensors live in pooled GPU buffers (bool as u32);
 * string tensors stay on the host inside the backend. int64 tensors (a storage type: no math but
 * cast) keep their host values and go to the GPU as (low, high) u32 pairs only when a cast reads
 * them; a cast to int64 leaves its result there until it is read.
 *
 * Host handoff: an eager op on a tiny tensor costs what Dawn's calls cost (several µs), far more
 * than its arithmetic. So tiny tensors written from the host keep their values there, elementwise
 * ops whose inputs all have host values and whose output has at most `cpuHandoffSize` elements
 * run on the host (core's compiled loops), and a GPU buffer is made only when a GPU kernel reads
 * one. GPU results never move back implicitly: no op here waits for the GPU.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private readonly ctx: KernelContext;
  private scratchList: PooledBuffer[] = [];
  /** Largest output (elements) of an elementwise op run on the host; 0 turns the handoff off. */
  cpuHandoffSize = 1024;

  constructor(readonly rt: GpuRuntime, readonly info: DeviceInfo) {
    this.ctx = {
      rt,
      output: (t: TensorInfo) => rt.pool.acquire(gpuBytes(t), undefined, true),
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
    this.cpuHandoffSize = config.gpuCpuHandoffSize;
  }

  write(values: DataValues, info: TensorInfo): GpuStorage {
    this.rt.check();
    if (info.dtype === 'string') return { kind: 'host', values };
    // int64: the values stay on the host until a cast reads them (uploaded then, as u32 pairs).
    if (info.dtype === 'int64') return { kind: 'gpu', buf: null, host: values as BigInt64Array, bytes: gpuBytes(info) };
    const n = sizeOf(info.shape);
    const hostValues = values as Float32Array | Int32Array | Uint8Array;
    // Small constants (the JS scalars of `add(x, 1)`) share one immutable storage per value: no
    // upload, and the same buffers keep bind groups cached across a chain of ops.
    let key: string | undefined;
    if (n > 0 && n <= 4) {
      key = `${info.dtype}:${Array.from(hostValues.subarray(0, n), (v) => Object.is(v, -0) ? '-0' : String(v)).join(',')}`;
      const hit = this.constants.get(key);
      if (hit) {
        hit.alive = true;
        this.constants.delete(key);
        this.constants.set(key, hit); // most recently used last
        return hit.storage;
      }
    }
    // Tiny tensors keep their values on the host (uploaded on first GPU use); the rest upload now.
    const small = n <= this.cpuHandoffSize;
    const storage: GpuBufferStorage = { kind: 'gpu', buf: small ? null : this.upload(hostValues, n * 4), host: small ? hostValues.slice() : null, bytes: n * 4 };
    if (key !== undefined) this.cacheConstant(key, storage);
    return storage;
  }

  /** The GPU buffer of a numeric storage, uploading its host values the first time. */
  private bufferOf(s: GpuBufferStorage): PooledBuffer {
    return (s.buf ??= this.upload(s.host!, s.bytes));
  }

  private upload(values: HostValues, bytes: number): PooledBuffer {
    const src = values instanceof Uint8Array ? Uint32Array.from(values) : values;
    const buf = this.rt.pool.acquire(bytes);
    if (bytes > 0) this.rt.device.queue.writeBuffer(buf.buffer, 0, src.buffer, src.byteOffset, bytes);
    return buf;
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
    if (e.storage.kind === 'gpu' && e.storage.buf && !this.disposed) this.rt.pool.release(e.storage.buf, this.rt.hasPendingWork);
  }

  async read(data: unknown, info: TensorInfo): Promise<DataValues> {
    const s = data as GpuStorage;
    if (s.kind === 'host') return Array.isArray(s.values) ? s.values.map((v) => v.slice()) : s.values.slice();
    this.rt.check(); // a lost device's tensors are gone, host copies included
    if (s.host) return s.host.slice();
    const n = sizeOf(info.shape);
    const bytes = n === 0 ? new ArrayBuffer(0) : await this.rt.readBuffer(s.buf!, gpuBytes(info));
    const values =
      info.dtype === 'float32' ? new Float32Array(bytes) : info.dtype === 'int32' ? new Int32Array(bytes) : info.dtype === 'int64' ? new BigInt64Array(bytes) : Uint8Array.from(new Uint32Array(bytes));
    // Values read back are known on the host from now on: tiny ops on them can stay there.
    if (n <= this.cpuHandoffSize) s.host = values.slice();
    return values;
  }

  /** Host values the backend already holds (host-written tiny tensors, int64, string), else undefined. */
  peekSync(data: unknown): DataValues | undefined {
    const s = data as GpuStorage;
    return s.kind === 'host' ? s.values : (s.host ?? undefined);
  }

  release(data: unknown): void {
    const s = data as GpuStorage;
    const constant = this.constantByStorage.get(s);
    if (constant) {
      constant.alive = false;
      if (this.constants.get(constant.key) !== constant) this.freeConstant(constant);
      return;
    }
    if (s.kind === 'gpu' && s.buf && !this.disposed) this.rt.pool.release(s.buf, this.rt.hasPendingWork);
  }

  hasKernel(def: OpDef<any>): boolean {
    return def.elementwise !== undefined || def.id in KERNELS;
  }

  run(def: OpDef<any>, inputs: readonly KernelInput[], attrs: unknown, outputs: readonly TensorInfo[]): unknown[] {
    this.rt.check();
    const storages = inputs.map((t, i) => {
      const s = t.data as GpuStorage;
      if (s.kind !== 'gpu' || (t.dtype === 'int64' && def.id !== 'cast')) throw new Error(`${def.id}: input ${i} is ${t.dtype === 'int64' ? 'an' : 'a'} ${t.dtype} tensor, a storage type with no math on 'webgpu'${t.dtype === 'int64' ? " (ef.cast it to 'int32' or 'float32' first)" : ''}`);
      return s;
    });
    if (def.elementwise && sizeOf(outputs[0]!.shape) <= this.cpuHandoffSize && storages.every((s) => s.host)) {
      return [this.runOnHost(def, inputs, storages, attrs as Record<string, number>, outputs[0]!)];
    }
    // A small constant is what JS would have written (an optimizer's beta powers, a step count):
    // it stays on the host like one, so the scalar arithmetic on it does too.
    if (def.id === 'fill' && sizeOf(outputs[0]!.shape) <= this.cpuHandoffSize) return [this.fillOnHost(attrs as FillAttrs, outputs[0]!)];
    const ins: GpuInput[] = inputs.map((t, i) => ({ shape: t.shape, dtype: t.dtype, buf: this.bufferOf(storages[i]!) }));
    this.rt.currentOp = def.id;
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
    return bufs.map((buf, i): GpuStorage => ({ kind: 'gpu', buf, host: null, bytes: gpuBytes(outputs[i]!) }));
  }

  private fillOnHost({ value, dtype }: FillAttrs, out: TensorInfo): GpuStorage {
    return this.onHost(out, (host) => host.fill(dtype === 'bool' ? (value ? 1 : 0) : value));
  }

  private runOnHost(def: OpDef<any>, inputs: readonly KernelInput[], storages: readonly GpuBufferStorage[], attrs: Record<string, number>, out: TensorInfo): GpuStorage {
    return this.onHost(out, (host) => evalElementwise(def, inputs.map((t, i) => ({ shape: t.shape, dtype: t.dtype, values: storages[i]!.host! })), attrs, out, host));
  }

  /** A host-resident result of `out`'s dtype and size (a tiny op run on the host), filled by `compute`. */
  private onHost(out: TensorInfo, compute: (host: Float32Array | Int32Array | Uint8Array) => void): GpuStorage {
    const n = sizeOf(out.shape);
    const host = out.dtype === 'float32' ? new Float32Array(n) : out.dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
    compute(host);
    this.rt.stats.hostOps++;
    return { kind: 'gpu', buf: null, host, bytes: n * 4 };
  }

  memoryInfo(): Record<string, number> {
    const p = this.rt.pool;
    const s = this.rt.stats;
    return {
      gpuAllocatedBytes: p.allocatedBytes,
      gpuInUseBytes: p.inUseBytes,
      gpuCachedBytes: p.cachedBytes,
      /** Small constants kept for reuse (part of gpuInUseBytes). */
      gpuConstantBytes: [...this.constants.values()].reduce((a, e) => a + (e.storage.kind === 'gpu' && e.storage.buf ? e.storage.buf.size : 0), 0),
      gpuPeakBytes: p.peakBytes,
      buffersCreated: p.created,
      buffersReused: p.reused,
      dispatches: s.dispatches,
      submits: s.submits,
      pipelines: s.pipelines,
      bindGroupsCreated: s.bindGroupsCreated,
      bindGroupHits: s.bindGroupHits,
      readbacks: s.readbacks,
      /** Elementwise ops on tiny tensors run on the host (the handoff). */
      hostOps: s.hostOps,
    };
  }

  /**
   * ef.time: each dispatch from now on is timed on the GPU (timestamp queries, a compute pass per
   * dispatch); ops the host handoff runs are not kernels here and are not listed.
   */
  startKernelTiming(): boolean {
    this.rt.check();
    return this.rt.startTiming();
  }

  endKernelTiming(): Promise<KernelTiming[]> {
    return this.rt.endTiming();
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
