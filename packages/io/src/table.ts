/**
 * LevelDB-format SSTable (TensorFlow's `tensorflow/core/lib/io/table*`), the container of a
 * TensorBundle `.index` file. Reader supports uncompressed and Snappy blocks; the builder writes
 * TensorFlow's exact bytes (restart interval 16, 256 KiB blocks, shortened index keys, no
 * compression, empty metaindex).
 */
import { crc32cExtend, maskCrc } from './crc32c.js';
import { ProtoError, ProtoReader, ProtoWriter } from './proto.js';
import { SnappyError, snappyDecompress } from './snappy.js';

export const TABLE_MAGIC_LO = 0x8b80fb57;
export const TABLE_MAGIC_HI = 0xdb477524;
export const FOOTER_SIZE = 48;
const TRAILER_SIZE = 5;
const utf8 = new TextDecoder();

export class TableError extends Error {}

export interface BlockHandle {
  offset: number;
  size: number;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
export { compareBytes };

function readHandle(r: ProtoReader): BlockHandle {
  return { offset: r.varint(), size: r.varint() };
}

function blockCrc(stored: Uint8Array, type: number): number {
  return maskCrc(crc32cExtend(crc32cExtend(0, stored), new Uint8Array([type])));
}

/** Reads all (key, value) pairs of a table held in memory. */
export class TableReader {
  private readonly index: { key: Uint8Array; handle: BlockHandle }[] = [];

  constructor(
    private readonly file: Uint8Array,
    private readonly name: string,
    private readonly verifyChecksums = true,
  ) {
    if (file.length < FOOTER_SIZE) throw this.err(`file is ${file.length} bytes, shorter than the ${FOOTER_SIZE}-byte table footer (truncated?)`);
    const f = file.subarray(file.length - FOOTER_SIZE);
    const dv = new DataView(f.buffer, f.byteOffset, FOOTER_SIZE);
    const lo = dv.getUint32(40, true);
    const hi = dv.getUint32(44, true);
    if (lo !== TABLE_MAGIC_LO || hi !== TABLE_MAGIC_HI) {
      throw this.err(`bad table magic ${hex(hi)}${hex(lo).slice(2)} (expected 0xdb4775248b80fb57): not a TensorFlow checkpoint index, or truncated`);
    }
    let indexHandle: BlockHandle;
    try {
      const r = new ProtoReader(f, 0, 40);
      readHandle(r); // metaindex: unused (TF writes no filter/meta blocks)
      indexHandle = readHandle(r);
    } catch (e) {
      throw this.err(`corrupt footer: ${(e as Error).message}`);
    }
    const what = `index block at offset ${indexHandle.offset}`;
    let prev: Uint8Array | undefined;
    for (const [key, value] of this.entries(this.readBlock(indexHandle, what), what)) {
      this.checkOrder(prev, key, what);
      prev = key;
      try {
        this.index.push({ key, handle: readHandle(new ProtoReader(value)) });
      } catch (e) {
        throw this.err(`corrupt block handle in ${what}: ${(e as Error).message}`);
      }
    }
  }

  private err(msg: string): TableError {
    return new TableError(`${this.name}: ${msg}`);
  }

  /** Keys must be strictly increasing: an unsorted table breaks lookups, and a repeated key would shadow an entry. */
  private checkOrder(prev: Uint8Array | undefined, key: Uint8Array, what: string): void {
    if (prev && compareBytes(key, prev) <= 0) {
      throw this.err(`corrupt ${what}: key '${utf8.decode(key)}' follows '${utf8.decode(prev)}' (keys must be strictly increasing)`);
    }
  }

  private readBlock(h: BlockHandle, what: string): Uint8Array {
    const end = h.offset + h.size + TRAILER_SIZE;
    if (end > this.file.length - FOOTER_SIZE) {
      throw this.err(`${what} (size ${h.size}) runs past the end of the file (${this.file.length} bytes; truncated?)`);
    }
    const stored = this.file.subarray(h.offset, h.offset + h.size);
    const type = this.file[h.offset + h.size]!;
    if (this.verifyChecksums) {
      const dv = new DataView(this.file.buffer, this.file.byteOffset + h.offset + h.size + 1, 4);
      const expected = dv.getUint32(0, true);
      const actual = blockCrc(stored, type);
      if (expected !== actual) {
        throw this.err(`checksum mismatch in ${what}: stored masked crc32c ${hex(expected)}, computed ${hex(actual)} (file corrupt)`);
      }
    }
    if (type === 0) return stored;
    if (type === 1) {
      try {
        return snappyDecompress(stored);
      } catch (e) {
        if (e instanceof SnappyError) throw this.err(`corrupt Snappy data in ${what}: ${e.message}`);
        throw e;
      }
    }
    throw this.err(`${what} has unknown compression type ${type} (expected 0: none or 1: Snappy)`);
  }

