/**
 * TensorFlow TensorBundle (checkpoint "V2"): `PREFIX.index` (an SSTable of BundleEntryProto) and
 * `PREFIX.data-SSSSS-of-NNNNN` (raw tensor bytes). Byte-compatible with tensor_bundle.cc.
 */
import { crc32cOffThread } from './crc_pool.js';
import { crc32cExtend, maskCrc, unmaskCrc } from './crc32c.js';
import {
  TF_DTYPE,
  bytesPerElement,
  dtypeFromTF,
  numElements,
  rawBytes,
  rawFromBytes,
  swapBytes,
  tfDtypeName,
  toRaw,
  type RawTensor,
  type RawValues,
  type StorageDType,
  type TensorInput,
} from './dtypes.js';
import * as gfile from './gfile/index.js';
import { describeValue } from './gfile/types.js';
import { ProtoError, ProtoReader, ProtoWriter, expectWire, readMessage } from './proto.js';
import { TableBuilder, TableReader, compareBytes, hex } from './table.js';

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export function dataFileName(prefix: string, shard: number, numShards: number): string {
  return `${prefix}.data-${String(shard).padStart(5, '0')}-of-${String(numShards).padStart(5, '0')}`;
}
export const indexFileName = (prefix: string): string => `${prefix}.index`;

export interface BundleHeader {
  numShards: number;
  endianness: 'little' | 'big';
  producer: number;
  minConsumer: number;
  badConsumers: number[];
}

export interface BundleEntry {
  name: string;
  /** TensorFlow DataType number */
  tfDtype: number;
  dtype: StorageDType | undefined;
  shape: number[];
  shardId: number;
  offset: number;
  size: number;
  /** masked CRC-32C as stored */
  crc32c: number;
  /** number of TensorSliceProto (partitioned variables) */
  numSlices: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8enc = new TextEncoder();

function parseShape(buf: Uint8Array): number[] {
  const dims: number[] = [];
  readMessage(buf, (f, w, r) => {
    if (f === 2) {
      expectWire(f, w, 2, 'TensorShapeProto.dim');
      let size = 0;
      readMessage(r.lenBytes(), (f2, w2, r2) => {
        if (f2 !== 1) return false;
        expectWire(f2, w2, 0, 'Dim.size');
        size = r2.int64();
        return true;
      });
      dims.push(size);
      return true;
    }
    if (f === 3) {
      expectWire(f, w, 0, 'unknown_rank');
      if (r.varint() !== 0) throw new ProtoError('shape has unknown rank');
      return true;
    }
    return false;
  });
  return dims;
}

export function parseHeader(buf: Uint8Array): BundleHeader {
  const h: BundleHeader = { numShards: 0, endianness: 'little', producer: 0, minConsumer: 0, badConsumers: [] };
  readMessage(buf, (f, w, r) => {
    if (f === 1) {
      expectWire(f, w, 0, 'num_shards');
      h.numShards = r.int64();
    } else if (f === 2) {
      expectWire(f, w, 0, 'endianness');
      h.endianness = r.varint() === 1 ? 'big' : 'little';
    } else if (f === 3) {
      expectWire(f, w, 2, 'version');
      readMessage(r.lenBytes(), (f2, w2, r2) => {
        if (f2 === 1 && w2 === 0) h.producer = r2.int64();
        else if (f2 === 2 && w2 === 0) h.minConsumer = r2.int64();
        else if (f2 === 3 && w2 === 0) h.badConsumers.push(r2.int64());
        else if (f2 === 3 && w2 === 2) {
          const sub = new ProtoReader(r2.lenBytes());
          while (!sub.done) h.badConsumers.push(sub.int64());
        } else return false;
        return true;
      });
    } else return false;
    return true;
  });
  return h;
}

export function parseEntry(name: string, buf: Uint8Array): BundleEntry {
  const e: BundleEntry = { name, tfDtype: 0, dtype: undefined, shape: [], shardId: 0, offset: 0, size: 0, crc32c: 0, numSlices: 0 };
  readMessage(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expectWire(f, w, 0, 'dtype');
        e.tfDtype = r.int64();
        return true;
      case 2:
        expectWire(f, w, 2, 'shape');
        e.shape = parseShape(r.lenBytes());
        return true;
      case 3:
        expectWire(f, w, 0, 'shard_id');
        e.shardId = r.int64();
        return true;
      case 4:
        expectWire(f, w, 0, 'offset');
        e.offset = r.int64();
        return true;
      case 5:
        expectWire(f, w, 0, 'size');
        e.size = r.int64();
        return true;
      case 6:
        expectWire(f, w, 5, 'crc32c');
        e.crc32c = r.fixed32();
        return true;
      case 7:
        expectWire(f, w, 2, 'slices');
        r.lenBytes();
        e.numSlices++;
        return true;
      default:
        return false;
    }
  });
  e.dtype = dtypeFromTF(e.tfDtype);
  return e;
}

