/**
 * The SIMD GEMM module, generated at load time.
 *
 * `kernel(a, b, c, kc, ldc, first)`: C[MR×NR] (=, when `first`, else +=) Ap·Bp for one packed A
 * panel (kc steps of MR floats) and one packed B panel (kc steps of NR floats); the C block lives in MR·NR/4 v128 locals for
 * the whole K loop (register blocking), the K loop is unrolled `unroll` times with constant
 * memarg offsets. `ldc` is C's row stride in bytes.
 *
 * `macro(a, b, c, mp, np, kc, ldc, first)`: runs the kernel over mp A panels × np B panels
 * (B panel outer so it stays in L1 while the A block streams from L2).
 *
 * Around them: `pack<w>` / `gather<w>` build the panels (strided / through offset tables),
 * `scatterAdd` adds C into an indexed destination (col2im), `store` compacts C (bias, relu).
 */
import { buildModule, Code, I32, V128, type ValType } from './emitter.js';

export interface GemmModuleOptions {
  mr: number; // rows of the C block
  nr: number; // columns of the C block (multiple of 4)
  unroll: number; // K-loop unroll factor
  fma: boolean; // use f32x4.relaxed_madd
  shared: boolean; // import a shared memory (workers)
  maximumPages?: number;
}

export function buildGemmModule(o: GemmModuleOptions): Uint8Array<ArrayBuffer> {
  const { mr, nr, unroll } = o;
  const nv = nr / 4;
  if (!Number.isInteger(nv) || nv < 1) throw new Error(`gemm module: nr ${nr} is not a multiple of 4`);

  // ---- kernel --------------------------------------------------------------------------
  const A = 0, B = 1, C = 2, KC = 3, LDC = 4, FIRST = 5, CROW = 6;
  const acc = (i: number, v: number) => 7 + i * nv + v;
  const bv = (v: number) => 7 + mr * nv + v;
  const av = 7 + mr * nv + nv;
  const k = new Code();
  const loadC = () => {
    k.local_get(C).local_set(CROW);
    for (let i = 0; i < mr; i++) {
      for (let v = 0; v < nv; v++) k.local_get(CROW).v128_load(16 * v).local_set(acc(i, v));
      if (i < mr - 1) k.local_get(CROW).local_get(LDC).i32_add().local_set(CROW);
    }
  };
  const storeC = () => {
    k.local_get(C).local_set(CROW);
    for (let i = 0; i < mr; i++) {
      for (let v = 0; v < nv; v++) k.local_get(CROW).local_get(acc(i, v)).v128_store(16 * v);
      if (i < mr - 1) k.local_get(CROW).local_get(LDC).i32_add().local_set(CROW);
    }
  };
  const step = (u: number) => {
    for (let v = 0; v < nv; v++) k.local_get(B).v128_load((u * nr + 4 * v) * 4).local_set(bv(v));
    for (let i = 0; i < mr; i++) {
      k.local_get(A).v128_load32_splat((u * mr + i) * 4).local_set(av);
      for (let v = 0; v < nv; v++) {
        if (o.fma) k.local_get(av).local_get(bv(v)).local_get(acc(i, v)).f32x4_relaxed_madd();
        else k.local_get(acc(i, v)).local_get(av).local_get(bv(v)).f32x4_mul().f32x4_add();
        k.local_set(acc(i, v));
      }
    }
  };
  const kLoop = (u: number) => {
    k.block().loop();
    k.local_get(KC).i32_const(u).i32_lt_s().br_if(1);
    for (let s = 0; s < u; s++) step(s);
    k.local_get(A).i32_const(u * mr * 4).i32_add().local_set(A);
    k.local_get(B).i32_const(u * nr * 4).i32_add().local_set(B);
    k.local_get(KC).i32_const(u).i32_sub().local_set(KC);
    k.br(0).end().end();
  };
  // The first K block starts from zero (no C load, no prior zero fill of C).
  k.local_get(FIRST).if_();
  k.v128_const0().local_set(acc(0, 0));
  for (let i = 0; i < mr; i++) for (let v = 0; v < nv; v++) if (i + v > 0) k.local_get(acc(0, 0)).local_set(acc(i, v));
  k.else_();
  loadC();
  k.end();
  kLoop(unroll);
  if (unroll > 1) kLoop(1);
  storeC();
  const kernelLocals: ValType[] = [I32, ...new Array<ValType>(mr * nv + nv + 1).fill(V128)];

  // ---- macro ---------------------------------------------------------------------------
  const MA = 0, MB = 1, MC = 2, MP = 3, NP = 4, MKC = 5, MLDC = 6, MFIRST = 7;
  const IR = 8, JR = 9, AP = 10, CP = 11, CJ = 12, ASTRIDE = 13, BSTRIDE = 14, CROWSTEP = 15;
  const m = new Code();
  m.local_get(MKC).i32_const(mr * 4).i32_mul().local_set(ASTRIDE);
  m.local_get(MKC).i32_const(nr * 4).i32_mul().local_set(BSTRIDE);
  m.local_get(MLDC).i32_const(mr).i32_mul().local_set(CROWSTEP);
  m.local_get(MC).local_set(CJ);
  m.i32_const(0).local_set(JR);
  m.block().loop();
  m.local_get(JR).local_get(NP).i32_ge_s().br_if(1);
  m.local_get(MA).local_set(AP);
  m.local_get(CJ).local_set(CP);
  m.i32_const(0).local_set(IR);
  m.block().loop();
  m.local_get(IR).local_get(MP).i32_ge_s().br_if(1);
  m.local_get(AP).local_get(MB).local_get(CP).local_get(MKC).local_get(MLDC).local_get(MFIRST).call(0);
  m.local_get(AP).local_get(ASTRIDE).i32_add().local_set(AP);
  m.local_get(CP).local_get(CROWSTEP).i32_add().local_set(CP);
  m.local_get(IR).i32_const(1).i32_add().local_set(IR);
  m.br(0).end().end();
  m.local_get(MB).local_get(BSTRIDE).i32_add().local_set(MB);
  m.local_get(CJ).i32_const(nr * 4).i32_add().local_set(CJ);
  m.local_get(JR).i32_const(1).i32_add().local_set(JR);
  m.br(0).end().end();

  const packW = (w: number) => ({ name: `pack${w}`, params: [I32, I32, I32, I32, I32, I32, I32] as ValType[], results: [] as ValType[], locals: new Array<ValType>(4 + w).fill(I32), body: buildPack(w) });
  const gatherW = (w: number) => ({ name: `gather${w}`, params: [I32, I32, I32, I32, I32, I32] as ValType[], results: [] as ValType[], locals: [...new Array<ValType>(5 + w).fill(I32), ...new Array<ValType>(8).fill(V128)], body: buildGather(w) });

  return buildModule(
    { module: 'env', field: 'mem', initialPages: 1, maximumPages: o.maximumPages, shared: o.shared },
    [
      { name: 'kernel', params: [I32, I32, I32, I32, I32, I32], results: [], locals: kernelLocals, body: k },
      { name: 'macro', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals: new Array<ValType>(8).fill(I32), body: m },
      packW(mr),
      ...(nr !== mr ? [packW(nr)] : []),
      gatherW(mr),
      ...(nr !== mr ? [gatherW(nr)] : []),
      { name: 'scatterAdd', params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: new Array<ValType>(5).fill(I32), body: buildScatterAdd() },
      { name: 'store', params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, V128, V128, V128], body: buildStore() },
    ],
  );
}

