/**
 * gfile: TensorFlow's file API over pluggable backends chosen by URL scheme:
 * local paths (Node), `mem://` (in-process), `indexeddb://` (browser), `http(s)://` (read-only).
 */
import { HttpFileSystem } from './http.js';
import { IndexedDBStore } from './indexeddb.js';
import { KVFileSystem, MapStore } from './kv.js';
import { LocalFileSystem } from './local.js';
import { join, schemeOf, splitScheme } from './path.js';
import { describeValue, GFileError, type FileStat, type FileSystem, type RandomAccessFile, type WritableFile } from './types.js';

export { GFileError, type FileStat, type FileSystem, type RandomAccessFile, type WritableFile, type WriteOptions } from './types.js';
export { KVFileSystem, MapStore, type KVStore, type KVEntry } from './kv.js';
export { IndexedDBStore } from './indexeddb.js';
export { HttpFileSystem } from './http.js';
export { LocalFileSystem } from './local.js';
export { join, dirname, basename, isAbsolute, splitScheme } from './path.js';

const registry = new Map<string, FileSystem>();
registry.set('', new LocalFileSystem());
registry.set('file', registry.get('')!);
registry.set('mem', new KVFileSystem('mem', new MapStore()));
registry.set('indexeddb', new KVFileSystem('indexeddb', new IndexedDBStore()));
registry.set('http', new HttpFileSystem('http'));
registry.set('https', new HttpFileSystem('https'));

/** Installs (or replaces) the backend for a scheme ('' = local paths). */
export function registerFileSystem(scheme: string, fs: FileSystem): void {
  registry.set(scheme.toLowerCase(), fs);
}

/** The backend that handles `path`. */
export function fileSystemFor(path: string): FileSystem {
  if (typeof path !== 'string') throw new GFileError(`path must be a string; found ${describeValue(path)}`, 'UNSUPPORTED');
  const scheme = schemeOf(path);
  const fs = registry.get(scheme);
  if (!fs) throw new GFileError(`no file system registered for scheme '${scheme}://' (path '${path}')`, 'UNSUPPORTED');
  return fs;
}

/** Drops every file of the `mem://` file system (tests). */
export function resetMemoryFileSystem(): void {
  registry.set('mem', new KVFileSystem('mem', new MapStore()));
}

export const exists = (path: string): Promise<boolean> => fileSystemFor(path).exists(path);
export const stat = (path: string): Promise<FileStat> => fileSystemFor(path).stat(path);
export const readFile = (path: string): Promise<Uint8Array> => fileSystemFor(path).readFile(path);
export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readFile(path));
}
/** Writes a whole file atomically (temporary name, fsync, rename) unless `{atomic: false}`. */
export function writeFile(path: string, data: Uint8Array | string, options?: { atomic?: boolean }): Promise<void> {
  const bytes = toBytes(data, `writeFile '${path}'`);
  return fileSystemFor(path).writeFile(path, bytes, options);
}
export function rename(src: string, dst: string, options: { overwrite?: boolean } = {}): Promise<void> {
  const fs = fileSystemFor(src);
  if (fileSystemFor(dst) !== fs) throw new GFileError(`rename '${src}' -> '${dst}': different file systems`, 'UNSUPPORTED');
  if (options.overwrite === false) {
    return fs.exists(dst).then((e) => {
      if (e) throw new GFileError(`rename '${src}' -> '${dst}': destination exists`, 'ALREADY_EXISTS');
      return fs.rename(src, dst);
    });
  }
  return fs.rename(src, dst);
}
/** Deletes a file (or empty directory). */
export const remove = (path: string): Promise<void> => fileSystemFor(path).remove(path);
/** Deletes a directory tree. */
export async function removeRecursively(path: string): Promise<void> {
  const st = await stat(path);
  if (st.isDirectory) for (const name of await listDirectory(path)) await removeRecursively(join(path, name));
  await remove(path);
}
export const makeDirs = (path: string): Promise<void> => fileSystemFor(path).makeDirs(path);
export const listDirectory = (path: string): Promise<string[]> => fileSystemFor(path).listDirectory(path);
export const isDirectory = async (path: string): Promise<boolean> => (await exists(path)) && (await stat(path)).isDirectory;
export async function copy(src: string, dst: string, options: { overwrite?: boolean } = {}): Promise<void> {
  if (options.overwrite === false && (await exists(dst))) throw new GFileError(`copy '${src}' -> '${dst}': destination exists`, 'ALREADY_EXISTS');
  await writeFile(dst, await readFile(src));
}