/** Serialises a BundleEntryProto exactly as TensorFlow (proto3, fields in order, defaults omitted). */
export function encodeEntry(e: { tfDtype: number; shape: readonly number[]; shardId: number; offset: number; size: number; crc32c: number }): Uint8Array {
  const w = new ProtoWriter(64);
  if (e.tfDtype) w.tag(1, 0).varint(e.tfDtype);
  const shape = new ProtoWriter(16);
  for (const d of e.shape) {
    const dim = d === 0 ? new Uint8Array(0) : new ProtoWriter(12).tag(1, 0).varint(d).finish();
    shape.lenField(2, dim);
  }
  w.lenField(2, shape.finish());
  if (e.shardId) w.tag(3, 0).varint(e.shardId);
  if (e.offset) w.tag(4, 0).varint(e.offset);
  if (e.size) w.tag(5, 0).varint(e.size);
  if (e.crc32c) w.tag(6, 5).fixed32(e.crc32c);
  return w.finish();
}

/** The header TensorFlow writes: num_shards, (endianness LITTLE omitted), version{producer: 1}. */
export function encodeHeader(numShards: number): Uint8Array {
  const w = new ProtoWriter(16);
  w.tag(1, 0).varint(numShards);
  w.lenField(3, new ProtoWriter(4).tag(1, 0).varint(1).finish());
  return w.finish();
}

// ---- string tensors ------------------------------------------------------------------------

function u32le(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
}

function lengthBytesForCrc(len: number): Uint8Array {
  if (len <= 0xffffffff) return u32le(len);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(len), true);
  return b;
}

/** Encodes a DT_STRING tensor's data-file bytes and its entry CRC (formats.md §3.6). */
export function encodeStrings(elems: Uint8Array[]): { bytes: Uint8Array; crc: number } {
  const w = new ProtoWriter(64);
  let clen = 0;
  for (const e of elems) {
    w.varint(e.length);
    clen = crc32cExtend(clen, lengthBytesForCrc(e.length));
  }
  const stored = u32le(maskCrc(clen));
  w.raw(stored);
  let total = crc32cExtend(clen, stored);
  for (const e of elems) {
    w.raw(e);
    total = crc32cExtend(total, e);
  }
  return { bytes: w.finish(), crc: maskCrc(total) };
}

function decodeStrings(bytes: Uint8Array, n: number, fail: (msg: string) => never): { values: Uint8Array[]; crc: number } {
  const r = new ProtoReader(bytes);
  const lens: number[] = [];
  let clen = 0;
  try {
    for (let i = 0; i < n; i++) {
      const l = r.varint();
      lens.push(l);
      clen = crc32cExtend(clen, lengthBytesForCrc(l));
    }
    const storedBytes = r.bytes(4);
    const stored = (storedBytes[0]! | (storedBytes[1]! << 8) | (storedBytes[2]! << 16) | (storedBytes[3]! << 24)) >>> 0;
    if (unmaskCrc(stored) !== clen) fail(`string length checksum mismatch (stored ${hex(unmaskCrc(stored))}, computed ${hex(clen)})`);
    let total = crc32cExtend(clen, storedBytes);
    const values: Uint8Array[] = [];
    for (const l of lens) {
      const e = r.bytes(l).slice();
      total = crc32cExtend(total, e);
      values.push(e);
    }
    if (!r.done) fail(`${r.end - r.pos} unexpected bytes after the string elements`);
    return { values, crc: maskCrc(total) };
  } catch (e) {
    if (e instanceof ProtoError) fail(`corrupt string tensor: ${e.message}`);
    throw e;
  }
}

// ---- reader --------------------------------------------------------------------------------

export interface BundleReaderOptions {
  /** Verify block and tensor CRC-32Cs (default true). */
  verifyChecksums?: boolean;
}

