/**
 * TFRecord framing (formats.md §1): u64 LE length, masked CRC-32C of the 8 length bytes, payload,
 * masked CRC-32C of the payload. Framing code works on bytes only; files go through `fs.ts`.
 */
import { crc32c, maskCrc, unmaskCrc } from '@eagerflow/io';
import { checkPositive, DataLossError, describeValue, InvalidArgumentError } from './errors.js';
import {
  concatBytes,
  getCompressionCodec,
  getFileSystem,
  normalizeCompression,
  type CompressionCodec,
  type CompressionType,
  type DataFileSystem,
  type WritableFile,
} from './fs.js';

const HEADER = 12;
const FOOTER = 4;
/** Framing bytes around each payload: a record of n bytes takes n + RECORD_OVERHEAD in the file. */
export const RECORD_OVERHEAD = HEADER + FOOTER;
const MAX_SAFE_HI = 0x1fffff; // high word of Number.MAX_SAFE_INTEGER

function writeU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = (v >>> 16) & 0xff;
  buf[off + 3] = v >>> 24;
}
function readU32(buf: Uint8Array, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}

/** Writes one framed record into `out` at `offset`; returns the offset after it. */
export function frameRecordInto(payload: Uint8Array, out: Uint8Array, offset: number): number {
  const n = payload.length;
  writeU32(out, offset, n >>> 0);
  writeU32(out, offset + 4, Math.floor(n / 0x100000000));
  writeU32(out, offset + 8, maskCrc(crc32c(out, offset, offset + 8)));
  out.set(payload, offset + HEADER);
  const end = offset + HEADER + n;
  writeU32(out, end, maskCrc(crc32c(payload)));
  return end + FOOTER;
}

/** One framed record (`payload.length + 16` bytes). */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + HEADER + FOOTER);
  frameRecordInto(payload, out, 0);
  return out;
}

/** An uncompressed TFRecord file image holding `records`, in memory. */
export function encodeTFRecords(records: readonly (Uint8Array | string)[]): Uint8Array {
  if (!Array.isArray(records)) throw new InvalidArgumentError(`encodeTFRecords: records must be a list; found ${describeValue(records)}`);
  const bytes = records.map((r, i) => toBytes(r, `encodeTFRecords: records[${i}]`));
  const out = new Uint8Array(bytes.reduce((s, b) => s + b.length + HEADER + FOOTER, 0));
  let off = 0;
  for (const b of bytes) off = frameRecordInto(b, out, off);
  return out;
}

const encoder = new TextEncoder();
function toBytes(x: Uint8Array | string, what = 'record'): Uint8Array {
  if (typeof x === 'string') return encoder.encode(x);
  if (!(x instanceof Uint8Array)) throw new InvalidArgumentError(`${what} must be a Uint8Array or a string; found ${describeValue(x)}`);
  return x;
}

// ---- reading -------------------------------------------------------------------------------

export interface TFRecordReadOptions {
  compression?: CompressionType;
  /** Verify the length and data CRCs (default true, like TF). */
  verifyChecksums?: boolean;
  /**
   * Skip corrupt records instead of throwing: a bad data CRC drops that record; a bad length CRC
   * makes the reader scan forward byte by byte to the next valid header; a truncated tail is
   * dropped. Each skipped region counts once in `stats.corrupt` and is reported to `onCorrupt`.
   */
  skipCorrupt?: boolean;
  onCorrupt?: (error: DataLossError) => void;
  /** Read size for the underlying file (default 1 MiB). */
  bufferSize?: number;
  fs?: DataFileSystem;
  codec?: CompressionCodec;
}

export interface TFRecordStats {
  /** Records yielded so far. */
  records: number;
  /** Corrupt records or regions skipped (skipCorrupt). */
  corrupt: number;
  /** Bytes of (decompressed) record stream consumed. */
  bytes: number;
}

/**
 * Incremental TFRecord parser: feed chunks of the (decompressed) record stream with `push`, take the
 * complete records it found, and call `end()` at the end of the stream. Independent of any file API.
 */
export class TFRecordParser {
  readonly stats: TFRecordStats = { records: 0, corrupt: 0, bytes: 0 };
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Absolute stream offset of buf[0]. */
  private base = 0;
  /** Extra chunks waiting until a record that spans them is complete. */
  private parked: Uint8Array[] = [];
  private parkedBytes = 0;
  private need = 0;
  private inBadRegion = false;
  private readonly verify: boolean;
  private readonly skip: boolean;