/**
 * `pack<w>(src, dst, rs, cs, kc, np, last)`: gathers np panels of w rows × kc steps, element
 * (row r, step p) of panel i read at src + (i·w + r)·rs + p·cs (byte strides), written
 * contiguously as kc groups of w floats; the last panel has `last` real rows, and its padding
 * rows repeat the last real one (they only feed the discarded padding of C, as in gather).
 * One routine covers op(A) and op(B) in both layouts (only the strides differ).
 */
function buildPack(w: number): Code {
  const SRC = 0, DST = 1, RS = 2, CS = 3, KC = 4, NP = 5, LAST = 6;
  const I = 7, P = 8, S = 9, SPANEL = 10, PSTEP = 11;
  const off = (r: number) => 12 + r - 1; // r·rs for r ≥ 1 (min(r, last - 1)·rs in the last panel)
  const c = new Code();
  c.local_get(RS).i32_const(w).i32_mul().local_set(PSTEP);
  for (let r = 1; r < w; r++) c.local_get(RS).i32_const(r).i32_mul().local_set(off(r));
  c.local_get(SRC).local_set(SPANEL);
  c.i32_const(0).local_set(I);
  c.block().loop();
  c.local_get(I).local_get(NP).i32_ge_s().br_if(1);
  c.local_get(I).local_get(NP).i32_const(1).i32_sub().i32_eq().if_();
  for (let r = 1; r < w; r++) {
    c.local_get(off(r)).local_get(LAST).i32_const(1).i32_sub().local_get(RS).i32_mul();
    c.i32_const(r).local_get(LAST).i32_lt_s().select().local_set(off(r));
  }
  c.end();
  c.local_get(SPANEL).local_set(S);
  c.i32_const(0).local_set(P);
  // w loads and stores per step, unrolled.
  c.block().loop();
  c.local_get(P).local_get(KC).i32_ge_s().br_if(1);
  for (let r = 0; r < w; r++) {
    c.local_get(DST);
    if (r === 0) c.local_get(S);
    else c.local_get(S).local_get(off(r)).i32_add();
    c.f32_load().f32_store(r * 4);
  }
  c.local_get(DST).i32_const(w * 4).i32_add().local_set(DST);
  c.local_get(S).local_get(CS).i32_add().local_set(S);
  c.local_get(P).i32_const(1).i32_add().local_set(P);
  c.br(0).end().end();
  c.local_get(SPANEL).local_get(PSTEP).i32_add().local_set(SPANEL);
  c.local_get(I).i32_const(1).i32_add().local_set(I);
  c.br(0).end().end();
  return c;
}

