/**
 * A file system over a key-value store: the in-memory `mem://` backend and the browser's
 * `indexeddb://` backend. Keys are normalised paths without the scheme; directories are
 * explicit entries (makeDirs) or implied by files beneath them. Every write is one atomic store
 * operation, so writeFile and rename are atomic by construction.
 */
import { normalizeKey, splitScheme } from './path.js';
import { GFileError, type FileStat, type FileSystem, type RandomAccessFile, type WritableFile } from './types.js';

export interface KVEntry {
  /** undefined for a directory */
  data?: Uint8Array;
  mtimeMs: number;
}

/** What a store must provide. `batch` applies puts and deletes atomically. */
export interface KVStore {
  get(key: string): Promise<KVEntry | undefined>;
  keys(): Promise<string[]>;
  batch(puts: [string, KVEntry][], deletes: string[]): Promise<void>;
}

export class MapStore implements KVStore {
  readonly map = new Map<string, KVEntry>();
  async get(key: string): Promise<KVEntry | undefined> {
    return this.map.get(key);
  }
  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }
  async batch(puts: [string, KVEntry][], deletes: string[]): Promise<void> {
    for (const k of deletes) this.map.delete(k);
    for (const [k, v] of puts) this.map.set(k, v);
  }
}

export class KVFileSystem implements FileSystem {
  constructor(
    readonly scheme: string,
    private readonly store: KVStore,
    private readonly readOnly = false,
  ) {}

  private key(path: string): string {
    const [scheme, rest] = splitScheme(path);
    if (scheme.toLowerCase() !== `${this.scheme}://`) throw new GFileError(`'${path}' is not a ${this.scheme}:// path`, 'UNSUPPORTED');
    return normalizeKey(rest);
  }

  private async isDir(key: string): Promise<boolean> {
    if (key === '') return true;
    const e = await this.store.get(key);
    if (e) return e.data === undefined;
    const prefix = `${key}/`;
    return (await this.store.keys()).some((k) => k.startsWith(prefix));
  }

  private writable(path: string): void {
    if (this.readOnly) throw new GFileError(`'${path}' is on a read-only file system`, 'READ_ONLY');
  }

  async exists(path: string): Promise<boolean> {
    const k = this.key(path);
    return (await this.store.get(k)) !== undefined || (await this.isDir(k));
  }

  async stat(path: string): Promise<FileStat> {
    const k = this.key(path);
    const e = await this.store.get(k);
    if (e) return { path, length: e.data?.length ?? 0, isDirectory: e.data === undefined, mtimeMs: e.mtimeMs };
    if (await this.isDir(k)) return { path, length: 0, isDirectory: true, mtimeMs: 0 };
    throw new GFileError(`stat '${path}': no such file or directory`, 'NOT_FOUND');
  }

  private async fileData(path: string): Promise<Uint8Array> {
    const e = await this.store.get(this.key(path));
    if (!e) throw new GFileError(`read '${path}': no such file`, 'NOT_FOUND');
    if (!e.data) throw new GFileError(`read '${path}': is a directory`, 'IS_DIRECTORY');
    return e.data;
  }

  async readFile(path: string): Promise<Uint8Array> {
    return (await this.fileData(path)).slice();
  }

