import type { Backend, BackendFactory } from './backend.js';
import { bytesPerElement, dataByteLength, type DType, type DataValues } from './dtype.js';
import { OpError, describeValue } from './errors.js';
import type { Shape } from './shape.js';
import { Tensor, setTensorHost } from './tensor.js';

/** Anything tidy() can return: tensors nested in arrays and plain objects. */
export type TensorContainer = void | Tensor | string | number | boolean | null | undefined | TensorContainer[] | { [key: string]: TensorContainer };

interface StorageRecord {
  backend: Backend;
  bytes: number;
  refs: number;
}

export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  backends: Record<string, { tensors: number; bytes: number } & Record<string, number>>;
}

export interface EngineConfig {
  /** Print op → device for each op run (TensorFlow's log_device_placement). */
  logDevicePlacement: boolean;
  /** Most bytes a GPU backend's buffer pool may hold (tensors + cached free buffers); null: no limit. */
  gpuMemoryLimit: number | null;
  /**
   * true: the GPU buffer pool keeps freed buffers for reuse and grows with demand (up to
   * gpuMemoryLimit). false: it holds only what live tensors need; freed buffers are destroyed.
   */
  gpuAllowGrowth: boolean;
  /**
   * Elementwise ops whose inputs are all tiny tensors with host values (written from JS, or read
   * back) and whose output has at most this many elements run on the host inside a GPU backend:
   * an eager GPU dispatch costs microseconds of driver work, more than such an op's arithmetic
   * (TensorFlow.js's CPU handoff). 0: every op runs on the GPU.
   */
  gpuCpuHandoffSize: number;
  /**
   * Soft placement (TensorFlow's allow_soft_placement; on by default, as in TF2's eager mode): an
   * op without a kernel on the chosen backend, or a withDevice backend that is not started, runs
   * on the default/CPU backend with a one-time warning. false: those are errors.
   */
  allowSoftPlacement: boolean;
}

/** Something that records ops for differentiation (autograd/tape.ts). */
export interface OpRecorder {
  recordOp(node: RecordedOp): void;
  watches(t: Tensor): boolean;
}
/** A tape that still holds tensors for backward (see Variable.assign). */
export interface TensorHolder {
  /** The variable `v` is about to change value: keep its current value for backward. */
  snapshotVariable(v: Tensor): void;
}
/** Called after each op that `apply` dispatches (see ef.addOpObserver). */
export type OpObserver = (def: import('./ops/op_def.js').OpDef<any>, inputs: readonly Tensor[], outputs: readonly Tensor[]) => void;
export interface RecordedOp {
  readonly def: import('./ops/op_def.js').OpDef<any>;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: unknown;
}

/** Global state: backends, scopes, live-tensor accounting, active tapes. */
class Engine {
  private readonly factories = new Map<string, BackendFactory>();
  private readonly instances = new Map<string, Backend>();
  private current: Backend | null = null;
  private announced = false;
  private readonly storage = new Map<unknown, StorageRecord>();
  private readonly liveByBackend = new Map<string, number>();
  private numLive = 0;
  private readonly scopes: Set<Tensor>[] = [];
  readonly recorders: OpRecorder[] = [];
  /** Observers of every dispatched op (model analyzer); empty by default, one length check per op. */
  readonly opObservers: OpObserver[] = [];
  /** Tapes that hold tensors (recorded and not yet disposed). */
  readonly liveTapes = new Set<TensorHolder>();
  noGradDepth = 0;
  /** > 0 while a tape runs vjps: saved tensors whose dispose() is pending stay usable then. */
  backwardDepth = 0;
  private readonly starting = new Map<string, Promise<Backend>>();
  readonly placement: string[] = [];
  readonly config: EngineConfig = { logDevicePlacement: false, gpuMemoryLimit: null, gpuAllowGrowth: true, gpuCpuHandoffSize: 1024, allowSoftPlacement: true };
  private readonly warnedFallback = new Set<string>();

  registerBackend(factory: BackendFactory): void {
    this.factories.set(factory.name, factory);
  }

  backendNames(): string[] {
    return [...this.factories.keys()];
  }

  async setBackend(name: string): Promise<void> {
    this.current = await this.instance(name);
    this.announced = true;
  }

