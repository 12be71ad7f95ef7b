/** Local disk through Node's fs (loaded lazily so that browser bundles never touch it). */
import type * as FsPromises from 'node:fs/promises';
import { GFileError, type FileStat, type FileSystem, type RandomAccessFile, type WritableFile, type WriteOptions } from './types.js';

type Fsp = typeof FsPromises;
let fspPromise: Promise<Fsp> | undefined;
function fsp(): Promise<Fsp> {
  if (!fspPromise) {
    const spec = 'node:fs/promises';
    fspPromise = (import(/* @vite-ignore */ /* webpackIgnore: true */ spec) as Promise<Fsp>).catch(() => {
      throw new GFileError('local files need Node.js (node:fs); in a browser use mem://, indexeddb:// or http(s):// paths', 'UNSUPPORTED');
    });
  }
  return fspPromise;
}

function strip(path: string): string {
  return path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
}

function wrap(e: unknown, op: string, path: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  const msg = `${op} '${path}': ${(e as Error).message}`;
  if (code === 'ENOENT') return new GFileError(msg, 'NOT_FOUND');
  if (code === 'EEXIST') return new GFileError(msg, 'ALREADY_EXISTS');
  if (code === 'ENOTDIR') return new GFileError(msg, 'NOT_DIRECTORY');
  if (code === 'EISDIR') return new GFileError(msg, 'IS_DIRECTORY');
  if (code === 'ENOTEMPTY') return new GFileError(msg, 'NOT_EMPTY');
  return new GFileError(msg, 'IO');
}

async function guard<T>(op: string, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof GFileError) throw e;
    throw wrap(e, op, path);
  }
}

export function tempSuffix(): string {
  return `.tmp${Date.now().toString(36)}${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

class LocalReadFile implements RandomAccessFile {
  constructor(
    private readonly fh: FsPromises.FileHandle,
    readonly size: number,
    private readonly path: string,
  ) {}
  async read(position: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - position));
    const buf = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await guard('read', this.path, () => this.fh.read(buf, done, n - done, position + done));
      if (bytesRead === 0) return buf.subarray(0, done);
      done += bytesRead;
    }
    return buf;
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

class LocalWriteFile implements WritableFile {
  private position: number;
  private readonly inflight = new Set<Promise<void>>();
  private failed: unknown;
  constructor(
    private readonly fh: FsPromises.FileHandle,
    private readonly path: string,
    start: number,
  ) {
    this.position = start;
  }
  /**
   * Issues a positional write right away (it runs on libuv's thread pool while the caller keeps
   * computing); resolves when it reached the OS. Writes may be in flight together.
   */
  append(data: Uint8Array): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const at = this.position;
    this.position += data.length;
    const p = (async () => {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.fh.write(data, done, data.length - done, at + done);
        if (bytesWritten === 0) throw new Error('write returned 0 bytes');
        done += bytesWritten;
      }
    })().catch((e) => {
      const err = wrap(e, 'write', this.path);
      this.failed ??= err;
      throw err;
    });
    const tracked = p.finally(() => this.inflight.delete(tracked)).catch(() => {});
    this.inflight.add(tracked);
    return p;
  }
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
    if (this.failed) throw this.failed;
  }
  async sync(): Promise<void> {
    await this.flush();
    await guard('fsync', this.path, () => this.fh.sync());
  }
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}

export class LocalFileSystem implements FileSystem {
  readonly scheme = '';

  async exists(path: string): Promise<boolean> {
    const fs = await fsp();
    try {
      await fs.stat(strip(path));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw wrap(e, 'exists', path);
    }
  }

  async stat(path: string): Promise<FileStat> {
    const fs = await fsp();
    const s = await guard('stat', path, () => fs.stat(strip(path)));
    return { path, length: s.isDirectory() ? 0 : s.size, isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const fs = await fsp();
    const b = await guard('readFile', path, () => fs.readFile(strip(path)));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }

  async writeFile(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const fs = await fsp();
    const p = strip(path);
    if (options.atomic === false) {
      await guard('writeFile', path, () => fs.writeFile(p, data));
      return;
    }
    const tmp = p + tempSuffix();
    try {
      const w = await this.openWrite(tmp);
      try {
        await w.append(data);
        await w.sync();
      } finally {
        await w.close();
      }
      await guard('rename', path, () => fs.rename(tmp, p));
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw e;
    }
    await this.syncDirectory(dirOf(p));
  }

  async openRead(path: string): Promise<RandomAccessFile> {
    const fs = await fsp();
    const fh = await guard('open', path, () => fs.open(strip(path), 'r'));
    const s = await fh.stat();
    if (s.isDirectory()) {
      await fh.close();
      throw new GFileError(`open '${path}': is a directory`, 'IS_DIRECTORY');
    }
    return new LocalReadFile(fh, s.size, path);
  }

  async openWrite(path: string, options: { append?: boolean } = {}): Promise<WritableFile> {
    const fs = await fsp();
    // 'r+'/'w' rather than 'a': positional writes are ignored in O_APPEND mode on Linux.
    const p = strip(path);
    let fh: FsPromises.FileHandle;
    if (options.append) {
      fh = await guard('open', path, async () => {
        try {
          return await fs.open(p, 'r+');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fs.open(p, 'w');
          throw e;
        }
      });
    } else {
      fh = await guard('open', path, () => fs.open(p, 'w'));
    }
    const start = options.append ? (await fh.stat()).size : 0;
    return new LocalWriteFile(fh, path, start);
  }

  async rename(src: string, dst: string): Promise<void> {
    const fs = await fsp();
    await guard('rename', `${src}' -> '${dst}`, () => fs.rename(strip(src), strip(dst)));
  }

  async remove(path: string): Promise<void> {
    const fs = await fsp();
    const p = strip(path);
    const s = await guard('remove', path, () => fs.stat(p));
    if (s.isDirectory()) await guard('remove', path, () => fs.rmdir(p));
    else await guard('remove', path, () => fs.unlink(p));
  }

  async makeDirs(path: string): Promise<void> {
    const fs = await fsp();
    await guard('makeDirs', path, () => fs.mkdir(strip(path), { recursive: true }));
  }

  async listDirectory(path: string): Promise<string[]> {
    const fs = await fsp();
    return (await guard('listDirectory', path, () => fs.readdir(strip(path)))).sort();
  }

  async syncDirectory(path: string): Promise<void> {
    const fs = await fsp();
    let fh: FsPromises.FileHandle | undefined;
    try {
      fh = await fs.open(strip(path) || '.', 'r');
      await fh.sync();
    } catch {
      // Directory fsync is not possible everywhere (Windows); the rename itself is still atomic.
    } finally {
      await fh?.close().catch(() => {});
    }
  }
}

function dirOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}
