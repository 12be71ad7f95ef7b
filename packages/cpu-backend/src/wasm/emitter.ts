/**
 * A tiny WebAssembly binary emitter: just enough of the format (module header, type / import /
 * function / export / code sections, LEB128, the few scalar and SIMD opcodes the CPU kernels
 * use) to build small modules from TypeScript at load time, with no external toolchain.
 * Spec: https://webassembly.github.io/spec/core/binary/ and the SIMD proposal's opcode table.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Growable byte buffer with the format's integer encodings. */
export class Bytes {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(v: number): this {
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (s32). */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  name(s: string): this {
    const enc = new TextEncoder().encode(s);
    return this.u32(enc.length).bytes(enc);
  }

  /** A length-prefixed vector of already-encoded parts. */
  vec(items: readonly Bytes[]): this {
    this.u32(items.length);
    for (const it of items) this.bytes(it.toUint8Array());
    return this;
  }

  toUint8Array(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}

/** Function body builder: one method per opcode used (names follow the text format). */
export class Code {
  readonly out = new Bytes();

  local_get(i: number): this { this.out.byte(0x20).u32(i); return this; }
  local_set(i: number): this { this.out.byte(0x21).u32(i); return this; }
  local_tee(i: number): this { this.out.byte(0x22).u32(i); return this; }
  i32_const(v: number): this { this.out.byte(0x41).s32(v); return this; }
  i32_add(): this { this.out.byte(0x6a); return this; }
  i32_sub(): this { this.out.byte(0x6b); return this; }
  i32_mul(): this { this.out.byte(0x6c); return this; }
  i32_and(): this { this.out.byte(0x71); return this; }
  i32_shl(): this { this.out.byte(0x74); return this; }
  i32_lt_s(): this { this.out.byte(0x48); return this; }
  i32_ge_s(): this { this.out.byte(0x4e); return this; }
  i32_eqz(): this { this.out.byte(0x45); return this; }
  /** block with empty result type. */
  block(): this { this.out.byte(0x02).byte(0x40); return this; }
  loop(): this { this.out.byte(0x03).byte(0x40); return this; }
  if_(): this { this.out.byte(0x04).byte(0x40); return this; }
  else_(): this { this.out.byte(0x05); return this; }
  end(): this { this.out.byte(0x0b); return this; }
  br(depth: number): this { this.out.byte(0x0c).u32(depth); return this; }
  br_if(depth: number): this { this.out.byte(0x0d).u32(depth); return this; }
  call(fn: number): this { this.out.byte(0x10).u32(fn); return this; }
  i32_eq(): this { this.out.byte(0x46); return this; }
  /** select: [a, b, cond] → cond ? a : b. */
  select(): this { this.out.byte(0x1b); return this; }
  f32_const0(): this { this.out.byte(0x43).bytes([0, 0, 0, 0]); return this; }
  f32_load(offset = 0, alignLog2 = 2): this { this.out.byte(0x2a).u32(alignLog2).u32(offset); return this; }
  f32_store(offset = 0, alignLog2 = 2): this { this.out.byte(0x38).u32(alignLog2).u32(offset); return this; }
  f32_add(): this { this.out.byte(0x92); return this; }
  i32_load(offset = 0, alignLog2 = 2): this { this.out.byte(0x28).u32(alignLog2).u32(offset); return this; }
  f64_load(offset = 0, alignLog2 = 3): this { this.out.byte(0x2b).u32(alignLog2).u32(offset); return this; }
  f64_store(offset = 0, alignLog2 = 3): this { this.out.byte(0x39).u32(alignLog2).u32(offset); return this; }
  f64_add(): this { this.out.byte(0xa0); return this; }
  f64_promote_f32(): this { this.out.byte(0xbb); return this; }