  /** Picks the highest-priority backend that starts; names it once. */
  async ready(): Promise<Backend> {
    if (this.current) return this.current;
    const ordered = [...this.factories.values()].sort((a, b) => b.priority - a.priority);
    const failures: string[] = [];
    for (const f of ordered) {
      try {
        const b = await this.instance(f.name, true);
        // A setBackend() (or a first op) that finished meanwhile keeps its choice.
        this.current ??= b;
        this.announce(failures);
        return this.current;
      } catch (e) {
        // Auto-selection names each skipped backend with the first sentence of its reason; an
        // explicit setBackend() of the same backend throws the full message with the fix.
        const reason = (e as Error).message.replace(/^eagerflow: backend /, '');
        failures.push(reason.split(/(?<=\.)\s+(?=[A-Z])/)[0]!);
      }
    }
    throw new Error(`eagerflow: no backend could start (${failures.join('; ') || 'none registered: import @eagerflow/cpu-backend or @eagerflow/webgpu-backend'})`);
  }

  private announce(failures: string[]): void {
    if (this.announced || !this.current) return;
    this.announced = true;
    const skipped = failures.length ? ` (skipped ${failures.join('; ')})` : '';
    console.info(`eagerflow: using backend '${this.current.name}'${skipped}`);
  }

  /** The started backend `name` (starting it once); `auto`: for ready(), which may be declined. */
  async instance(name: string, auto = false): Promise<Backend> {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const f = this.factories.get(name);
    if (!f) throw new Error(`eagerflow: backend '${name}' is not registered (registered: ${this.backendNames().join(', ') || 'none'}); import @eagerflow/${name}-backend`);
    // Concurrent callers (ready() and setBackend() racing) share one start.
    let pending = this.starting.get(name);
    if (!pending) {
      pending = (auto && f.createForAutoSelect ? f.createForAutoSelect() : f.create()).then(
        (b) => {
          this.starting.delete(name);
          const raced = this.instances.get(name);
          if (raced) return raced;
          b.configure?.(this.config);
          this.instances.set(name, b);
          return b;
        },
        (e: unknown) => {
          this.starting.delete(name);
          const why = (e as Error)?.message ?? String(e);
          const declined = (e as { declined?: boolean } | null)?.declined === true;
          throw new Error(`eagerflow: backend '${name}' ${declined ? 'not picked automatically' : 'failed to start'}: ${why}`);
        },
      );
      this.starting.set(name, pending);
    }
    return pending;
  }

  /** Applies config changes; backends that care (GPU memory) are told. */
  configure(options: Partial<EngineConfig>): EngineConfig {
    const handoff = options.gpuCpuHandoffSize;
    if (handoff !== undefined && !(Number.isInteger(handoff) && handoff >= 0)) {
      throw new OpError('config', `gpuCpuHandoffSize must be a non-negative integer (elements), found ${String(handoff)}`);
    }
    Object.assign(this.config, options);
    for (const b of this.instances.values()) b.configure?.(this.config);
    return this.config;
  }

  /** Moves a tensor's storage to backend `name` (starting it if needed); GPU→CPU reads asynchronously. */
  async moveTo(t: Tensor, name: string): Promise<Tensor> {
    this.assertLive(t, 'toBackend');
    const to = await this.instance(name);
    if (t.backend === to) return t;
    const values = await t.backend.read(t.storage, t);
    this.assertLive(t, 'toBackend');
    this.rehome(t, values, to);
    return t;
  }

  /** The backend ops run on now; without a choice, a backend that starts synchronously. */
  backend(): Backend {
    // Length checked first: reading past an array's end is slow in V8, and this runs per op.
    const placed = this.placement.length === 0 ? undefined : this.placement[this.placement.length - 1];
    if (placed !== undefined) {
      const b = this.syncInstance(placed);
      if (b) return b;
      const hint = `await ef.setBackend('${placed}') or ef.ready() first`;
      if (!this.config.allowSoftPlacement) throw new Error(`withDevice('${placed}'): backend not started and soft placement is off; ${hint}`);
      const fallback = this.defaultBackend();
      this.warnOnce(`device@${placed}`, `eagerflow: withDevice('${placed}'): backend not started; running on '${fallback.name}' (soft placement; ${hint})`);
      return fallback;
    }
    return this.defaultBackend();
  }

  /** The backend chosen by setBackend/ready, else the highest-priority one that starts synchronously. */
  private defaultBackend(): Backend {
    if (this.current) return this.current;
    const syncFactory = [...this.factories.values()]
      .filter((f) => 'createSync' in f)
      .sort((a, b) => b.priority - a.priority)[0] as (BackendFactory & { createSync(): Backend }) | undefined;
    if (!syncFactory) throw new Error('eagerflow: no backend ready; import @eagerflow/cpu-backend, or await ef.setBackend(...) / ef.ready() before running ops');
    const b = syncFactory.createSync();
    b.configure?.(this.config);
    this.instances.set(syncFactory.name, b);
    this.current = b;
    this.announce([]);
    return b;
  }

  activeBackendName(): string | null {
    return this.current?.name ?? null;
  }