  constructor(
    readonly name: string,
    private readonly options: { verifyChecksums?: boolean; skipCorrupt?: boolean; onCorrupt?: (e: DataLossError) => void; compressed?: boolean } = {},
  ) {
    this.verify = options.verifyChecksums ?? true;
    this.skip = options.skipCorrupt ?? false;
  }

  /**
   * Adds a chunk; returns the records completed by it. Records are views into the chunk (or into
   * a joined buffer for records spanning chunks): never overwritten later, but holding one keeps its
   * read buffer alive, so `.slice()` records you keep for long.
   */
  push(chunk: Uint8Array, out: Uint8Array[] = []): Uint8Array[] {
    if (chunk.length === 0) return out;
    const avail = this.buf.length - this.pos;
    if (this.need > 0 && avail + this.parkedBytes + chunk.length < this.need) {
      this.parked.push(chunk);
      this.parkedBytes += chunk.length;
      return out;
    }
    if (avail === 0 && this.parked.length === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.buf = concatBytes([rest, ...this.parked, chunk]);
      this.parked = [];
      this.parkedBytes = 0;
    }
    this.pos = 0;
    this.need = 0;
    this.scan(out, false);
    return out;
  }

  /** Ends the stream; returns the last records (skipCorrupt) or throws on a truncated tail. */
  end(out: Uint8Array[] = []): Uint8Array[] {
    if (this.parked.length) {
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.buf = concatBytes([rest, ...this.parked]);
      this.pos = 0;
      this.parked = [];
      this.parkedBytes = 0;
    }
    this.scan(out, true);
    if (this.inBadRegion) this.closeBadRegion();
    return out;
  }

  private where(offset: number): string {
    return `at offset ${offset}${this.options.compressed ? ' of the decompressed stream' : ''} in ${this.name}`;
  }

  private corrupt(message: string, offset: number): DataLossError {
    return new DataLossError(`${this.name}: ${message} (${this.where(offset)})`, this.name, offset);
  }

  private badRegionError: DataLossError | undefined;
  private openBadRegion(err: DataLossError): void {
    if (!this.inBadRegion) {
      this.inBadRegion = true;
      this.badRegionError = err;
    }
  }
  private closeBadRegion(): void {
    this.inBadRegion = false;
    this.stats.corrupt++;
    if (this.badRegionError) this.options.onCorrupt?.(this.badRegionError);
    this.badRegionError = undefined;
  }

  private scan(out: Uint8Array[], atEnd: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    let p = this.pos;
    for (;;) {
      const avail = len - p;
      if (avail === 0) break;
      const at = this.base + p;
      if (avail < HEADER) {
        if (!atEnd) {
          this.need = HEADER;
          break;
        }
        const e = this.corrupt(`truncated record header: ${avail} bytes remain, a header needs 12`, at);
        if (!this.skip) throw e;
        this.openBadRegion(e);
        p = len;
        break;
      }
      const lo = readU32(buf, p);
      const hi = readU32(buf, p + 4);
      if (this.verify) {
        const stored = readU32(buf, p + 8);
        const actual = crc32c(buf, p, p + 8);
        if (unmaskCrc(stored) !== actual) {
          const e = this.corrupt(`corrupted record: length CRC mismatch (stored masked 0x${stored.toString(16).padStart(8, '0')}, computed 0x${maskCrc(actual).toString(16).padStart(8, '0')})`, at);
          if (!this.skip) throw e;
          this.openBadRegion(e);
          p++;
          continue;
        }
      }
      if (hi > MAX_SAFE_HI) {
        const e = this.corrupt(`record length ${BigInt(hi) * 2n ** 32n + BigInt(lo)} is too large`, at);
        if (!this.skip) throw e;
        this.openBadRegion(e);
        p++;
        continue;
      }
      const n = hi * 0x100000000 + lo;
      const total = HEADER + n + FOOTER;
      if (avail < total) {
        if (!atEnd) {
          this.need = total;
          break;
        }
        const e = this.corrupt(`truncated record: length ${n} needs ${total} bytes, ${avail} remain`, at);
        if (!this.skip) throw e;
        this.openBadRegion(e);
        p++;
        continue;
      }
      const start = p + HEADER;
      const end = start + n;
      if (this.verify) {
        const stored = readU32(buf, end);
        const actual = crc32c(buf, start, end);
        if (unmaskCrc(stored) !== actual) {
          const e = this.corrupt(`corrupted record: data CRC mismatch for a ${n}-byte payload (stored masked 0x${stored.toString(16).padStart(8, '0')}, computed 0x${maskCrc(actual).toString(16).padStart(8, '0')})`, at);
          if (!this.skip) throw e;
          // The length was valid, so the next record starts after this one.
          if (this.inBadRegion) this.closeBadRegion();
          this.openBadRegion(e);
          this.closeBadRegion();
          p += total;
          continue;
        }
      }
      if (this.inBadRegion) this.closeBadRegion();
      out.push(buf.subarray(start, end)); // a view: read buffers are never reused
      this.stats.records++;
      p += total;
    }
    this.stats.bytes = this.base + p;
    this.pos = p;
  }
}