  private *entries(block: Uint8Array, what: string): Generator<[Uint8Array, Uint8Array]> {
    try {
      if (block.length < 4) throw new ProtoError('block shorter than 4 bytes');
      const dv = new DataView(block.buffer, block.byteOffset, block.length);
      const numRestarts = dv.getUint32(block.length - 4, true);
      const limit = block.length - 4 - 4 * numRestarts;
      if (limit < 0) throw new ProtoError(`${numRestarts} restart points do not fit in a ${block.length}-byte block`);
      const r = new ProtoReader(block, 0, limit);
      let key: Uint8Array = new Uint8Array(0);
      while (!r.done) {
        const shared = r.varint();
        const nonShared = r.varint();
        const valueLen = r.varint();
        if (shared > key.length) throw new ProtoError(`entry shares ${shared} bytes with a ${key.length}-byte previous key`);
        const delta = r.bytes(nonShared);
        const next = new Uint8Array(shared + nonShared);
        next.set(key.subarray(0, shared));
        next.set(delta, shared);
        key = next;
        yield [key, r.bytes(valueLen)];
      }
    } catch (e) {
      if (e instanceof ProtoError) throw this.err(`corrupt ${what}: ${e.message}`);
      throw e;
    }
  }

  /** All pairs in key order. */
  *[Symbol.iterator](): Generator<[Uint8Array, Uint8Array]> {
    let prev: Uint8Array | undefined;
    for (const { handle } of this.index) {
      const what = `data block at offset ${handle.offset}`;
      for (const pair of this.entries(this.readBlock(handle, what), what)) {
        this.checkOrder(prev, pair[0], what);
        prev = pair[0];
        yield pair;
      }
    }
  }
}

/** Options of TensorFlow's table builder. */
export interface TableBuilderOptions {
  blockSize?: number;
  restartInterval?: number;
}

class BlockBuilder {
  readonly buf = new ProtoWriter(1024);
  private restarts: number[] = [0];
  private counter = 0;
  private lastKey: Uint8Array = new Uint8Array(0);
  constructor(private readonly interval: number) {}
  get empty(): boolean {
    return this.buf.pos === 0;
  }
  sizeEstimate(): number {
    return this.buf.pos + this.restarts.length * 4 + 4;
  }
  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.interval) {
      const n = Math.min(this.lastKey.length, key.length);
      while (shared < n && this.lastKey[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.buf.pos);
      this.counter = 0;
    }
    this.buf.varint(shared).varint(key.length - shared).varint(value.length);
    this.buf.raw(key.subarray(shared)).raw(value);
    this.lastKey = key;
    this.counter++;
  }
  finish(): Uint8Array {
    for (const r of this.restarts) this.buf.fixed32(r);
    this.buf.fixed32(this.restarts.length);
    return this.buf.finish();
  }
  reset(): void {
    this.buf.reset();
    this.restarts = [0];
    this.counter = 0;
    this.lastKey = new Uint8Array(0);
  }
}

/** leveldb BytewiseComparator::FindShortestSeparator. */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let i = 0;
  while (i < n && start[i] === limit[i]) i++;
  if (i >= n) return start;
  const d = start[i]!;
  if (d < 0xff && d + 1 < limit[i]!) {
    const out = start.slice(0, i + 1);
    out[i] = d + 1;
    return out;
  }
  return start;
}

/** leveldb BytewiseComparator::FindShortSuccessor. */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i] = key[i]! + 1;
      return out;
    }
  }
  return key;
}

/** Builds a table in memory; keys must be added in strictly increasing bytewise order. */
export class TableBuilder {
  private readonly out = new ProtoWriter(4096);
  private readonly data: BlockBuilder;
  private readonly indexBlock = new BlockBuilder(1);
  private readonly blockSize: number;
  private lastKey: Uint8Array | null = null;
  private pendingHandle: BlockHandle | null = null;

  constructor(options: TableBuilderOptions = {}) {
    this.blockSize = options.blockSize ?? 262144;
    this.data = new BlockBuilder(options.restartInterval ?? 16);
  }

  add(key: Uint8Array, value: Uint8Array): void {
    if (this.lastKey && compareBytes(key, this.lastKey) <= 0) {
      throw new TableError(`table keys must be strictly increasing: '${utf8.decode(key)}' after '${utf8.decode(this.lastKey)}'`);
    }
    if (this.pendingHandle) {
      this.indexBlock.add(shortestSeparator(this.lastKey!, key), encodeHandle(this.pendingHandle));
      this.pendingHandle = null;
    }
    this.lastKey = key;
    this.data.add(key, value);
    if (this.data.sizeEstimate() >= this.blockSize) this.flush();
  }

  private flush(): void {
    if (this.data.empty) return;
    this.pendingHandle = this.writeBlock(this.data.finish());
    this.data.reset();
  }

  private writeBlock(contents: Uint8Array): BlockHandle {
    const handle = { offset: this.out.pos, size: contents.length };
    this.out.raw(contents).byte(0).fixed32(blockCrc(contents, 0));
    return handle;
  }

  finish(): Uint8Array {
    this.flush();
    const meta = new BlockBuilder(16);
    const metaHandle = this.writeBlock(meta.finish());
    if (this.pendingHandle) {
      this.indexBlock.add(shortSuccessor(this.lastKey!), encodeHandle(this.pendingHandle));
      this.pendingHandle = null;
    }
    const indexHandle = this.writeBlock(this.indexBlock.finish());
    const footer = new ProtoWriter(FOOTER_SIZE);
    footer.raw(encodeHandle(metaHandle)).raw(encodeHandle(indexHandle));
    while (footer.pos < 40) footer.byte(0);
    footer.fixed32(TABLE_MAGIC_LO).fixed32(TABLE_MAGIC_HI);
    this.out.raw(footer.view());
    return this.out.finish();
  }
}

function encodeHandle(h: BlockHandle): Uint8Array {
  return new ProtoWriter(20).varint(h.offset).varint(h.size).finish();
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