/** f32 lanes [a, b, c, d] of two vectors (0-3 the first, 4-7 the second) as i8x16.shuffle bytes. */
const lanes = (...l: number[]) => l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);

/**
 * `gather<w>(outer, inner, dst, kc, np, base)`: pack<w> for an operand read through offset tables
 * (an implicit im2col): element (row r of panel i, step p) is float outer[i·w + r] + inner[p] of
 * the region at byte address `base` (both i32 tables of float offsets; `outer` holds np·w
 * entries, padded rows pointing anywhere valid: they only feed the discarded padding of C).
 * Plain copies, so any load width gives the same bits. Where a panel's rows are consecutive
 * floats (a run of taps, or of pixels with one input channel), each step is w/4 vector loads;
 * otherwise, where four steps are consecutive floats, each group of four rows is four vector
 * loads and a 4×4 transpose; the rest is one float at a time.
 */
function buildGather(w: number): Code {
  const OUTER = 0, INNER = 1, DST = 2, KC = 3, NP = 4, BASE = 5;
  const I = 6, P = 7, Q = 8, IP = 9, CONT = 10;
  const o = (r: number) => 11 + r; // byte addresses of the panel's rows
  const R = (j: number) => 11 + w + j; // v128: four rows, then their transpose's halves
  const T = (j: number) => 15 + w + j;
  const c = new Code();
  const scalarStep = (qOff: number, dOff: number) => {
    c.local_get(Q).i32_load(qOff).i32_const(2).i32_shl().local_set(IP);
    for (let r = 0; r < w; r++) c.local_get(DST).local_get(o(r)).local_get(IP).i32_add().f32_load().f32_store(dOff + r * 4);
  };
  c.i32_const(0).local_set(I);
  c.block().loop();
  c.local_get(I).local_get(NP).i32_ge_s().br_if(1);
  for (let r = 0; r < w; r++) c.local_get(OUTER).i32_load(r * 4).i32_const(2).i32_shl().local_get(BASE).i32_add().local_set(o(r));
  c.local_get(OUTER).i32_const(w * 4).i32_add().local_set(OUTER);
  c.local_get(INNER).local_set(Q);
  c.i32_const(0).local_set(P);
  // CONT = rows r at outer[0] + 4r bytes for every r (vector paths for whole vectors of rows only).
  c.i32_const(w % 4 === 0 ? 1 : 0);
  for (let r = 1; r < w; r++) c.local_get(o(r)).local_get(o(0)).i32_const(4 * r).i32_add().i32_eq().i32_and();
  c.local_set(CONT);
  c.local_get(CONT).if_();
  {
    c.block().loop();
    c.local_get(P).local_get(KC).i32_ge_s().br_if(1);
    c.local_get(Q).i32_load().i32_const(2).i32_shl().local_get(o(0)).i32_add().local_set(IP);
    for (let v = 0; v < Math.floor(w / 4); v++) c.local_get(DST).local_get(IP).v128_load(16 * v, 0).v128_store(16 * v);
    c.local_get(DST).i32_const(w * 4).i32_add().local_set(DST);
    c.local_get(Q).i32_const(4).i32_add().local_set(Q);
    c.local_get(P).i32_const(1).i32_add().local_set(P);
    c.br(0).end().end();
  }
  c.else_();
  {
    if (w % 4 === 0) {
      // Four steps at a time.
      c.block().loop();
      c.local_get(KC).local_get(P).i32_sub().i32_const(4).i32_lt_s().br_if(1);
      c.local_get(Q).i32_load().local_set(IP);
      c.local_get(Q).i32_load(4).local_get(IP).i32_const(1).i32_add().i32_eq();
      c.local_get(Q).i32_load(8).local_get(IP).i32_const(2).i32_add().i32_eq().i32_and();
      c.local_get(Q).i32_load(12).local_get(IP).i32_const(3).i32_add().i32_eq().i32_and();
      c.if_();
      c.local_get(IP).i32_const(2).i32_shl().local_set(IP);
      for (let g = 0; g < w / 4; g++) {
        for (let j = 0; j < 4; j++) c.local_get(o(4 * g + j)).local_get(IP).i32_add().v128_load(0, 0).local_set(R(j));
        c.local_get(R(0)).local_get(R(1)).i8x16_shuffle(lanes(0, 4, 1, 5)).local_set(T(0));
        c.local_get(R(0)).local_get(R(1)).i8x16_shuffle(lanes(2, 6, 3, 7)).local_set(T(1));
        c.local_get(R(2)).local_get(R(3)).i8x16_shuffle(lanes(0, 4, 1, 5)).local_set(T(2));
        c.local_get(R(2)).local_get(R(3)).i8x16_shuffle(lanes(2, 6, 3, 7)).local_set(T(3));
        for (let q = 0; q < 4; q++) {
          c.local_get(DST).local_get(T(q >> 1)).local_get(T(2 + (q >> 1))).i8x16_shuffle(q & 1 ? lanes(2, 3, 6, 7) : lanes(0, 1, 4, 5));
          c.v128_store((q * w + 4 * g) * 4);
        }
      }
      c.else_();
      for (let s = 0; s < 4; s++) scalarStep(4 * s, s * w * 4);
      c.end();
      c.local_get(DST).i32_const(4 * w * 4).i32_add().local_set(DST);
      c.local_get(Q).i32_const(16).i32_add().local_set(Q);
      c.local_get(P).i32_const(4).i32_add().local_set(P);
      c.br(0).end().end();
    }
    // The last kc % 4 steps (or all of them).
    c.block().loop();
    c.local_get(P).local_get(KC).i32_ge_s().br_if(1);
    scalarStep(0, 0);
    c.local_get(DST).i32_const(w * 4).i32_add().local_set(DST);
    c.local_get(Q).i32_const(4).i32_add().local_set(Q);
    c.local_get(P).i32_const(1).i32_add().local_set(P);
    c.br(0).end().end();
  }
  c.end();
  c.local_get(I).i32_const(1).i32_add().local_set(I);
  c.br(0).end().end();
  return c;
}