/** Reads a TensorBundle. Open with `await BundleReader.open(prefix)`; `close()` when done. */
export class BundleReader {
  private readonly shards = new Map<number, Promise<gfile.RandomAccessFile>>();

  private constructor(
    readonly prefix: string,
    readonly header: BundleHeader,
    readonly entries: Map<string, BundleEntry>,
    private readonly verify: boolean,
  ) {}

  static async open(prefix: string, options: BundleReaderOptions = {}): Promise<BundleReader> {
    const indexPath = indexFileName(prefix);
    let bytes: Uint8Array;
    try {
      bytes = await gfile.readFile(indexPath);
    } catch (e) {
      if (e instanceof gfile.GFileError && e.code === 'NOT_FOUND') {
        throw new CheckpointError(`checkpoint '${prefix}' not found: ${indexPath} does not exist${await checkpointsBeside(prefix)}`);
      }
      throw e;
    }
    return BundleReader.fromIndexBytes(prefix, bytes, options);
  }

  static fromIndexBytes(prefix: string, bytes: Uint8Array, options: BundleReaderOptions = {}): BundleReader {
    const indexPath = indexFileName(prefix);
    const verify = options.verifyChecksums ?? true;
    let header: BundleHeader | undefined;
    const entries = new Map<string, BundleEntry>();
    try {
      for (const [k, v] of new TableReader(bytes, indexPath, verify)) {
        if (k.length === 0) {
          header = parseHeader(v);
          continue;
        }
        const name = utf8.decode(k);
        try {
          entries.set(name, parseEntry(name, v));
        } catch (e) {
          if (e instanceof ProtoError) throw new CheckpointError(`${indexPath}: tensor '${name}': corrupt BundleEntryProto: ${e.message}`);
          throw e;
        }
      }
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      if (e instanceof ProtoError) throw new CheckpointError(`${indexPath}: corrupt header: ${e.message}`);
      throw new CheckpointError((e as Error).message);
    }
    if (!header) throw new CheckpointError(`${indexPath}: no header entry (empty key): not a TensorBundle index`);
    if (header.minConsumer > 1 || header.badConsumers.includes(1)) {
      throw new CheckpointError(`${indexPath}: bundle version (producer ${header.producer}, min_consumer ${header.minConsumer}) is too new for this reader (version 1)`);
    }
    if (header.numShards < 1) throw new CheckpointError(`${indexPath}: header has num_shards ${header.numShards}`);
    return new BundleReader(prefix, header, entries, verify);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  entry(name: string): BundleEntry {
    if (typeof name !== 'string') throw new CheckpointError(`checkpoint '${this.prefix}': the tensor name must be a string; found ${describeValue(name)}`);
    const e = this.entries.get(name);
    if (!e) {
      throw new CheckpointError(`tensor '${name}' not found in checkpoint '${this.prefix}' (${this.entries.size} tensors${nearby(name, [...this.entries.keys()])})`);
    }
    return e;
  }

  private shard(id: number): Promise<gfile.RandomAccessFile> {
    let f = this.shards.get(id);
    if (!f) {
      const path = dataFileName(this.prefix, id, this.header.numShards);
      f = gfile.openRead(path).catch((e) => {
        this.shards.delete(id);
        if (e instanceof gfile.GFileError && e.code === 'NOT_FOUND') throw new CheckpointError(`checkpoint '${this.prefix}': data file ${path} is missing`);
        throw e;
      });
      this.shards.set(id, f);
    }
    return f;
  }

  /** Reads a tensor's exact stored values (checks size and CRC-32C). */
  async readRaw(name: string): Promise<RawTensor> {
    const e = this.entry(name);
    const dataPath = dataFileName(this.prefix, e.shardId, this.header.numShards);
    const fail = (msg: string): never => {
      throw new CheckpointError(`${dataPath}: tensor '${name}': ${msg}`);
    };
    if (e.numSlices > 0) fail(`is a partitioned variable (${e.numSlices} slices); reading slices is not supported`);
    if (!e.dtype) fail(`dtype ${tfDtypeName(e.tfDtype)} is not supported`);
    const dtype = e.dtype!;
    if (e.shape.some((d) => d < 0)) fail(`has an invalid shape [${e.shape.join(', ')}]`);
    if (e.shardId < 0 || e.shardId >= this.header.numShards) fail(`shard_id ${e.shardId} is outside the ${this.header.numShards} data files`);
    if (e.offset < 0 || e.size < 0) fail(`index has a negative offset ${e.offset} or size ${e.size} (index corrupt)`);
    const n = numElements(e.shape);
    if (dtype !== 'string' && e.size !== n * bytesPerElement(dtype)) {
      fail(`index says ${e.size} bytes, but ${dtype} shape [${e.shape.join(', ')}] needs ${n * bytesPerElement(dtype)} (index corrupt)`);
    }
    const file = await this.shard(e.shardId);
    if (e.offset + e.size > file.size) fail(`bytes [${e.offset}, ${e.offset + e.size}) run past the end of the data file (${file.size} bytes; truncated?)`);
    const bytes = await file.read(e.offset, e.size);
    if (bytes.length !== e.size) fail(`short read: got ${bytes.length} of ${e.size} bytes (truncated?)`);
    if (dtype === 'string') {
      const { values, crc } = decodeStrings(bytes, n, fail);
      if (this.verify && crc !== e.crc32c) fail(`crc32c mismatch: index has ${hex(e.crc32c)}, data gives ${hex(crc)} (data file corrupt)`);
      return { dtype, shape: e.shape, values };
    }
    let data = bytes;
    if (this.verify) {
      const r = await crc32cOffThread(bytes, true); // large tensors: checksummed on a worker thread
      data = r.bytes;
      const crc = maskCrc(r.crc);
      if (crc !== e.crc32c) fail(`crc32c mismatch: index has ${hex(e.crc32c)}, data gives ${hex(crc)} (data file corrupt)`);
    }
    if (this.header.endianness === 'big') swapBytes(data, bytesPerElement(dtype));
    return { dtype, shape: e.shape, values: rawFromBytes(dtype, data) };
  }

  async close(): Promise<void> {
    const files = [...this.shards.values()];
    this.shards.clear();
    for (const f of files) await f.then((x) => x.close()).catch(() => {});
  }
}

/** What a missing checkpoint's directory holds, for the not-found message (TF lists nothing; this helps). */
async function checkpointsBeside(prefix: string): Promise<string> {
  const dir = gfile.dirname(prefix);
  try {
    if (!(await gfile.isDirectory(dir))) return `; directory '${dir}' does not exist`;
    const found = (await gfile.listDirectory(dir)).filter((f) => f.endsWith('.index')).map((f) => f.slice(0, -'.index'.length));
    if (!found.length) return `; '${dir}' holds no checkpoint`;
    return `; checkpoints in '${dir}': ${found.slice(0, 8).join(', ')}${found.length > 8 ? `, … (${found.length})` : ''}`;
  } catch {
    return '';
  }
}

function nearby(name: string, names: string[]): string {
  const base = name.split('/').pop()!;
  const similar = names.filter((n) => n.split('/').pop() === base).slice(0, 3);
  return similar.length ? `; similar: ${similar.join(', ')}` : '';
}

// ---- writer --------------------------------------------------------------------------------

export interface BundleWriterOptions {
  /** Bytes of pending writes after which `add` waits for the disk (default 64 MiB). */
  maxPendingBytes?: number;
}

let tempCounter = 0;
function tempSuffix(): string {
  return `.tempstate${Date.now()}${(tempCounter++).toString()}${Math.floor(Math.random() * 1e9)}`;
}

/**
 * Writes a single-shard TensorBundle. Data is appended in `add` order; the index is sorted.
 * Both files are written under temporary names, fsynced, then renamed (data first, index
 * last), so a crash never leaves a complete-looking but partial checkpoint.
 */
export class BundleWriter {
  private readonly entries = new Map<string, { tfDtype: number; shape: number[]; offset: number; size: number; crc32c: number }>();
  private offset = 0;
  private file: gfile.WritableFile | undefined;
  private readonly dataTmp: string;
  private readonly indexTmp: string;
  private pending: Promise<void>[] = [];
  private pendingBytes = 0;
  private state: 'open' | 'finished' | 'aborted' = 'open';
  private readonly maxPending: number;

