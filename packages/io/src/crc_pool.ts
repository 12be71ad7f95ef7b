/**
 * CRC-32C of large buffers on worker threads (Node's worker_threads), so that checksumming
 * overlaps with disk I/O and uses several cores. Falls back to the synchronous crc32c where
 * workers are unavailable (browsers, or when disabled) and for small buffers.
 */
import { crc32c } from './crc32c.js';

/** Buffers below this size are checksummed on the calling thread. */
export const OFF_THREAD_MIN_BYTES = 1 << 20;

// Self-contained worker source (the same slice-by-8 algorithm as crc32c.ts).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const T = new Int32Array(2048);
for (let i = 0; i < 256; i++) { let c = i; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1; T[i] = c; }
for (let i = 0; i < 256; i++) { let c = T[i]; for (let k = 1; k < 8; k++) { c = T[c & 0xff] ^ (c >>> 8); T[k * 256 + i] = c; } }
function crc(d) {
  let c = -1, i = 0; const n = d.length;
  for (; i < n && ((d.byteOffset + i) & 3); i++) c = T[(c ^ d[i]) & 0xff] ^ (c >>> 8);
  const words = (n - i) >>> 3;
  if (words > 0) {
    const w = new Int32Array(d.buffer, d.byteOffset + i, words * 2);
    for (let j = 0, m = words * 2; j < m; j += 2) {
      const a = w[j] ^ c, b = w[j + 1];
      c = T[0x700 + (a & 0xff)] ^ T[0x600 + ((a >>> 8) & 0xff)] ^ T[0x500 + ((a >>> 16) & 0xff)] ^ T[0x400 + (a >>> 24)] ^
          T[0x300 + (b & 0xff)] ^ T[0x200 + ((b >>> 8) & 0xff)] ^ T[0x100 + ((b >>> 16) & 0xff)] ^ T[b >>> 24];
    }
    i += words * 8;
  }
  for (; i < n; i++) c = T[(c ^ d[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
parentPort.on('message', (m) => {
  const c = crc(new Uint8Array(m.buf, m.off, m.len));
  parentPort.postMessage({ id: m.id, crc: c, buf: m.buf }, m.back ? [m.buf] : []);
});
`;

interface NodeWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(ev: 'message', f: (m: { id: number; crc: number; buf: ArrayBuffer }) => void): void;
  on(ev: 'error', f: (e: Error) => void): void;
  unref(): void;
  ref(): void;
  terminate(): Promise<number>;
}

interface Job {
  resolve: (r: { crc: number; bytes: Uint8Array }) => void;
  reject: (e: Error) => void;
  off: number;
  len: number;
  worker: number;
}

class CrcPool {
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();
  private readonly load: number[];
  constructor(private readonly workers: NodeWorker[]) {
    this.load = workers.map(() => 0);
    workers.forEach((w, wi) => {
      w.on('message', (m) => {
        const job = this.jobs.get(m.id);
        if (!job) return;
        this.jobs.delete(m.id);
        if (--this.load[wi]! === 0) w.unref();
        job.resolve({ crc: m.crc, bytes: new Uint8Array(m.buf, job.off, job.len) });
        if (this.jobs.size === 0) this.scheduleShutdown();
      });
      w.on('error', (e) => {
        for (const [id, job] of this.jobs) {
          if (job.worker === wi) {
            this.jobs.delete(id);
            job.reject(e);
          }
        }
      });
      w.unref();
    });
  }

  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  /** Idle workers are terminated after a second, so no threads linger; a new pool starts on demand. */
  private scheduleShutdown(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.jobs.size) return;
      this.closed = true;
      if (pool === this.self) pool = undefined;
      for (const w of this.workers) void w.terminate();
    }, 1000);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** @internal the promise this pool is stored under */
  self: Promise<CrcPool | null> | undefined;

  get isClosed(): boolean {
    return this.closed;
  }

  run(bytes: Uint8Array, transfer: boolean): Promise<{ crc: number; bytes: Uint8Array }> {
    clearTimeout(this.idleTimer);
    let wi = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[wi]!) wi = i;
    const w = this.workers[wi]!;
    const id = this.nextId++;
    // A view over part of a larger buffer (or one we must not detach) is copied; clone copies anyway.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const src = transfer && whole ? bytes : bytes.slice();
    const done = new Promise<{ crc: number; bytes: Uint8Array }>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, off: src.byteOffset, len: src.byteLength, worker: wi });
      if (this.load[wi]!++ === 0) w.ref();
      const buf = src.buffer as ArrayBuffer;
      w.postMessage({ id, buf, off: src.byteOffset, len: src.byteLength, back: true }, [buf]);
    });
    // When we sent a copy, the caller's bytes were never detached: hand those back.
    return src === bytes ? done : done.then((r) => ({ crc: r.crc, bytes }));
  }
}

let pool: Promise<CrcPool | null> | undefined;
let enabled = true;

/** Turns worker-thread checksumming on or off (it is on by default in Node). */
export function setCrcWorkers(on: boolean): void {
  enabled = on;
}

function getPool(): Promise<CrcPool | null> {
  if (!pool) {
    pool = (async () => {
      const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
      if (!proc?.versions?.node) return null;
      try {
        const spec = 'node:worker_threads';
        const os = 'node:os';
        const wt = (await import(/* @vite-ignore */ spec)) as { Worker: new (src: string, o: { eval: boolean }) => NodeWorker };
        const { availableParallelism, cpus } = (await import(/* @vite-ignore */ os)) as { availableParallelism?: () => number; cpus: () => unknown[] };
        const cores = availableParallelism ? availableParallelism() : cpus().length;
        const n = Math.max(1, Math.min(4, cores - 1));
        return new CrcPool(Array.from({ length: n }, () => new wt.Worker(WORKER_SOURCE, { eval: true })));
      } catch {
        return null;
      }
    })();
    const mine = pool;
    void mine.then((p) => {
      if (p) p.self = mine;
    });
  }
  return pool;
}

/**
 * CRC-32C of `bytes`, computed on a worker thread when that is worthwhile. With `transfer`, a
 * buffer that `bytes` covers entirely is moved to the worker and back (no copy): use the
 * returned `bytes`, the argument's buffer is detached meanwhile. Otherwise the data is copied.
 */
export async function crc32cOffThread(bytes: Uint8Array, transfer = false): Promise<{ crc: number; bytes: Uint8Array }> {
  if (!enabled || bytes.length < OFF_THREAD_MIN_BYTES) return { crc: crc32c(bytes), bytes };
  let p = await getPool();
  if (p?.isClosed) p = await getPool(); // it was shut down while idle: start a fresh one
  if (!p || p.isClosed) return { crc: crc32c(bytes), bytes };
  return p.run(bytes, transfer);
}

/** Terminates the checksum worker threads now (they also stop by themselves after 1 s idle). */
export async function shutdownCrcWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  const resolved = p ? await p : null;
  if (resolved) await resolved.shutdown();
}