/**
 * `scatterAdd(c, ldc, outer, inner, m, n, base)`: adds C[i][j] (rows `ldc` bytes apart) into
 * float outer[i] + inner[j] of the region at byte address `base`, row by row and in column order
 * within a row (col2im's summation order; each add is one float32 rounding, as in JS).
 * (Four consecutive floats as one f32x4 add measured no faster: neighbouring rows overlap, so
 * a vector store followed by an overlapping vector load defeats store forwarding.)
 */
function buildScatterAdd(): Code {
  const C = 0, LDC = 1, OUTER = 2, INNER = 3, M = 4, N = 5, BASE = 6;
  const I = 7, J = 8, O = 9, CP = 10, AT = 11;
  const c = new Code();
  c.i32_const(0).local_set(I);
  c.block().loop();
  c.local_get(I).local_get(M).i32_ge_s().br_if(1);
  c.local_get(OUTER).local_get(I).i32_const(4).i32_mul().i32_add().i32_load().i32_const(2).i32_shl().local_get(BASE).i32_add().local_set(O);
  c.local_get(C).local_get(I).local_get(LDC).i32_mul().i32_add().local_set(CP);
  c.i32_const(0).local_set(J);
  c.block().loop();
  c.local_get(J).local_get(N).i32_ge_s().br_if(1);
  c.local_get(O).local_get(INNER).local_get(J).i32_const(4).i32_mul().i32_add().i32_load().i32_const(2).i32_shl().i32_add().local_tee(AT);
  c.local_get(AT).f32_load().local_get(CP).f32_load().f32_add().f32_store();
  c.local_get(CP).i32_const(4).i32_add().local_set(CP);
  c.local_get(J).i32_const(1).i32_add().local_set(J);
  c.br(0).end().end();
  c.local_get(I).i32_const(1).i32_add().local_set(I);
  c.br(0).end().end();
  return c;
}

