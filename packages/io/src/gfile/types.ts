/** The file-system contract each gfile backend implements (TensorFlow's FileSystem). */

export interface FileStat {
  path: string;
  /** Size in bytes (0 for directories). */
  length: number;
  isDirectory: boolean;
  /** Modification time, milliseconds since the epoch (0 when unknown). */
  mtimeMs: number;
}

/** A file opened for positional reads. */
export interface RandomAccessFile {
  readonly size: number;
  /** Reads `length` bytes at `position` into a fresh buffer; short only at end of file. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A file opened for appending. Data is durable only after `sync()`. */
export interface WritableFile {
  append(data: Uint8Array): Promise<void>;
  /** Hands buffered data to the OS/store (no durability guarantee). */
  flush(): Promise<void>;
  /** Makes the written data durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface WriteOptions {
  /** Write to a temporary name, sync, then rename over `path` (default true for writeFile). */
  atomic?: boolean;
}

export interface FileSystem {
  /** URL scheme handled ('' for local paths). */
  readonly scheme: string;
  exists(path: string): Promise<boolean>;
  stat(path: string): Promise<FileStat>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  openRead(path: string): Promise<RandomAccessFile>;
  openWrite(path: string, options?: { append?: boolean }): Promise<WritableFile>;
  /** Renames a file (replacing `dst`), atomically where the store allows. */
  rename(src: string, dst: string): Promise<void>;
  /** Deletes a file or an empty directory. */
  remove(path: string): Promise<void>;
  makeDirs(path: string): Promise<void>;
  /** Names (not paths) of the entries directly inside `path`, sorted. */
  listDirectory(path: string): Promise<string[]>;
  /** Makes a directory's entries (renames) durable; no-op where meaningless. */
  syncDirectory(path: string): Promise<void>;
}

/** A JS value for messages: numbers as written, strings quoted, else 'null', 'undefined', 'function' or a class name. */
export function describeValue(x: unknown): string {
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return typeof x;
}

export class GFileError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'ALREADY_EXISTS' | 'NOT_DIRECTORY' | 'IS_DIRECTORY' | 'NOT_EMPTY' | 'READ_ONLY' | 'UNSUPPORTED' | 'IO',
  ) {
    super(message);
    this.name = 'GFileError';
  }
}