/** Parses a whole in-memory, uncompressed TFRecord image. */
export function decodeTFRecords(bytes: Uint8Array, name = '<memory>', options: { verifyChecksums?: boolean; skipCorrupt?: boolean } = {}): Uint8Array[] {
  const p = new TFRecordParser(name, options);
  const out = p.push(bytes);
  p.end(out);
  return out;
}

/**
 * Streams the decompressed bytes of a record file. `file` tells what comes from the file system
 * (its errors, and how many bytes it gave) apart from what the inflater rejects.
 */
function recordStream(path: string, options: TFRecordReadOptions, file: { bytes: number; error?: unknown }): AsyncIterable<Uint8Array> {
  const fs = options.fs ?? getFileSystem();
  const comp = normalizeCompression(options.compression);
  const raw = fs.readChunks(path, options.bufferSize ?? 1 << 20);
  if (comp === 'NONE') return raw;
  const codec = options.codec ?? getCompressionCodec();
  return codec.decompress(
    comp,
    (async function* () {
      try {
        for await (const chunk of raw) {
          file.bytes += chunk.length;
          yield chunk;
        }
      } catch (e) {
        file.error = e;
        throw e;
      }
    })(),
  );
}

/** An async iterable of the records of one file; `stats` counts records and skipped corruption. */
export interface TFRecordIterable extends AsyncIterable<Uint8Array> {
  readonly stats: TFRecordStats;
  /** Records in groups (one group per read chunk): fewer awaits for fast consumers. */
  batches(): AsyncIterable<Uint8Array[]>;
}

/**
 * Reads a TFRecord file as an async iterable of payloads, streaming (memory use is one read chunk
 * plus the largest record), with every CRC checked. Errors are DataLossErrors naming file and offset.
 */
export function readTFRecords(path: string, options: TFRecordReadOptions = {}): TFRecordIterable {
  const stats: TFRecordStats = { records: 0, corrupt: 0, bytes: 0 };
  const batches = async function* (): AsyncGenerator<Uint8Array[]> {
    const comp = normalizeCompression(options.compression);
    const compressed = comp !== 'NONE';
    const parser = new TFRecordParser(path, { ...options, compressed });
    const sync = (): void => {
      stats.records = parser.stats.records;
      stats.corrupt = parser.stats.corrupt;
      stats.bytes = parser.stats.bytes;
    };
    const file: { bytes: number; error?: unknown } = { bytes: 0 };
    let stream: AsyncIterable<Uint8Array>;
    try {
      stream = recordStream(path, options, file);
    } catch (e) {
      throw withFile(e, path);
    }
    try {
      for await (const chunk of stream) {
        const recs = parser.push(chunk);
        sync();
        if (recs.length) yield recs;
      }
    } catch (e) {
      if (e instanceof DataLossError) throw e;
      if (compressed && e !== file.error) {
        // An empty file is no records, as in TF; anything else the inflater rejects is corrupt data.
        if (file.bytes === 0) return;
        const at = parser.stats.bytes;
        throw new DataLossError(`${path}: corrupt ${comp} data: ${(e as Error)?.message ?? String(e)} (after ${at} bytes of complete records in the decompressed stream)`, path, at);
      }
      throw withFile(e, path);
    }
    const last = parser.end();
    sync();
    if (last.length) yield last;
  };
  return {
    stats,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const group of batches()) yield* group;
    },
  };
}