  startedBackend(name: string): Backend | undefined {
    return this.instances.get(name);
  }

  /** The backend `name`, started now if its factory can start synchronously (the CPU can). */
  syncInstance(name: string): Backend | undefined {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const f = this.factories.get(name) as (BackendFactory & { createSync?(): Backend }) | undefined;
    if (!f?.createSync) return undefined;
    const b = f.createSync();
    b.configure?.(this.config);
    this.instances.set(name, b);
    return b;
  }

  warnFallbackOnce(op: string, from: string, to: string): void {
    this.warnOnce(`${op}@${from}`, `eagerflow: op '${op}' has no kernel on '${from}'; running it on '${to}' (soft placement)`);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warnedFallback.has(key)) return;
    this.warnedFallback.add(key);
    console.warn(message);
  }

  // ---- tensors and storage -------------------------------------------------------------

  /** Wraps backend storage in a tensor (one more reference to the storage). */
  makeTensor(shape: Shape, dtype: DType, storage: unknown, backend: Backend, bytes?: number): Tensor {
    let rec = this.storage.get(storage);
    if (!rec) {
      rec = { backend, bytes: bytes ?? byteSize(shape, dtype), refs: 0 };
      this.storage.set(storage, rec);
    }
    rec.refs++;
    const t = new Tensor(shape, dtype, storage, backend);
    this.numLive++;
    this.liveByBackend.set(backend.name, (this.liveByBackend.get(backend.name) ?? 0) + 1);
    this.track(t);
    return t;
  }

  fromValues(values: DataValues, shape: Shape, dtype: DType, backend = this.backend()): Tensor {
    const storage = backend.write(values, { shape, dtype });
    return this.makeTensor(shape, dtype, storage, backend, dtype === 'string' ? dataByteLength(values) : undefined);
  }

  /** Drops one reference to `storage`; releases it on the backend at zero. */
  releaseStorage(storage: unknown): void {
    const rec = this.storage.get(storage);
    if (!rec) return;
    if (--rec.refs === 0) {
      this.storage.delete(storage);
      rec.backend.release(storage);
    }
  }

  retainStorage(storage: unknown): void {
    const rec = this.storage.get(storage);
    if (rec) rec.refs++;
  }

  /** Counts a tensor built outside makeTensor (a variable): one more storage reference, no scope. */
  adopt(t: Tensor): void {
    this.retainStorage(t.storage);
    this.numLive++;
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 0) + 1);
  }

  /**
   * A new tensor sharing `t`'s current storage, owned by a tape: untracked by tidy and already
   * "disposed", so it is freed when the last tape holding it lets go.
   */
  snapshotForTape(t: Tensor): Tensor {
    const s = this.makeTensor(t.shape, t.dtype, t.storage, t.backend);
    this.untrack(s);
    s.disposePending = true;
    return s;
  }

  /** Points a tensor (a variable being assigned) at other storage. */
  repoint(t: Tensor, storage: unknown, backend: Backend): void {
    this.retainStorage(storage);
    this.releaseStorage(t.storage);
    if (backend !== t.backend) {
      this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
      this.liveByBackend.set(backend.name, (this.liveByBackend.get(backend.name) ?? 0) + 1);
    }
    t.storage = storage;
    t.backend = backend;
  }

  disposeTensor(t: Tensor): void {
    if (t.released || t.disposePending) return;
    if (t.tapeHolds > 0) {
      t.disposePending = true;
      return;
    }
    this.free(t);
  }

  /** Called by a tape when it lets go of a tensor it saved. */
  releaseHold(t: Tensor): void {
    t.tapeHolds--;
    if (t.tapeHolds === 0 && t.disposePending) this.free(t);
  }

  private free(t: Tensor): void {
    t.released = true;
    t.disposePending = false;
    this.numLive--;
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
    this.releaseStorage(t.storage);
  }

  /** Moves a tensor's storage to another backend (for a variable, or an op placed elsewhere). */
  moveStorage(t: Tensor, to: Backend): void {
    if (t.backend === to) return;
    if (!t.backend.readSync) {
      throw new Error(`eagerflow: a ${t.dtype} tensor on '${t.backend.name}' is needed on '${to.name}'; move it first with await ef.toBackend(t, '${to.name}')`);
    }
    const values = t.backend.readSync(t.storage, t);
    this.rehome(t, values, to);
  }

  rehome(t: Tensor, values: DataValues, to: Backend): void {
    const storage = to.write(values, t);
    this.releaseStorage(t.storage);
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
    this.liveByBackend.set(to.name, (this.liveByBackend.get(to.name) ?? 0) + 1);
    // write() may hand back storage other tensors already hold (WebGPU's shared small constants):
    // count one more reference instead of starting over at 1, or their storage is freed under them.
    const rec = this.storage.get(storage);
    if (rec) rec.refs++;
    else this.storage.set(storage, { backend: to, bytes: t.dtype === 'string' ? dataByteLength(values) : byteSize(t.shape, t.dtype), refs: 1 });
    t.storage = storage;
    t.backend = to;
  }

  read(t: Tensor): Promise<DataValues> {
    this.assertLive(t, 'data');
    return t.backend.read(t.storage, t);
  }

  readSync(t: Tensor): DataValues {
    this.assertLive(t, 'dataSync');
    if (!t.backend.readSync) {
      throw new OpError('dataSync', `tensors on '${t.backend.name}' can only be read asynchronously; use await t.data()`);
    }
    return t.backend.readSync(t.storage, t);
  }

  /** Throws when `t` was disposed (a tape's saved tensors stay usable while it runs backward). */
  assertLive(t: Tensor, op: string, arg?: string): void {
    if (this.isLive(t)) return;
    const name = arg === undefined ? undefined : /^\w+$/.test(arg) ? `argument '${arg}'` : arg;
    if (!(t instanceof Tensor)) throw new OpError(op, `${name ?? 'argument'} must be a Tensor, found ${describeValue(t)}`);
    throw new OpError(op, `${name ?? `tensor ${t.id}`} (shape [${t.shape.join(',')}], ${t.dtype}) was disposed`);
  }

  /** assertLive for input `i` of an op, naming it `input i` (the name is built only on failure). */
  assertLiveInput(t: Tensor, op: string, i: number): void {
    if (!this.isLive(t)) this.assertLive(t, op, `input ${i}`);
  }

  /** Whether `t` is a tensor that may be read: not disposed (or saved by a tape that is running backward). */
  private isLive(t: Tensor): boolean {
    return t instanceof Tensor && !t.released && !(t.disposePending && this.backwardDepth === 0);
  }

  // ---- scopes --------------------------------------------------------------------------

  private track(t: Tensor): void {
    const n = this.scopes.length;
    if (n !== 0) this.scopes[n - 1]!.add(t);
  }

  untrack(t: Tensor): void {
    for (const s of this.scopes) s.delete(t);
  }

  tidy<T extends TensorContainer>(fn: () => T): T {
    this.scopes.push(new Set());
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new OpError('tidy', 'the function returned a Promise; tidy() is synchronous');
    } catch (e) {
      this.endScope(undefined);
      throw e;
    }
    this.endScope(result);
    return result;
  }

  private endScope(result: TensorContainer): void {
    const scope = this.scopes.pop()!;
    const keep = new Set<Tensor>();
    collectTensors(result, keep);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (keep.has(t) || t.kept) {
        if (parent && !t.kept) parent.add(t);
      } else {
        this.disposeTensor(t);
      }
    }
  }

  keep<T extends Tensor>(t: T): T {
    t.kept = true;
    return t;
  }

  memory(): MemoryInfo {
    const backends: MemoryInfo['backends'] = {};
    for (const [name, b] of this.instances) {
      backends[name] = { tensors: this.liveByBackend.get(name) ?? 0, bytes: 0, ...(b.memoryInfo?.() ?? {}) };
    }
    let numBytes = 0;
    for (const rec of this.storage.values()) {
      numBytes += rec.bytes;
      const entry = backends[rec.backend.name];
      if (entry) entry.bytes += rec.bytes;
    }
    return { numTensors: this.numLive, numBytes, backends };
  }

  /** Frees a backend and forgets it (its tensors become unusable). */
  disposeBackend(name?: string): void {
    const names = name ? [name] : [...this.instances.keys()];
    for (const n of names) {
      const b = this.instances.get(n);
      if (!b) continue;
      for (const [s, rec] of this.storage) if (rec.backend === b) this.storage.delete(s);
      b.dispose();
      this.instances.delete(n);
      // Its tensors are unusable now; stop counting them.
      this.numLive -= this.liveByBackend.get(n) ?? 0;
      this.liveByBackend.delete(n);
      if (this.current === b) this.current = null;
    }
  }
}

function byteSize(shape: Shape, dtype: DType): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n * bytesPerElement(dtype);
}

export function collectTensors(x: TensorContainer, out: Set<Tensor>): void {
  if (x instanceof Tensor) out.add(x);
  else if (Array.isArray(x)) for (const e of x) collectTensors(e, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) collectTensors(v as TensorContainer, out);
}

export const engine = new Engine();

setTensorHost({
  read: (t) => engine.read(t),
  readSync: (t) => engine.readSync(t),
  dispose: (t) => engine.disposeTensor(t),
});