  // SIMD (prefix 0xfd, u32 sub-opcode).
  private simd(op: number): this { this.out.byte(0xfd).u32(op); return this; }
  v128_load(offset = 0, alignLog2 = 4): this { return this.simd(0x00).memarg(alignLog2, offset); }
  v128_load32_splat(offset = 0, alignLog2 = 2): this { return this.simd(0x09).memarg(alignLog2, offset); }
  v128_store(offset = 0, alignLog2 = 4): this { return this.simd(0x0b).memarg(alignLog2, offset); }
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of a (0-15) or b (16-31). */
  i8x16_shuffle(lanes: readonly number[]): this { this.simd(0x0d); this.out.bytes(lanes); return this; }
  v128_const0(): this { this.simd(0x0c); for (let i = 0; i < 16; i++) this.out.byte(0); return this; }
  f32x4_splat(): this { return this.simd(0x13); }
  i32x4_splat(): this { return this.simd(0x11); }
  v128_not(): this { return this.simd(0x4d); }
  v128_and(): this { return this.simd(0x4e); }
  v128_or(): this { return this.simd(0x50); }
  /** a & ~b. */
  v128_andnot(): this { return this.simd(0x4f); }
  /** [a, b, mask] → (a & mask) | (b & ~mask). */
  v128_bitselect(): this { return this.simd(0x52); }
  f32x4_gt(): this { return this.simd(0x44); }
  i32x4_shr_s(): this { return this.simd(0xac); }
  i32x4_sub(): this { return this.simd(0xb1); }
  f32x4_add(): this { return this.simd(0xe4); }
  f32x4_mul(): this { return this.simd(0xe6); }
  f32x4_sub(): this { return this.simd(0xe5); }
  f64x2_splat(): this { return this.simd(0x14); }
  f64x2_sqrt(): this { return this.simd(0xef); }
  f64x2_sub(): this { return this.simd(0xf1); }
  f64x2_mul(): this { return this.simd(0xf2); }
  f64x2_div(): this { return this.simd(0xf3); }
  /** f32x4.demote_f64x2_zero: both lanes rounded to float32 (nearest-even, as Math.fround) in lanes 0–1, zeros above. */
  f32x4_demote_f64x2_zero(): this { return this.simd(0x5e); }
  f64x2_add(): this { return this.simd(0xf0); }
  /** The low two f32 lanes, exactly, as f64. */
  f64x2_promote_low_f32x4(): this { return this.simd(0x5f); }
  /** Relaxed SIMD fused multiply-add (a*b + c); only where the engine validates it. */
  f32x4_relaxed_madd(): this { return this.simd(0x105); }

  private memarg(alignLog2: number, offset: number): this {
    this.out.u32(alignLog2).u32(offset);
    return this;
  }
}

export interface FuncSpec {
  name?: string; // exported under this name when given
  params: ValType[];
  results: ValType[];
  /** Extra locals, in order, after the params. */
  locals: ValType[];
  body: Code;
}

export interface MemoryImport {
  module: string;
  field: string;
  initialPages: number;
  maximumPages?: number;
  shared?: boolean;
}

/** Builds a module with one imported memory and the given functions (indices in order). */
export function buildModule(memory: MemoryImport, funcs: readonly FuncSpec[]): Uint8Array<ArrayBuffer> {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, content: Bytes) => {
    const c = content.toUint8Array();
    out.byte(id).u32(c.length).bytes(c);
  };

  // Type section: one type per function (duplicates are allowed).
  section(1, new Bytes().vec(funcs.map((f) => new Bytes().byte(0x60).u32(f.params.length).bytes(f.params).u32(f.results.length).bytes(f.results))));

  // Import section: the memory.
  const imp = new Bytes().name(memory.module).name(memory.field).byte(0x02);
  const hasMax = memory.maximumPages !== undefined;
  imp.byte((hasMax ? 1 : 0) | (memory.shared ? 2 : 0)).u32(memory.initialPages);
  if (hasMax) imp.u32(memory.maximumPages!);
  section(2, new Bytes().vec([imp]));

  // Function section: function i has type i.
  section(3, new Bytes().vec(funcs.map((_, i) => new Bytes().u32(i))));

  // Export section.
  const exports = funcs.flatMap((f, i) => (f.name ? [new Bytes().name(f.name).byte(0x00).u32(i)] : []));
  section(7, new Bytes().vec(exports));

  // Code section: locals run-length encoded.
  const bodies = funcs.map((f) => {
    const groups: Bytes[] = [];
    for (let i = 0; i < f.locals.length; ) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      groups.push(new Bytes().u32(j - i).byte(f.locals[i]!));
      i = j;
    }
    const body = new Bytes().vec(groups).bytes(f.body.out.toUint8Array()).byte(0x0b);
    return new Bytes().u32(body.length).bytes(body.toUint8Array());
  });
  section(10, new Bytes().vec(bodies));
  return out.toUint8Array();
}
