/**
 * File access behind two small interfaces, so that the TFRecord framing, Example parsing and the
 * Dataset pipeline never touch Node directly:
 *
 * - `DataFileSystem`: chunked reads, writable files, glob, (optionally) synchronous whole-file reads.
 * - `CompressionCodec`: streaming GZIP/ZLIB inflate of a chunk stream and a compressing writable file.
 *
 * The defaults use Node's `fs` and `zlib`, reached through `process.getBuiltinModule` (no static
 * `node:` imports), so a browser bundle of this package loads; there, install a file system with
 * `setFileSystem()` (e.g. the io package's gfile adapter, or `memoryFileSystem()`), and the web
 * `CompressionStream`/`DecompressionStream` codec is chosen automatically.
 */
import type * as NodeFs from 'node:fs';
import type * as NodeZlib from 'node:zlib';
import { describeValue, InvalidArgumentError } from './errors.js';

/** A file open for writing. `write` resolves once the bytes were handed to the OS (or store). */
export interface WritableFile {
  write(bytes: Uint8Array): Promise<void>;
  /** Pushes buffered bytes down (compressors: a sync flush, so a reader sees all complete records). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface DataFileSystem {
  /** Streams the raw bytes of a file, `chunkSize` bytes at a time (the last chunk may be shorter). */
  readChunks(path: string, chunkSize?: number): AsyncIterable<Uint8Array>;
  /** Whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Whole file, synchronously (Node only; used by `readIdx`/`loadFashionMnist`). */
  readFileSync?(path: string): Uint8Array;
  openWrite(path: string): Promise<WritableFile>;
  /** Sorted paths matching a glob (`*`, `?`, `[...]` inside one path component). */
  glob(pattern: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  existsSync?(path: string): boolean;
  /**
   * Moves a file, replacing `to` (atomically where possible). Optional: `Dataset.cache(filename)`
   * publishes its file with it, and falls back to a copy when it is missing.
   */
  rename?(from: string, to: string): Promise<void>;
  /** Deletes a file (no error if it does not exist). Optional; used to drop partial cache files. */
  remove?(path: string): Promise<void>;
}

export type Compression = 'NONE' | 'GZIP' | 'ZLIB';
/** What users may pass: TF also accepts '' and undefined for no compression. */
export type CompressionType = Compression | '' | null | undefined;

export function normalizeCompression(c: CompressionType | string): Compression {
  if (c === undefined || c === null || c === '' || c === 'NONE') return 'NONE';
  if (c === 'GZIP' || c === 'ZLIB') return c;
  throw new InvalidArgumentError(`compression must be 'NONE', 'GZIP' or 'ZLIB'; found ${describeValue(c)}`);
}

export interface CompressionCodec {
  /** Inflates a chunk stream (GZIP: one or more concatenated members; ZLIB: one RFC 1950 stream). */
  decompress(type: 'GZIP' | 'ZLIB', chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** Wraps a file so that everything written to it is compressed into one deflate stream. */
  compress(type: 'GZIP' | 'ZLIB', file: WritableFile): WritableFile;
  /** Synchronous whole-buffer inflate (Node only; used for IDX files). */
  decompressSync?(type: 'GZIP' | 'ZLIB', bytes: Uint8Array): Uint8Array;
}

// ---- Node access without static imports -------------------------------------------------

interface ProcessLike {
  getBuiltinModule?(id: string): unknown;
  versions?: { node?: string };
}
function nodeModule<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}
export const isNode = (): boolean => nodeModule<typeof NodeFs>('node:fs') !== undefined;

function requireNode<T>(id: string, what: string): T {
  const m = nodeModule<T>(id);
  if (!m) {
    throw new Error(`${what} needs Node's ${id} (Node ≥ 20.16); in a browser install a file system with setFileSystem()`);
  }
  return m;
}

// ---- Node file system --------------------------------------------------------------------

const DEFAULT_CHUNK = 1 << 20;

export function nodeFileSystem(): DataFileSystem {
  const fs = requireNode<typeof NodeFs>('node:fs', 'nodeFileSystem');
  const path = requireNode<typeof import('node:path')>('node:path', 'nodeFileSystem');
  return {
    async *readChunks(file: string, chunkSize = DEFAULT_CHUNK): AsyncIterable<Uint8Array> {
      const fh = await fs.promises.open(file, 'r');
      try {
        for (;;) {
          const buf = new Uint8Array(chunkSize);
          const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
          if (bytesRead === 0) return;
          yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    },
    async readFile(file: string): Promise<Uint8Array> {
      const b = await fs.promises.readFile(file);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    readFileSync(file: string): Uint8Array {
      const b = fs.readFileSync(file);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    async openWrite(file: string): Promise<WritableFile> {
      const fh = await fs.promises.open(file, 'w');
      let closed = false;
      return {
        async write(bytes: Uint8Array): Promise<void> {
          let off = 0;
          while (off < bytes.length) {
            const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
            off += bytesWritten;
          }
        },
        async flush(): Promise<void> {
          await fh.datasync().catch(() => undefined);
        },
        async close(): Promise<void> {
          if (closed) return;
          closed = true;
          await fh.close();
        },
      };
    },
    async glob(pattern: string): Promise<string[]> {
      return globWith(pattern, {
        readdir: async (dir) => {
          try {
            return (await fs.promises.readdir(dir, { withFileTypes: true })).map((d) => ({ name: d.name, dir: d.isDirectory() }));
          } catch {
            return [];
          }
        },
        exists: async (p) => fs.existsSync(p),
        join: (a, b) => path.join(a, b),
        sep: path.sep,
      });
    },
    async exists(file: string): Promise<boolean> {
      return fs.existsSync(file);
    },
    existsSync(file: string): boolean {
      return fs.existsSync(file);
    },
    async rename(from: string, to: string): Promise<void> {
      await fs.promises.rename(from, to);
    },
    async remove(file: string): Promise<void> {
      await fs.promises.rm(file, { force: true });
    },
  };
}

// ---- glob ----------------------------------------------------------------------------------

const hasMagic = (s: string): boolean => /[*?[]/.test(s);

/** One path component of a glob as a RegExp (`*` and `?` never match '/'). */
export function globComponentToRegExp(component: string): RegExp {
  let re = '^';
  for (let i = 0; i < component.length; i++) {
    const c = component[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = component.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = component.slice(i + 1, end);
        if (body.startsWith('!') || body.startsWith('^')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

interface GlobHost {
  readdir(dir: string): Promise<{ name: string; dir: boolean }[]>;
  exists(p: string): Promise<boolean>;
  join(a: string, b: string): string;
  sep: string;
}

export async function globWith(pattern: string, host: GlobHost): Promise<string[]> {
  const parts = pattern.split('/');
  const absolute = pattern.startsWith('/');
  let bases: string[] = [absolute ? '/' : '.'];
  let i = absolute ? 1 : 0;
  // Fixed leading components.
  const fixed: string[] = [];
  while (i < parts.length && !hasMagic(parts[i]!)) fixed.push(parts[i++]!);
  if (i === parts.length) {
    return (await host.exists(pattern)) ? [pattern] : [];
  }
  const start = fixed.length ? (absolute ? '/' + fixed.join('/') : fixed.join('/')) : absolute ? '/' : '';
  bases = [start];
  for (; i < parts.length; i++) {
    const comp = parts[i]!;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasMagic(comp)) {
        const p = base ? host.join(base, comp) : comp;
        if (last ? await host.exists(p) : true) next.push(p);
        continue;
      }
      const re = globComponentToRegExp(comp);
      for (const e of await host.readdir(base || '.')) {
        if (!re.test(e.name)) continue;
        if (!last && !e.dir) continue;
        next.push(base ? (base === '/' ? '/' + e.name : `${base}/${e.name}`) : e.name);
      }
    }
    bases = next;
  }
  return bases.sort();
}

// ---- in-memory file system (browser, tests) ---------------------------------------------------

/** A DataFileSystem over a Map of path → bytes (for browsers, tests, or as a pattern for adapters). */
export function memoryFileSystem(files: Map<string, Uint8Array> = new Map()): DataFileSystem & { files: Map<string, Uint8Array> } {
  const list = (): string[] => [...files.keys()];
  return {
    files,
    async *readChunks(file: string, chunkSize = DEFAULT_CHUNK): AsyncIterable<Uint8Array> {
      const data = files.get(file);
      if (!data) throw new Error(`${file}: no such file`);
      for (let i = 0; i < data.length; i += chunkSize) yield data.slice(i, Math.min(data.length, i + chunkSize));
    },
    async readFile(file: string): Promise<Uint8Array> {
      const data = files.get(file);
      if (!data) throw new Error(`${file}: no such file`);
      return data;
    },
    readFileSync(file: string): Uint8Array {
      const data = files.get(file);
      if (!data) throw new Error(`${file}: no such file`);
      return data;
    },
    async openWrite(file: string): Promise<WritableFile> {
      const parts: Uint8Array[] = [];
      const publish = (): void => {
        files.set(file, concatBytes(parts));
      };
      publish();
      return {
        async write(bytes: Uint8Array): Promise<void> {
          parts.push(bytes.slice());
        },
        async flush(): Promise<void> {
          publish();
        },
        async close(): Promise<void> {
          publish();
        },
      };
    },
    async glob(pattern: string): Promise<string[]> {
      const res = pattern.split('/').map((c) => (hasMagic(c) ? globComponentToRegExp(c) : c));
      return list()
        .filter((p) => {
          const comps = p.split('/');
          return comps.length === res.length && comps.every((c, i) => (typeof res[i] === 'string' ? res[i] === c : (res[i] as RegExp).test(c)));
        })
        .sort();
    },
    async exists(file: string): Promise<boolean> {
      return files.has(file);
    },
    existsSync(file: string): boolean {
      return files.has(file);
    },
    async rename(from: string, to: string): Promise<void> {
      const data = files.get(from);
      if (!data) throw new Error(`${from}: no such file`);
      files.set(to, data);
      files.delete(from);
    },
    async remove(file: string): Promise<void> {
      files.delete(file);
    },
  };
}

export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  const n = total ?? parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

// ---- codecs ----------------------------------------------------------------------------------

/** GZIP/ZLIB through Node's zlib (TF's settings: default level, windowBits 15 / 15+16, memLevel 9). */
export function nodeCodec(): CompressionCodec {
  const zlib = requireNode<typeof NodeZlib>('node:zlib', 'nodeCodec');
  const make = (type: 'GZIP' | 'ZLIB', inflate: boolean) => {
    const opts = { memLevel: 9, chunkSize: 256 * 1024 };
    if (inflate) return type === 'GZIP' ? zlib.createGunzip(opts) : zlib.createInflate(opts);
    return type === 'GZIP' ? zlib.createGzip(opts) : zlib.createDeflate(opts);
  };
  return {
    async *decompress(type, chunks): AsyncIterable<Uint8Array> {
      const z = make(type, true);
      let failure: unknown;
      const feeding = (async () => {
        try {
          for await (const c of chunks) {
            if (z.destroyed) return;
            if (!z.write(c)) {
              // Wait for room, or stop if the inflater was destroyed (error, or the reader stopped).
              await new Promise<void>((r) => {
                const done = (): void => {
                  z.off('drain', done);
                  z.off('close', done);
                  r();
                };
                z.once('drain', done);
                z.once('close', done);
              });
            }
          }
          if (!z.destroyed) z.end();
        } catch (e) {
          failure = e;
          z.destroy(e as Error);
        }
      })();
      try {
        for await (const out of z as AsyncIterable<Uint8Array>) yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      } catch (e) {
        throw failure ?? new Error(`${type} decompression failed: ${(e as Error).message}`);
      } finally {
        z.destroy();
        await feeding;
      }
      if (failure) throw failure;
    },
    compress(type, file): WritableFile {
      const z = make(type, false);
      let writes: Promise<void> = Promise.resolve();
      let error: unknown;
      z.on('data', (chunk: Uint8Array) => {
        writes = writes.then(() => file.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))).catch((e) => {
          error ??= e;
        });
      });
      z.on('error', (e) => {
        error ??= e;
      });
      const check = (): void => {
        if (error) throw error;
      };
      return {
        async write(bytes: Uint8Array): Promise<void> {
          check();
          if (!z.write(bytes)) await new Promise<void>((r) => z.once('drain', () => r()));
          check();
        },
        async flush(): Promise<void> {
          check();
          await new Promise<void>((r) => z.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
          await new Promise<void>((r) => setImmediate(r));
          await writes;
          check();
          await file.flush();
        },
        async close(): Promise<void> {
          const ended = new Promise<void>((r) => z.once('end', () => r()));
          z.end();
          z.resume();
          await ended;
          await writes;
          await file.close();
          check();
        },
      };
    },
    decompressSync(type, bytes): Uint8Array {
      const b = type === 'GZIP' ? zlib.gunzipSync(bytes) : zlib.inflateSync(bytes);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
  };
}

interface WebStreamCtor {
  new (format: string): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
}

/** GZIP/ZLIB through the web CompressionStream / DecompressionStream ('gzip' / 'deflate'). */
export function webCodec(): CompressionCodec {
  const g = globalThis as unknown as { CompressionStream?: WebStreamCtor; DecompressionStream?: WebStreamCtor };
  if (!g.CompressionStream || !g.DecompressionStream) throw new Error('webCodec: CompressionStream is not available');
  const fmt = (t: 'GZIP' | 'ZLIB'): string => (t === 'GZIP' ? 'gzip' : 'deflate');
  return {
    async *decompress(type, chunks): AsyncIterable<Uint8Array> {
      const ds = new g.DecompressionStream!(fmt(type));
      const writer = ds.writable.getWriter();
      const feeding = (async () => {
        try {
          for await (const c of chunks) await writer.write(c);
          await writer.close();
        } catch (e) {
          await writer.abort(e).catch(() => undefined);
        }
      })();
      const reader = ds.readable.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          yield value;
        }
      } finally {
        reader.releaseLock();
        await feeding;
      }
    },
    compress(type, file): WritableFile {
      const cs = new g.CompressionStream!(fmt(type));
      const writer = cs.writable.getWriter();
      const reader = cs.readable.getReader();
      const pumping = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          await file.write(value);
        }
      })();
      return {
        write: (bytes) => writer.write(bytes),
        flush: async () => {
          await file.flush();
        },
        async close(): Promise<void> {
          await writer.close();
          await pumping;
          await file.close();
        },
      };
    },
  };
}

// ---- the installed defaults -----------------------------------------------------------------

let installedFs: DataFileSystem | undefined;
let installedCodec: CompressionCodec | undefined;

/** Installs the file system used by TFRecord/IDX/listFiles when no `fs` option is given. */
export function setFileSystem(fs: DataFileSystem | undefined): void {
  installedFs = fs;
}
export function getFileSystem(): DataFileSystem {
  installedFs ??= nodeFileSystem();
  return installedFs;
}
export function setCompressionCodec(codec: CompressionCodec | undefined): void {
  installedCodec = codec;
}
export function getCompressionCodec(): CompressionCodec {
  installedCodec ??= isNode() ? nodeCodec() : webCodec();
  return installedCodec;
}
