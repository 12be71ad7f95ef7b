/**
 * The project's one protobuf wire-format reader/writer (formats.md §0.2): varints as two 32-bit
 * halves (exact for all 64-bit values), LEN fields, I32/I64, unknown-field skipping. Used by
 * checkpoints (bundle, table) here and by @eagerflow/data's Example parsing (hot path: keep
 * `uint32`/`varint64`/`lenStart`/`skip` as they are).
 */
import Long from 'long';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

/** Reads fields from `buf[pos, end)`. */
export class ProtoReader {
  /** Low/high 32 bits of the last varint read by `varint64`. */
  lo = 0;
  hi = 0;
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    public end = buf.length,
    readonly what = 'message',
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(msg: string): never {
    throw new ProtoError(`malformed ${this.what}: ${msg} at byte ${this.pos}`);
  }

  /** A varint that must fit in 32 bits unsigned (tags, lengths). */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    let x = b[p++]!;
    if (x < 0x80 && p <= this.end) {
      this.pos = p;
      return x;
    }
    this.varint64();
    if (this.hi !== 0) this.fail('varint does not fit in 32 bits');
    return this.lo >>> 0;
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi`. */
  varint64(): void {
    const b = this.buf;
    const end = this.end;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let byte: number;
    // bytes 0..3: bits 0..27
    for (; shift < 28; shift += 7) {
      if (p >= end) this.fail('truncated varint');
      byte = b[p++]!;
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    // byte 4: bits 28..34
    if (p >= end) this.fail('truncated varint');
    byte = b[p++]!;
    lo |= (byte & 0x0f) << 28;
    hi = (byte & 0x70) >>> 4;
    if (byte >= 0x80) {
      for (shift = 3; ; shift += 7) {
        if (shift > 31) this.fail('varint longer than 10 bytes');
        if (p >= end) this.fail('truncated varint');
        byte = b[p++]!;
        if (shift < 32) hi |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
    }
    this.pos = p;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  int64Long(): Long {
    this.varint64();
    return Long.fromBits(this.lo | 0, this.hi | 0, false);
  }

  /** Tag as [fieldNumber, wireType]; the tag value itself. */
  tag(): number {
    return this.uint32();
  }

  /** Length of a LEN field; checks it fits in the message. Returns the start offset. */
  lenStart(): number {
    const n = this.uint32();
    const start = this.pos;
    if (n > this.end - start) this.fail(`length ${n} runs past the end (${this.end - start} bytes left)`);
    this.pos = start + n;
    return start;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated fixed32');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** An unsigned varint as a JS number; fails above 2^53 - 1. */
  varint(): number {
    this.varint64();
    if (this.hi >= 0x200000) this.fail('varint exceeds 2^53');
    return this.hi * 4294967296 + this.lo;
  }

  /** An int32/int64 field as a JS number (two's complement); fails outside the safe-integer range. */
  int64(): number {
    this.varint64();
    const hi = this.hi | 0;
    const v = hi * 4294967296 + this.lo;
    if (hi < -0x200000 || hi >= 0x200000 || !Number.isSafeInteger(v)) this.fail(`integer ${Long.fromBits(this.lo | 0, hi, false).toString()} out of range`);
    return v;
  }

  /** The next `n` raw bytes (a view). */
  bytes(n: number): Uint8Array {
    const start = this.pos;
    if (n < 0 || n > this.end - start) this.fail(`length ${n} runs past the end (${this.end - start} bytes left)`);
    this.pos = start + n;
    return this.buf.subarray(start, start + n);
  }

  /** The payload of a LEN field (a view). */
  lenBytes(): Uint8Array {
    const start = this.lenStart();
    return this.buf.subarray(start, this.pos);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.lenStart();
        return;
      case WIRE_I32:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wire}`);
    }
  }
}

/** Growable byte writer. */
export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
  }
  byte(b: number): this {
    this.ensure(1);
    this.buf[this.pos++] = b;
    return this;
  }
  /** Raw bytes, no length prefix (see `bytes`). */
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** Little-endian fixed 32-bit value. */
  fixed32(v: number): this {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = (v >>> 24) & 0xff;
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(5);
    v >>>= 0;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }
  /** Varint of an integer: numbers up to 2^53, bigints up to 2^64 (negatives as 64-bit two's complement). */
  varint(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v <= 0xffffffff) return this.uint32(v);
    const x = BigInt.asUintN(64, BigInt(v));
    return this.varint64(Number(x & 0xffffffffn), Number(x >> 32n));
  }
  /** Varint from two's-complement halves (negatives take 10 bytes). */
  varint64(lo: number, hi: number): this {
    this.ensure(10);
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
    return this;
  }
  tag(field: number, wire: number): this {
    return this.uint32((field << 3) | wire);
  }
  /** Length-prefixed bytes (the body of a LEN field; see `raw` for bare bytes). */
  bytes(b: Uint8Array): this {
    return this.uint32(b.length).raw(b);
  }
  /** A whole LEN field holding `payload`. */
  lenField(field: number, payload: Uint8Array): this {
    return this.tag(field, WIRE_LEN).bytes(payload);
  }
  float32s(values: ArrayLike<number>): void {
    const n = values.length;
    this.ensure(n * 4);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    for (let i = 0; i < n; i++) dv.setFloat32(this.pos + 4 * i, values[i]!, true);
    this.pos += n * 4;
  }
  /** Starts a LEN field whose length is patched by `endLen` (reserves 5 bytes; compacts after). */
  beginLen(field: number): number {
    this.tag(field, WIRE_LEN);
    this.ensure(5);
    const at = this.pos;
    this.pos += 1;
    return at;
  }
  endLen(at: number): void {
    const len = this.pos - at - 1;
    if (len < 0x80) {
      this.buf[at] = len;
      return;
    }
    // Move the body to make room for a longer length varint.
    let n = 1;
    for (let v = len; v >= 0x80; v >>>= 7) n++;
    this.ensure(n - 1);
    this.buf.copyWithin(at + n, at + 1, this.pos);
    this.pos += n - 1;
    let v = len;
    let p = at;
    while (v >= 0x80) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
  /** A view of the written bytes (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
  reset(): void {
    this.pos = 0;
  }
}

/**
 * Iterates (field, wire, reader) over a message; the callback must consume the field or return
 * false to skip it. `what` names the message in errors.
 */
export function readMessage(buf: Uint8Array, onField: (field: number, wire: number, r: ProtoReader) => boolean, what?: string): void {
  const r = new ProtoReader(buf, 0, buf.length, what);
  while (!r.done) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) r.fail('field number 0');
    if (!onField(field, wire, r)) r.skip(wire);
  }
}

export function expectWire(field: number, wire: number, expected: number, what: string): void {
  if (wire !== expected) throw new ProtoError(`${what} (field ${field}) has wire type ${wire}, expected ${expected}`);
}