/**
 * `store(c, ldc, dst, m, n, bias, mode)`: the m×n corner of C (rows `ldc` bytes apart) to a dense
 * m×n dst (which takes up to 3 floats past its end), mode 0 as is, 1 plus bias[j], 2 then relu.
 * Each row is whole 4-lane vectors: the last one spills into the next row, stored after it.
 * relu selects float32 bits with integer masks, as the JS epilogue: NaN kept, -0 → +0.
 */
function buildStore(): Code {
  const C = 0, LDC = 1, DST = 2, M = 3, N = 4, BIAS = 5, MODE = 6;
  const I = 7, V = 8, CP = 9, DP = 10, ROW = 11, X = 12, ABS = 13, INF = 14;
  const c = new Code();
  c.i32_const(0x7fffffff).i32x4_splat().local_set(ABS);
  c.i32_const(0x7f800000).i32x4_splat().local_set(INF);
  // Bytes of a row's whole vectors.
  c.local_get(N).i32_const(3).i32_add().i32_const(4).i32_mul().i32_const(-16).i32_and().local_set(ROW);
  c.i32_const(0).local_set(I);
  c.block().loop();
  c.local_get(I).local_get(M).i32_ge_s().br_if(1);
  c.local_get(C).local_get(I).local_get(LDC).i32_mul().i32_add().local_set(CP);
  c.local_get(DST).local_get(I).local_get(N).i32_mul().i32_const(4).i32_mul().i32_add().local_set(DP);
  c.i32_const(0).local_set(V);
  c.block().loop();
  c.local_get(V).local_get(ROW).i32_ge_s().br_if(1);
  c.local_get(CP).local_get(V).i32_add().v128_load(0, 2).local_set(X);
  c.local_get(MODE).if_();
  c.local_get(X).local_get(BIAS).local_get(V).i32_add().v128_load(0, 2).f32x4_add().local_set(X);
  c.end();
  c.local_get(MODE).i32_const(2).i32_eq().if_();
  // x & (~(x >> 31) | ((0x7f800000 - (x & 0x7fffffff)) >> 31))
  c.local_get(X);
  c.local_get(X).i32_const(31).i32x4_shr_s().v128_not();
  c.local_get(INF).local_get(X).local_get(ABS).v128_and().i32x4_sub().i32_const(31).i32x4_shr_s();
  c.v128_or().v128_and().local_set(X);
  c.end();
  c.local_get(DP).local_get(V).i32_add().local_get(X).v128_store(0, 0);
  c.local_get(V).i32_const(16).i32_add().local_set(V);
  c.br(0).end().end();
  c.local_get(I).i32_const(1).i32_add().local_set(I);
  c.br(0).end().end();
  return c;
}