  constructor(
    readonly prefix: string,
    options: BundleWriterOptions = {},
  ) {
    const s = tempSuffix();
    this.dataTmp = dataFileName(prefix, 0, 1) + s;
    this.indexTmp = indexFileName(prefix) + s;
    this.maxPending = options.maxPendingBytes ?? 64 << 20;
  }

  private async out(): Promise<gfile.WritableFile> {
    if (this.state !== 'open') throw new CheckpointError(`BundleWriter('${this.prefix}') is ${this.state}`);
    if (!this.file) this.file = await gfile.openWrite(this.dataTmp);
    return this.file;
  }

  /** Adds one tensor (core tensor, or raw typed values for float64/uint8/... or Long[] int64). */
  async add(name: string, value: TensorInput): Promise<void> {
    if (name === '') throw new CheckpointError('tensor name must not be empty (the empty key holds the bundle header)');
    if (this.entries.has(name)) throw new CheckpointError(`tensor '${name}' was added twice to checkpoint '${this.prefix}'`);
    let raw: RawTensor;
    try {
      raw = await toRaw(name, value);
    } catch (e) {
      throw new CheckpointError(`BundleWriter('${this.prefix}').add: ${(e as Error).message}`);
    }
    await this.addRaw(name, raw);
  }

  async addRaw(name: string, raw: RawTensor): Promise<void> {
    const out = await this.out();
    let bytes: Uint8Array;
    let crc = 0;
    if (raw.dtype === 'string') {
      ({ bytes, crc } = encodeStrings(raw.values as Uint8Array[]));
    } else {
      bytes = rawBytes(raw.values as Exclude<RawValues, Uint8Array[]>);
    }
    const entry = { tfDtype: TF_DTYPE[raw.dtype], shape: [...raw.shape], offset: this.offset, size: bytes.length, crc32c: crc };
    this.entries.set(name, entry);
    this.offset += bytes.length;
    if (raw.dtype !== 'string') {
      // The write is issued first (it proceeds on the I/O thread pool); the checksum of a large
      // tensor runs on a worker thread meanwhile, a small one right here.
      if (bytes.length > 0) this.track(out.append(bytes));
      this.track(crc32cOffThread(bytes).then((r) => void (entry.crc32c = maskCrc(r.crc))));
    } else if (bytes.length > 0) {
      this.track(out.append(bytes));
    }
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= this.maxPending) await this.drain();
  }

