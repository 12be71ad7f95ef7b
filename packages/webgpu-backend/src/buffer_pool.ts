/**
 * GPU buffers by size class. A released buffer may still be read by commands recorded in the
 * open (not yet submitted) encoder, so frees are deferred: they join the free lists only after
 * the submit that used them. Queue order then makes reuse safe (later writes and dispatches run
 * after the earlier submit on the queue timeline).
 */

// Numeric values of GPUBufferUsage (not a global in Node).
export const USAGE = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;
export const MAP_READ = 0x0001;

export const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
export const STAGING_USAGE = USAGE.MAP_READ | USAGE.COPY_DST;

let nextBufferId = 1;

/** A pooled buffer: the GPU object plus an id used in bind-group cache keys. */
export interface PooledBuffer {
  readonly id: number;
  readonly buffer: GPUBuffer;
  readonly size: number;
  readonly usage: number;
}

/**
 * Size classes: 256 bytes minimum, then 4 steps per power of two (at most 25% waste; 16-byte
 * multiples so any buffer can be bound as array<vec4<...>>).
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

export interface PoolOptions {
  /** Bytes the pool may hold (in use + cached); null for no limit. */
  limit: number | null;
  /** Keep freed buffers for reuse (true) or destroy them once the GPU is done with them. */
  allowGrowth: boolean;
}

export class BufferPool {
  private readonly free = new Map<string, PooledBuffer[]>();
  private deferred: PooledBuffer[] = [];
  /** Bytes of every buffer the pool created and has not destroyed. */
  allocatedBytes = 0;
  /** Bytes sitting in free lists. */
  cachedBytes = 0;
  inUseBytes = 0;
  peakBytes = 0;
  created = 0;
  reused = 0;
  destroyed = 0;
  options: PoolOptions = { limit: null, allowGrowth: true };
  /** Called when a buffer is destroyed (drops bind groups that name it). */
  onDestroy: (b: PooledBuffer) => void = () => {};

  constructor(private readonly device: GPUDevice, private readonly maxBufferSize: number) {}

  /**
   * A buffer of at least `bytes`. `inEncoder`: the buffer is only written by commands recorded
   * after this point (a kernel output), so a buffer freed while the open encoder still reads it
   * may be reused (commands run in order); queue.writeBuffer would run before the encoder, so
   * host writes pass false.
   */
  acquire(bytes: number, usage = STORAGE_USAGE, inEncoder = false): PooledBuffer {
    const size = sizeClass(Math.max(bytes, 4));
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    const hit = list?.pop();
    if (hit) {
      this.cachedBytes -= size;
      this.inUseBytes += size;
      this.reused++;
      return hit;
    }
    if (inEncoder) {
      const i = this.deferred.findIndex((b) => b.size === size && b.usage === usage);
      if (i >= 0) {
        const b = this.deferred[i]!;
        this.deferred[i] = this.deferred[this.deferred.length - 1]!;
        this.deferred.pop();
        this.inUseBytes += size;
        this.reused++;
        return b;
      }
    }
    if (size > this.maxBufferSize) {
      throw new Error(`webgpu: a buffer of ${bytes} bytes exceeds this device's maxBufferSize (${this.maxBufferSize})`);
    }
    const limit = this.options.limit;
    if (limit !== null && this.allocatedBytes + size > limit) {
      this.trim(this.allocatedBytes + size - limit);
      if (this.allocatedBytes + size > limit) {
        throw new Error(
          `webgpu: GPU memory limit exceeded: allocating ${size} bytes would bring the pool to ${this.allocatedBytes + size} bytes ` +
            `(limit ${limit}, ${this.inUseBytes} in use by tensors); dispose tensors or raise ef.config({gpuMemoryLimit})`,
        );
      }
    }
    const buffer = this.device.createBuffer({ size, usage });
    this.created++;
    this.allocatedBytes += size;
    this.inUseBytes += size;
    if (this.allocatedBytes > this.peakBytes) this.peakBytes = this.allocatedBytes;
    return { id: nextBufferId++, buffer, size, usage };
  }

  /** Gives a buffer back; it is reusable after the next submit (see `afterSubmit`). */
  release(b: PooledBuffer, pendingWork: boolean): void {
    this.inUseBytes -= b.size;
    if (pendingWork) this.deferred.push(b);
    else this.recycle(b);
  }

  /** The open encoder was submitted: deferred buffers become reusable. */
  afterSubmit(): void {
    const list = this.deferred;
    this.deferred = [];
    for (const b of list) this.recycle(b);
  }

  private recycle(b: PooledBuffer): void {
    if (!this.options.allowGrowth) {
      this.destroy(b);
      return;
    }
    const key = `${b.usage}:${b.size}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(b);
    this.cachedBytes += b.size;
  }

  private destroy(b: PooledBuffer): void {
    this.onDestroy(b);
    b.buffer.destroy();
    this.allocatedBytes -= b.size;
    this.destroyed++;
  }

  /** Destroys cached buffers (largest first) until `bytes` are freed, or all when omitted. */
  trim(bytes = Infinity): void {
    const all = [...this.free.values()].flat().sort((a, b) => b.size - a.size);
    let freed = 0;
    for (const b of all) {
      if (freed >= bytes) break;
      const key = `${b.usage}:${b.size}`;
      const list = this.free.get(key)!;
      list.splice(list.indexOf(b), 1);
      if (!list.length) this.free.delete(key);
      this.cachedBytes -= b.size;
      freed += b.size;
      this.destroy(b);
    }
  }

  dispose(): void {
    this.afterSubmit();
    this.trim();
  }
}
