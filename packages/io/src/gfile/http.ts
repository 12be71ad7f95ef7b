/** Read-only http(s):// backend over fetch (browsers, Node >= 18). Listing is not possible. */
import { GFileError, type FileStat, type FileSystem, type RandomAccessFile, type WritableFile } from './types.js';

export class HttpFileSystem implements FileSystem {
  constructor(
    readonly scheme: 'http' | 'https',
    private readonly init: RequestInit = {},
  ) {}

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    const f = (globalThis as { fetch?: typeof fetch }).fetch;
    if (!f) throw new GFileError(`${url}: fetch is not available`, 'UNSUPPORTED');
    try {
      return await f(url, { ...this.init, ...init, headers: { ...(this.init.headers as Record<string, string>), ...(init.headers as Record<string, string>) } });
    } catch (e) {
      throw new GFileError(`${url}: ${(e as Error).message}`, 'IO');
    }
  }

  private fail(url: string, r: Response, op: string): never {
    throw new GFileError(`${op} ${url}: HTTP ${r.status} ${r.statusText}`, r.status === 404 || r.status === 410 ? 'NOT_FOUND' : 'IO');
  }

  private ro(path: string): never {
    throw new GFileError(`'${path}': http(s) URLs are read-only`, 'READ_ONLY');
  }

  async exists(path: string): Promise<boolean> {
    const r = await this.fetch(path, { method: 'HEAD' });
    if (r.ok) return true;
    if (r.status === 404 || r.status === 410) return false;
    this.fail(path, r, 'HEAD');
  }

  async stat(path: string): Promise<FileStat> {
    const r = await this.fetch(path, { method: 'HEAD' });
    if (!r.ok) this.fail(path, r, 'HEAD');
    const len = r.headers.get('content-length');
    const mod = r.headers.get('last-modified');
    return { path, length: len === null ? -1 : Number(len), isDirectory: false, mtimeMs: mod ? Date.parse(mod) : 0 };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const r = await this.fetch(path, {});
    if (!r.ok) this.fail(path, r, 'GET');
    return new Uint8Array(await r.arrayBuffer());
  }

  async openRead(path: string): Promise<RandomAccessFile> {
    const st = await this.stat(path);
    if (st.length < 0) {
      const all = await this.readFile(path);
      return { size: all.length, read: async (p, n) => all.slice(p, p + n), close: async () => {} };
    }
    let whole: Uint8Array | undefined;
    return {
      size: st.length,
      read: async (position, length) => {
        const end = Math.min(st.length, position + length);
        if (end <= position) return new Uint8Array(0);
        if (whole) return whole.slice(position, end);
        const r = await this.fetch(path, { headers: { Range: `bytes=${position}-${end - 1}` } });
        if (r.status === 206) return new Uint8Array(await r.arrayBuffer());
        if (!r.ok) this.fail(path, r, 'GET');
        whole = new Uint8Array(await r.arrayBuffer()); // server ignored Range: keep the body
        return whole.slice(position, end);
      },
      close: async () => {},
    };
  }

  async writeFile(path: string): Promise<void> {
    this.ro(path);
  }
  async openWrite(path: string): Promise<WritableFile> {
    this.ro(path);
  }
  async rename(src: string): Promise<void> {
    this.ro(src);
  }
  async remove(path: string): Promise<void> {
    this.ro(path);
  }
  async makeDirs(path: string): Promise<void> {
    this.ro(path);
  }
  async listDirectory(path: string): Promise<string[]> {
    throw new GFileError(`listDirectory '${path}': HTTP has no directory listing`, 'UNSUPPORTED');
  }
  async syncDirectory(): Promise<void> {}
}
