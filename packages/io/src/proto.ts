/** Minimal protocol-buffer wire-format reader and writer (the subset checkpoints need). */

export class ProtoError extends Error {}

/** Appends bytes to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): this {
    this.ensure(1);
    this.buf[this.length++] = b;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    const b = this.buf;
    const p = this.length;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = (v >>> 24) & 0xff;
    this.length += 4;
    return this;
  }
  u64(v: bigint | number): this {
    const x = BigInt.asUintN(64, BigInt(v));
    this.u32(Number(x & 0xffffffffn));
    return this.u32(Number(x >> 32n));
  }
  /** Unsigned varint; numbers up to 2^53, bigints up to 2^64 (negatives as 64-bit two's complement). */
  varint(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
      this.ensure(5);
      let x = v;
      while (x >= 0x80) {
        this.buf[this.length++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
      this.buf[this.length++] = x;
      return this;
    }
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.length++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.length++] = Number(x);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  /** LEN field holding `payload`. */
  lenField(field: number, payload: Uint8Array): this {
    return this.tag(field, 2).varint(payload.length).bytes(payload);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
  /** A view of the written bytes (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
  reset(): void {
    this.length = 0;
  }
}

/** Sequential reader over a byte array. Throws ProtoError on truncation. */
export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  byte(): number {
    if (this.pos >= this.end) throw new ProtoError('unexpected end of data');
    return this.buf[this.pos++]!;
  }
  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) throw new ProtoError(`length ${n} runs past the end of the data (${this.end - this.pos} bytes left)`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  u32(): number {
    const b = this.bytes(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
  /** Varint as a JS number; throws if it exceeds 2^53 (use varint64 for those). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new ProtoError(`varint ${result} exceeds 2^53`);
        return result;
      }
      mul *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }
  /** Varint as an unsigned 64-bit bigint. */
  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }
  /** int32/int64 proto field that must be a non-negative safe integer (sizes, offsets). */
  varintSigned(): number {
    const v = BigInt.asIntN(64, this.varint64());
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new ProtoError(`integer ${v} out of range`);
    return Number(v);
  }
  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint64();
        return;
      case 1:
        this.bytes(8);
        return;
      case 2:
        this.bytes(this.varint());
        return;
      case 5:
        this.bytes(4);
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }
}

/** Iterates (field, wire, reader) over a message; the callback must consume the field or return false to skip it. */
export function readMessage(buf: Uint8Array, onField: (field: number, wire: number, r: ByteReader) => boolean): void {
  const r = new ByteReader(buf);
  while (!r.done) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new ProtoError('field number 0');
    if (!onField(field, wire, r)) r.skip(wire);
  }
}

export function expectWire(field: number, wire: number, expected: number, what: string): void {
  if (wire !== expected) throw new ProtoError(`${what} (field ${field}) has wire type ${wire}, expected ${expected}`);
}