  /**
   * Queues a write or checksum for `drain`. It is marked handled now: a write failing before
   * `drain` awaits it (while the caller awaits something else) would otherwise be an unhandled
   * rejection, which ends a Node process; `drain` still throws its error.
   */
  private track(p: Promise<void>): void {
    p.catch(() => {});
    this.pending.push(p);
  }

  private async drain(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await Promise.all(p);
  }

  /** Writes the index and makes both files durable under their final names. */
  async finish(): Promise<void> {
    try {
      const out = await this.out();
      await this.drain();
      await out.sync();
      await out.close();
      this.file = undefined;
      const table = new TableBuilder();
      table.add(new Uint8Array(0), encodeHeader(1));
      const names = [...this.entries.keys()].map((n) => [utf8enc.encode(n), n] as const);
      names.sort((a, b) => compareBytes(a[0], b[0]));
      for (const [key, n] of names) table.add(key, encodeEntry({ ...this.entries.get(n)!, shardId: 0 }));
      const idx = await gfile.openWrite(this.indexTmp);
      try {
        await idx.append(table.finish());
        await idx.sync();
      } finally {
        await idx.close();
      }
      await gfile.rename(this.dataTmp, dataFileName(this.prefix, 0, 1));
      await gfile.rename(this.indexTmp, indexFileName(this.prefix));
      await gfile.syncDirectory(gfile.dirname(this.prefix));
      this.state = 'finished';
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /** Removes the temporary files (after an error). */
  async abort(): Promise<void> {
    if (this.state === 'finished') return;
    this.state = 'aborted';
    await Promise.allSettled(this.pending);
    if (this.file) await this.file.close().catch(() => {});
    this.file = undefined;
    for (const p of [this.dataTmp, this.indexTmp]) await gfile.remove(p).catch(() => {});
  }
}

/** Writes `tensors` as the checkpoint `prefix` (insertion order = data order). */
export async function saveTensors(prefix: string, tensors: Record<string, TensorInput> | Map<string, TensorInput>): Promise<void> {
  if (typeof tensors !== 'object' || tensors === null) throw new CheckpointError(`saveTensors('${prefix}'): tensors must be an object or Map of name → tensor; found ${describeValue(tensors)}`);
  const w = new BundleWriter(prefix);
  try {
    for (const [k, v] of tensors instanceof Map ? tensors : Object.entries(tensors)) await w.add(k, v);
    await w.finish();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
