/**
 * The GPU runtime: pipelines cached by program key (op/rank/dtype/pattern, never exact shapes),
 * bind groups cached by the buffers they name, one command encoder and one compute pass reused
 * for many dispatches and submitted every `maxDispatchesPerSubmit` dispatches or on readback,
 * per-dispatch uniforms packed into one arena buffer (dynamic offsets), pooled staging buffers.
 */
import { BufferPool, MAP_READ, STAGING_USAGE, USAGE, type PooledBuffer } from './buffer_pool.js';
import type { DeviceInfo } from './device.js';

/** A compute program: its WGSL and the shape of its bindings. */
export interface Program {
  /** Cache key: everything the WGSL depends on. */
  readonly key: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Size of the uniform block in 32-bit words. */
  readonly uniformWords: number;
  /** WGSL source; called once per key. */
  code(): string;
}

const programCache = new Map<string, Program>();

/**
 * The program for `key`, built by `make` once per key (its WGSL is generated only when a pipeline
 * is first created). Keys are shared by every kernel: each starts with its kernel's name.
 */
export function cachedProgram(key: string, make: () => Omit<Program, 'key'>): Program {
  let p = programCache.get(key);
  if (!p) {
    p = { key, ...make() };
    programCache.set(key, p);
  }
  return p;
}

export interface RuntimeStats {
  dispatches: number;
  submits: number;
  pipelines: number;
  bindGroupsCreated: number;
  bindGroupHits: number;
  readbacks: number;
  /** Ops the backend ran on the host instead (tiny elementwise ops, see backend.ts). */
  hostOps: number;
}

interface Pipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  layoutKey: string;
  uniformBytes: number;
}

const ARENA_BYTES = 64 * 1024;
/** Timestamps per query set (two per timed dispatch). */
const QUERIES_PER_SET = 4096;

/** Per-dispatch GPU timing (ef.time): one query set after another, and the op of each dispatch. */
interface Timing {
  sets: { querySet: GPUQuerySet; count: number }[];
  ops: string[];
}

/** WGSL text reading uniform word `i` (u32), as f32 or as i32. */
export const uw = (i: number): string => `u.d[${i >> 2}].${'xyzw'[i & 3]}`;
export const uf = (i: number): string => `bitcast<f32>(${uw(i)})`;
export const ui = (i: number): string => `bitcast<i32>(${uw(i)})`;

/** Binding declarations: inputs read-only, outputs read_write, then the uniform block. */
export function declareBindings(inTypes: readonly string[], outTypes: readonly string[], uniformWords: number): string {
  const lines: string[] = [];
  inTypes.forEach((t, i) => lines.push(`@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`));
  outTypes.forEach((t, i) => lines.push(`@group(0) @binding(${inTypes.length + i}) var<storage, read_write> out${i}: array<${t}>;`));
  lines.push(`struct Uniforms { d: array<vec4<u32>, ${Math.max(1, Math.ceil(uniformWords / 4))}> };`);
  lines.push(`@group(0) @binding(${inTypes.length + outTypes.length}) var<uniform> u: Uniforms;`);
  return lines.join('\n');
}

export class GpuRuntime {
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  readonly staging: BufferPool;
  readonly limits: Readonly<Record<string, number>>;
  readonly features: ReadonlySet<string>;
  readonly stats: RuntimeStats = { dispatches: 0, submits: 0, pipelines: 0, bindGroupsCreated: 0, bindGroupHits: 0, readbacks: 0, hostOps: 0 };
  /** Dispatches recorded before the open encoder is submitted. */
  maxDispatchesPerSubmit = 64;
  /** Use subgroup operations in reductions when the device has them. */
  useSubgroups = true;
  /** Largest workgroup count per grid dimension. */
  readonly maxGroupsPerDim: number;
  /** The op whose kernel records dispatches now (named in kernel timings). */
  currentOp = '';
  private timing: Timing | null = null;