function globToRegExp(component: string): RegExp {
  let re = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < component.length) re += escapeRe(component[++i]!);
    else if (c === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = component.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const hasMagic = (s: string): boolean => /[*?[]/.test(s);

/** Paths matching a pattern (`*`, `?`, `[abc]`, `[!abc]` within one path component), sorted. */
export async function glob(pattern: string): Promise<string[]> {
  if (typeof pattern !== 'string') throw new GFileError(`glob: pattern must be a string; found ${describeValue(pattern)}`, 'UNSUPPORTED');
  const [scheme, rest] = splitScheme(pattern);
  const absolute = rest.startsWith('/');
  const parts = rest.split('/').filter((p, i) => p !== '' || i === 0);
  if (parts[0] === '') parts.shift();
  let bases = [scheme + (absolute ? '/' : '')];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next: string[] = [];
    for (const base of bases) {
      const dir = base === '' ? '.' : base;
      if (hasMagic(part)) {
        let names: string[];
        try {
          names = await listDirectory(dir);
        } catch (e) {
          if (e instanceof GFileError && (e.code === 'NOT_FOUND' || e.code === 'NOT_DIRECTORY')) continue;
          throw e;
        }
        const re = globToRegExp(part);
        for (const n of names) if (re.test(n)) next.push(base === '' ? n : join(base, n));
      } else {
        const p = base === '' ? part : join(base, part);
        if (i < parts.length - 1 || (await exists(p))) next.push(p);
      }
    }
    bases = next;
  }
  const out: string[] = [];
  for (const p of bases) if (await exists(p)) out.push(p);
  return [...new Set(out)].sort();
}

/** Recursively walks a directory: yields [dir, subdirs, files] top-down (tf.io.gfile.walk). */
export async function* walk(top: string): AsyncGenerator<[string, string[], string[]]> {
  const names = await listDirectory(top);
  const dirs: string[] = [];
  const files: string[] = [];
  for (const n of names) ((await stat(join(top, n))).isDirectory ? dirs : files).push(n);
  yield [top, dirs, files];
  for (const d of dirs) yield* walk(join(top, d));
}

/**
 * Modes of `open`: 'r' read, 'w' write (truncate), 'a' append. TF's binary modes 'rb', 'wb', 'ab' are
 * accepted and mean the same: reads always return bytes (Uint8Array; `readText` decodes UTF-8) and
 * writes take bytes or strings (UTF-8 encoded).
 */
export type GFileMode = 'r' | 'w' | 'a' | 'rb' | 'wb' | 'ab';

function baseMode(path: string, mode: string): 'r' | 'w' | 'a' {
  const m = mode === 'rb' || mode === 'r' ? 'r' : mode === 'wb' || mode === 'w' ? 'w' : mode === 'ab' || mode === 'a' ? 'a' : undefined;
  if (!m) throw new GFileError(`open '${path}': unsupported mode '${mode}' (expected 'r', 'w', 'a', 'rb', 'wb' or 'ab')`, 'UNSUPPORTED');
  return m;
}

/**
 * An open file (tf.io.gfile.GFile). Mode 'r'/'rb': read/seek/tell/chunks; 'w'/'wb' or 'a'/'ab':
 * write/flush/close. Get one with `await gfile.open(path, mode)` (or `GFile.open` / `FastGFile.open`).
 */
export class GFile {
  private pos = 0;
  private closed = false;
  private constructor(
    readonly path: string,
    /** The mode as given to `open` ('rb' stays 'rb'). */
    readonly mode: GFileMode,
    private readonly reader?: RandomAccessFile,
    private readonly writer?: WritableFile,
  ) {}

  static async open(path: string, mode: GFileMode = 'r'): Promise<GFile> {
    const m = baseMode(path, mode);
    const fs = fileSystemFor(path);
    if (m === 'r') return new GFile(path, mode, await fs.openRead(path));
    return new GFile(path, mode, undefined, await fs.openWrite(path, { append: m === 'a' }));
  }

  private live(): void {
    if (this.closed) throw new GFileError(`'${this.path}' is closed`, 'IO');
  }
  private needReader(): RandomAccessFile {
    this.live();
    if (!this.reader) throw new GFileError(`'${this.path}' is open for writing, not reading`, 'IO');
    return this.reader;
  }
  private needWriter(): WritableFile {
    this.live();
    if (!this.writer) throw new GFileError(`'${this.path}' is open for reading, not writing`, 'IO');
    return this.writer;
  }

  /** Size in bytes (read mode). */
  get size(): number {
    return this.needReader().size;
  }
  tell(): number {
    return this.pos;
  }
  seek(position: number): void {
    this.needReader();
    if (!Number.isInteger(position) || position < 0) throw new GFileError(`seek '${this.path}': position must be a non-negative integer; found ${describeValue(position)}`, 'IO');
    this.pos = position;
  }
  /** Reads up to `n` bytes (the rest of the file by default) from the current position. */
  async read(n?: number): Promise<Uint8Array> {
    const r = this.needReader();
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new GFileError(`read '${this.path}': n must be a non-negative integer (or omitted: the rest); found ${describeValue(n)}`, 'IO');
    const b = await r.read(this.pos, n ?? Math.max(0, r.size - this.pos));
    this.pos += b.length;
    return b;
  }
  async readText(): Promise<string> {
    return new TextDecoder().decode(await this.read());
  }
  /** Yields the rest of the file in chunks. */
  async *chunks(chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new GFileError(`chunks '${this.path}': chunkSize must be a positive integer; found ${describeValue(chunkSize)}`, 'IO');
    for (;;) {
      const b = await this.read(chunkSize);
      if (b.length === 0) return;
      yield b;
    }
  }
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = toBytes(data, `write '${this.path}'`);
    await this.needWriter().append(bytes);
    this.pos += bytes.length;
  }
  async flush(): Promise<void> {
    await this.needWriter().flush();
  }
  /** Makes the written bytes durable (fsync on disk). */
  async sync(): Promise<void> {
    await this.needWriter().sync();
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reader) await this.reader.close();
    if (this.writer) await this.writer.close();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export const open = (path: string, mode: GFileMode = 'r'): Promise<GFile> => GFile.open(path, mode);

/**
 * TF1's tf.gfile.FastGFile: the same class as GFile (TF deprecated it in favour of GFile). TF's
 * `tf.gfile.FastGFile(path, 'rb').read()` is `await (await gfile.FastGFile.open(path, 'rb')).read()`.
 */
export const FastGFile = GFile;
export type FastGFile = GFile;

/** Opens a file for positional reads (backend object). */
export const openRead = (path: string): Promise<RandomAccessFile> => fileSystemFor(path).openRead(path);
/** Opens a file for appending (backend object). */
export const openWrite = (path: string, options?: { append?: boolean }): Promise<WritableFile> => fileSystemFor(path).openWrite(path, options);
export const syncDirectory = (path: string): Promise<void> => fileSystemFor(path).syncDirectory(path);

/** Data to write: a string (UTF-8) or bytes. */
function toBytes(data: unknown, what: string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (!(data instanceof Uint8Array)) throw new GFileError(`${what}: data must be a Uint8Array or a string; found ${describeValue(data)}`, 'IO');
  return data;
}