function withFile(e: unknown, path: string): Error {
  const err = e as Error & { code?: string };
  if (err && typeof err.message === 'string' && err.message.includes(path)) return err;
  const wrapped = new Error(`${path}: ${err?.message ?? String(e)}`);
  (wrapped as Error & { cause?: unknown }).cause = e;
  if (err?.code) (wrapped as Error & { code?: string }).code = err.code;
  return wrapped;
}

// ---- writing -------------------------------------------------------------------------------

export interface TFRecordWriterOptions {
  compression?: CompressionType;
  /** Bytes buffered before write() starts pushing them to the file (default 1 MiB). */
  bufferSize?: number;
  fs?: DataFileSystem;
  codec?: CompressionCodec;
}

/**
 * Writes TFRecord files (TF's `tf.io.TFRecordWriter`). `write` frames the record at once and buffers
 * it; the returned promise resolves when the buffer has room again, so `await writer.write(r)` in a loop
 * keeps memory bounded (not awaiting is allowed: errors then surface from the next call or `close`).
 */
export class TFRecordWriter {
  private file: Promise<WritableFile> | undefined;
  private chunks: Uint8Array[] = [];
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;
  private closed = false;
  private readonly bufferSize: number;
  readonly compression: 'NONE' | 'GZIP' | 'ZLIB';

  constructor(
    readonly path: string,
    options: TFRecordWriterOptions = {},
    sink?: WritableFile,
  ) {
    if (typeof path !== 'string') throw new InvalidArgumentError(`TFRecordWriter: path must be a string; found ${describeValue(path)}`);
    this.compression = normalizeCompression(options.compression);
    this.bufferSize = checkPositive(options.bufferSize ?? 1 << 20, 'TFRecordWriter', 'bufferSize');
    const open = async (): Promise<WritableFile> => {
      const base = sink ?? (await (options.fs ?? getFileSystem()).openWrite(path));
      return this.compression === 'NONE' ? base : (options.codec ?? getCompressionCodec()).compress(this.compression, base);
    };
    this.file = open();
    this.file.catch((e) => {
      this.error ??= e;
    });
  }

  /** A writer into any WritableFile (e.g. an io-package gfile adapter or a browser sink). */
  static toSink(sink: WritableFile, options: Omit<TFRecordWriterOptions, 'fs'> = {}, name = '<sink>'): TFRecordWriter {
    return new TFRecordWriter(name, options, sink);
  }

  private check(op: string): void {
    if (this.closed) throw new Error(`TFRecordWriter(${this.path}): ${op} after close()`);
    if (this.error) throw withFile(this.error, this.path);
  }

  write(record: Uint8Array | string): Promise<void> {
    this.check('write');
    const payload = toBytes(record, `TFRecordWriter(${this.path}).write: record`);
    const size = payload.length + HEADER + FOOTER;
    if (size > this.bufferSize) {
      // A record larger than the buffer goes out on its own.
      this.sealBlock();
      this.chunks.push(frameRecord(payload));
      return this.drain();
    }
    let pending: Promise<void> | undefined;
    if (this.block && this.blockPos + size > this.block.length) pending = this.drain();
    if (!this.block) {
      this.block = new Uint8Array(this.bufferSize);
      this.blockPos = 0;
    }
    this.blockPos = frameRecordInto(payload, this.block, this.blockPos);
    return pending ?? Promise.resolve();
  }

  /** Framed records are written straight into a block of bufferSize bytes (never reused). */
  private block: Uint8Array | undefined;
  private blockPos = 0;
  private sealBlock(): void {
    if (this.block && this.blockPos > 0) this.chunks.push(this.block.subarray(0, this.blockPos));
    this.block = undefined;
    this.blockPos = 0;
  }

  /** Hands the sealed blocks to the file, in order; resolves when they are written. */
  private drain(): Promise<void> {
    this.sealBlock();
    if (this.chunks.length === 0) return this.chain;
    const parts = this.chunks;
    this.chunks = [];
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try {
        const file = await this.file!;
        for (const p of parts) await file.write(p);
      } catch (e) {
        this.error ??= e;
      }
    });
    return this.chain;
  }

  /** Writes everything buffered to the file (compressed writers: a sync flush). */
  async flush(): Promise<void> {
    this.check('flush');
    await this.drain();
    if (this.error) throw withFile(this.error, this.path);
    await (await this.file!).flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    this.closed = true;
    try {
      await (await this.file!).close();
    } catch (e) {
      this.error ??= e;
    }
    if (this.error) throw withFile(this.error, this.path);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