  private readonly pipelines = new Map<string, Pipeline>();
  private readonly layouts = new Map<string, { bgl: GPUBindGroupLayout; pl: GPUPipelineLayout }>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly keysByBuffer = new Map<number, string[]>();
  private readonly arena: GPUBuffer;
  private readonly arenaHost = new ArrayBuffer(ARENA_BYTES);
  private readonly arenaWords = new Uint32Array(this.arenaHost);
  private arenaOffset = 0;
  private readonly slotAlign: number;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private passPipeline: GPUComputePipeline | null = null;
  private pendingDispatches = 0;
  private lostMessage: string | null = null;
  private firstError: Error | null = null;
  private disposed = false;
  /** Pipeline creations whose validation result has not arrived yet. */
  private readonly pendingScopes: Promise<void>[] = [];

  constructor(private readonly info: DeviceInfo) {
    this.device = info.device;
    this.limits = info.limits;
    this.features = info.features;
    this.maxGroupsPerDim = info.limits['maxComputeWorkgroupsPerDimension'] || 65535;
    this.slotAlign = info.limits['minUniformBufferOffsetAlignment'] || 256;
    this.pool = new BufferPool(this.device, info.limits['maxBufferSize'] || 256 * 1024 * 1024);
    this.staging = new BufferPool(this.device, info.limits['maxBufferSize'] || 256 * 1024 * 1024);
    this.pool.onDestroy = (b) => this.forgetBuffer(b);
    this.arena = this.device.createBuffer({ size: ARENA_BYTES, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    void this.device.lost.then((lost) => {
      if (!this.disposed) this.lostMessage = `${lost.reason ?? 'unknown'}: ${lost.message}`;
    });
    this.device.addEventListener?.('uncapturederror', (ev) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      if (!this.firstError) this.firstError = new Error(`webgpu: ${err.constructor?.name ?? 'GPU error'}: ${err.message}`);
    });
  }

  /** Throws if the device was lost or an earlier GPU command failed. */
  check(): void {
    if (this.disposed) throw new Error('webgpu: the backend was disposed; its tensors are gone (ef.setBackend("webgpu") starts a new one)');
    if (this.lostMessage !== null) {
      throw new Error(`webgpu: the GPU device was lost (${this.lostMessage}); tensors on 'webgpu' are gone. Call ef.disposeBackend('webgpu') and ef.setBackend('webgpu') to start again`);
    }
    if (this.firstError) {
      const e = this.firstError;
      this.firstError = null;
      throw e;
    }
  }

  get hasPendingWork(): boolean {
    return this.encoder !== null;
  }

  // ---- pipelines and bind groups --------------------------------------------------------

  private layoutFor(inputs: number, outputs: number, uniformBytes: number) {
    const key = `${inputs}/${outputs}/${uniformBytes}`;
    let l = this.layouts.get(key);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < inputs; i++) entries.push({ binding: i, visibility: 4, buffer: { type: 'read-only-storage' } });
      for (let i = 0; i < outputs; i++) entries.push({ binding: inputs + i, visibility: 4, buffer: { type: 'storage' } });
      entries.push({ binding: inputs + outputs, visibility: 4, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: uniformBytes } });
      const bgl = this.device.createBindGroupLayout({ entries });
      l = { bgl, pl: this.device.createPipelineLayout({ bindGroupLayouts: [bgl] }) };
      this.layouts.set(key, l);
    }
    return { ...l, key };
  }

  pipeline(program: Program): Pipeline {
    let p = this.pipelines.get(program.key);
    if (p) return p;
    const uniformBytes = Math.max(1, Math.ceil(program.uniformWords / 4)) * 16;
    const layout = this.layoutFor(program.inputs, program.outputs, uniformBytes);
    const code = program.code();
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code, label: program.key });
    const pipeline = this.device.createComputePipeline({ layout: layout.pl, compute: { module, entryPoint: 'main' }, label: program.key });
    const scope = this.device.popErrorScope().then(async (err) => {
      if (!err) return;
      let detail = '';
      try {
        const info = await module.getCompilationInfo();
        detail = info.messages.map((m) => `  ${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
      } catch {
        // getCompilationInfo is optional
      }
      // A compile error explains the errors that follow from it: it wins.
      this.firstError = new Error(`webgpu: program '${program.key}' failed to compile: ${err.message}\n${detail}\n${code}`);
    });
    this.pendingScopes.push(scope);
    void scope.then(() => this.pendingScopes.splice(this.pendingScopes.indexOf(scope), 1));
    p = { pipeline, layout: layout.bgl, layoutKey: layout.key, uniformBytes };
    this.pipelines.set(program.key, p);
    this.stats.pipelines++;
    return p;
  }

  private bindGroup(p: Pipeline, buffers: readonly PooledBuffer[]): GPUBindGroup {
    let key = p.layoutKey;
    for (const b of buffers) key += `,${b.id}`;
    const hit = this.bindGroups.get(key);
    if (hit) {
      this.stats.bindGroupHits++;
      return hit;
    }
    const entries: GPUBindGroupEntry[] = buffers.map((b, i) => ({ binding: i, resource: { buffer: b.buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: this.arena, offset: 0, size: p.uniformBytes } });
    const bg = this.device.createBindGroup({ layout: p.layout, entries });
    this.stats.bindGroupsCreated++;
    if (this.bindGroups.size > 8192) {
      this.bindGroups.clear();
      this.keysByBuffer.clear();
    }
    this.bindGroups.set(key, bg);
    for (const b of buffers) {
      let keys = this.keysByBuffer.get(b.id);
      if (!keys) this.keysByBuffer.set(b.id, (keys = []));
      keys.push(key);
    }
    return bg;
  }

  private forgetBuffer(b: PooledBuffer): void {
    const keys = this.keysByBuffer.get(b.id);
    if (!keys) return;
    for (const k of keys) this.bindGroups.delete(k);
    this.keysByBuffer.delete(b.id);
  }

  // ---- dispatch and submit --------------------------------------------------------------

  /** Splits a 1-D workgroup count over x and y when it exceeds one grid dimension. */
  grid(groups: number): [number, number] {
    if (groups <= this.maxGroupsPerDim) return [Math.max(groups, 1), 1];
    const y = Math.ceil(groups / this.maxGroupsPerDim);
    return [Math.ceil(groups / y), y];
  }

  /** Records one dispatch in the open compute pass. `uniforms` are 32-bit words (u32 view). */
  dispatch(program: Program, inputs: readonly PooledBuffer[], outputs: readonly PooledBuffer[], uniforms: ArrayLike<number>, groups: readonly [number, number?, number?]): void {
    this.check();
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return;
    const p = this.pipeline(program);
    const slotBytes = Math.ceil(p.uniformBytes / this.slotAlign) * this.slotAlign;
    if (this.arenaOffset + slotBytes > ARENA_BYTES) this.flush();
    const offset = this.arenaOffset;
    this.arenaWords.set(uniforms as ArrayLike<number>, offset / 4);
    this.arenaOffset += slotBytes;
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    const bindGroup = this.bindGroup(p, [...inputs, ...outputs]);
    if (this.timing) this.timedDispatch(this.timing, this.encoder, p.pipeline, bindGroup, offset, x, y, z);
    else {
      if (!this.pass) {
        this.pass = this.encoder.beginComputePass();
        this.passPipeline = null;
      }
      // Each native call costs microseconds through Dawn: skip a redundant setPipeline.
      if (this.passPipeline !== p.pipeline) {
        this.pass.setPipeline(p.pipeline);
        this.passPipeline = p.pipeline;
      }
      this.pass.setBindGroup(0, bindGroup, [offset]);
      this.pass.dispatchWorkgroups(x, y, z);
    }
    this.stats.dispatches++;
    if (++this.pendingDispatches >= this.maxDispatchesPerSubmit) this.flush();
  }

  /** Timestamp queries bracket compute passes, not dispatches: a timed dispatch gets a pass of its own. */
  private timedDispatch(t: Timing, encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, offset: number, x: number, y: number, z: number): void {
    let set = t.sets[t.sets.length - 1];
    if (!set || 2 * set.count === QUERIES_PER_SET) {
      set = { querySet: this.device.createQuerySet({ type: 'timestamp', count: QUERIES_PER_SET }), count: 0 };
      t.sets.push(set);
    }
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    const pass = encoder.beginComputePass({
      timestampWrites: { querySet: set.querySet, beginningOfPassWriteIndex: 2 * set.count, endOfPassWriteIndex: 2 * set.count + 1 },
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup, [offset]);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    set.count++;
    t.ops.push(this.currentOp);
  }

  /** Starts timing every dispatch on the GPU; false without the 'timestamp-query' feature. */
  startTiming(): boolean {
    if (!this.features.has('timestamp-query')) return false;
    this.flush();
    this.timing = { sets: [], ops: [] };
    return true;
  }

  /** Stops timing; resolves the timestamps (one readback per 2,048 dispatches) into kernel times. */
  async endTiming(): Promise<{ op: string; ms: number }[]> {
    const t = this.timing;
    this.timing = null;
    if (!t) return [];
    const out: { op: string; ms: number }[] = [];
    for (const set of t.sets) {
      const bytes = set.count * 16;
      const resolved = this.pool.acquire(bytes, USAGE.QUERY_RESOLVE | USAGE.COPY_SRC);
      try {
        if (this.pass) {
          this.pass.end();
          this.pass = null;
        }
        if (!this.encoder) this.encoder = this.device.createCommandEncoder();
        this.encoder.resolveQuerySet(set.querySet, 0, 2 * set.count, resolved.buffer, 0);
        const ticks = new BigUint64Array(await this.readBuffer(resolved, bytes));
        for (let i = 0; i < set.count; i++) {
          const ns = Number(ticks[2 * i + 1]! - ticks[2 * i]!);
          out.push({ op: t.ops[out.length]!, ms: Math.max(0, ns) / 1e6 });
        }
      } finally {
        this.pool.release(resolved, false);
        set.querySet.destroy();
      }
    }
    return out;
  }

  /** Submits the open encoder (if any); deferred buffer frees become reusable. */
  flush(): void {
    if (!this.encoder) return;
    this.pass?.end();
    this.pass = null;
    if (this.arenaOffset > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.arenaOffset);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.arenaOffset = 0;
    this.pendingDispatches = 0;
    this.stats.submits++;
    this.pool.afterSubmit();
  }

  /** Copies `bytes` of `src` to the host: one copy appended to the batch, one submit, one map. */
  async readBuffer(src: PooledBuffer, bytes: number): Promise<ArrayBuffer> {
    this.check();
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.staging.acquire(size, STAGING_USAGE);
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(src.buffer, 0, staging.buffer, 0, size);
    this.flush();
    this.stats.readbacks++;
    try {
      await staging.buffer.mapAsync(MAP_READ, 0, size);
    } catch (e) {
      await Promise.all(this.pendingScopes);
      this.check();
      throw new Error(`webgpu: reading back ${bytes} bytes failed: ${(e as Error).message}`);
    }
    const out = staging.buffer.getMappedRange(0, size).slice(0, bytes);
    staging.buffer.unmap();
    this.staging.release(staging, false);
    // A failed command (invalid pipeline) leaves stale data: report it instead of returning it.
    if (this.firstError) await Promise.all(this.pendingScopes);
    this.check();
    return out;
  }

  async sync(): Promise<void> {
    this.check();
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await Promise.all(this.pendingScopes);
    this.check();
  }

  dispose(): void {
    if (this.disposed) return;
    try {
      this.flush();
    } catch {
      // the device may be lost already
    }
    this.disposed = true;
    this.pool.dispose();
    this.staging.dispose();
    this.bindGroups.clear();
    this.pipelines.clear();
    this.device.destroy();
    this.info.release();
  }
}