  private async parentPuts(key: string): Promise<[string, KVEntry][]> {
    const puts: [string, KVEntry][] = [];
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      const e = await this.store.get(d);
      if (e?.data) throw new GFileError(`'${d}' is a file, not a directory`, 'NOT_DIRECTORY');
      if (!e) puts.push([d, { mtimeMs: Date.now() }]);
    }
    return puts;
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.writable(path);
    const k = this.key(path);
    if (k === '') throw new GFileError(`write '${path}': is a directory`, 'IS_DIRECTORY');
    const e = await this.store.get(k);
    if (e && !e.data) throw new GFileError(`write '${path}': is a directory`, 'IS_DIRECTORY');
    await this.store.batch([...(await this.parentPuts(k)), [k, { data: data.slice(), mtimeMs: Date.now() }]], []);
  }

  async openRead(path: string): Promise<RandomAccessFile> {
    const data = await this.fileData(path);
    return {
      size: data.length,
      read: async (position: number, length: number) => data.slice(position, Math.min(data.length, position + length)),
      close: async () => {},
    };
  }

  async openWrite(path: string, options: { append?: boolean } = {}): Promise<WritableFile> {
    this.writable(path);
    const chunks: Uint8Array[] = [];
    if (options.append && (await this.exists(path))) chunks.push(await this.fileData(path));
    let closed = false;
    const commit = async (): Promise<void> => {
      let n = 0;
      for (const c of chunks) n += c.length;
      const all = new Uint8Array(n);
      let o = 0;
      for (const c of chunks) {
        all.set(c, o);
        o += c.length;
      }
      chunks.length = 0;
      chunks.push(all);
      await this.writeFile(path, all);
    };
    await commit(); // creates (or truncates) the file now, as a local open('w') would
    return {
      append: async (data) => {
        if (closed) throw new GFileError(`write '${path}': file is closed`, 'IO');
        chunks.push(data.slice());
      },
      flush: commit,
      sync: commit,
      close: async () => {
        if (closed) return;
        closed = true;
        await commit();
      },
    };
  }

  async rename(src: string, dst: string): Promise<void> {
    this.writable(src);
    const s = this.key(src);
    const d = this.key(dst);
    const e = await this.store.get(s);
    if (e?.data) {
      const de = await this.store.get(d);
      if (de && !de.data) throw new GFileError(`rename '${src}' -> '${dst}': destination is a directory`, 'IS_DIRECTORY');
      await this.store.batch([...(await this.parentPuts(d)), [d, { data: e.data, mtimeMs: e.mtimeMs }]], [s]);
      return;
    }
    if (!(await this.isDir(s)) || s === '') throw new GFileError(`rename '${src}': no such file or directory`, 'NOT_FOUND');
    const prefix = `${s}/`;
    const puts: [string, KVEntry][] = [];
    const dels: string[] = [];
    for (const k of await this.store.keys()) {
      if (k === s || k.startsWith(prefix)) {
        puts.push([d + k.slice(s.length), (await this.store.get(k))!]);
        dels.push(k);
      }
    }
    await this.store.batch([...(await this.parentPuts(d)), ...puts], dels);
  }

  async remove(path: string): Promise<void> {
    this.writable(path);
    const k = this.key(path);
    const e = await this.store.get(k);
    const prefix = `${k}/`;
    const children = (await this.store.keys()).some((x) => x.startsWith(prefix));
    if (!e && !children) throw new GFileError(`remove '${path}': no such file or directory`, 'NOT_FOUND');
    if ((!e || !e.data) && children) throw new GFileError(`remove '${path}': directory not empty`, 'NOT_EMPTY');
    await this.store.batch([], [k]);
  }

  async makeDirs(path: string): Promise<void> {
    this.writable(path);
    const k = this.key(path);
    if (k === '') return;
    const e = await this.store.get(k);
    if (e?.data) throw new GFileError(`makeDirs '${path}': a file exists there`, 'ALREADY_EXISTS');
    const puts = await this.parentPuts(k);
    if (!e) puts.push([k, { mtimeMs: Date.now() }]);
    if (puts.length) await this.store.batch(puts, []);
  }

  async listDirectory(path: string): Promise<string[]> {
    const k = this.key(path);
    const e = await this.store.get(k);
    if (e?.data) throw new GFileError(`listDirectory '${path}': not a directory`, 'NOT_DIRECTORY');
    const prefix = k === '' ? '' : `${k}/`;
    const names = new Set<string>();
    for (const key of await this.store.keys()) {
      if (key.startsWith(prefix) && key !== k) names.add(key.slice(prefix.length).split('/')[0]!);
    }
    if (!e && names.size === 0 && k !== '') throw new GFileError(`listDirectory '${path}': no such directory`, 'NOT_FOUND');
    return [...names].sort();
  }

  async syncDirectory(): Promise<void> {}
}
