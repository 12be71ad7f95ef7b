/**
 * The per-step variable updates in WebAssembly SIMD, on a private memory (operands copied in,
 * results copied out): float32 add / sub / mul with full-size or scalar operands (the EMA's
 * `shadow - (1 - decay)·(shadow - v)`, the optimizers' finite check) and apply_adam.
 *
 * `binary{Add,Sub,Mul}(a, b, out, vectors, aStep, bStep)`: out = a ∘ b, four lanes at a time; a
 * scalar operand is stored splatted and read with step 0. One float32 IEEE operation per
 * element, which is what the JS loop's float64 operation then store rounds to (add, sub and mul
 * of float32 values are exact in float64, or rounded once there and once more without changing
 * the result: float64 has more than 2·24 + 2 bits).
 *
 * `adam(w, m, s, g, vectors, beta1, 1 − beta1, beta2, 1 − beta2, epsilon, lr)`: apply_adam.ts's
 * loop in float64 lanes (two per f64x2, the same operations in the same order, no fusing),
 * each Math.fround an f32x4.demote_f64x2_zero (round to nearest even), in place over w, m, s.
 */
import { buildModule, Code, F64, I32, V128, type ValType } from './emitter.js';
import { align, lazySimd, PrivateWasm } from './private_wasm.js';

export interface UpdateExports {
  binaryAdd(a: number, b: number, out: number, vectors: number, aStep: number, bStep: number): void;
  binarySub(a: number, b: number, out: number, vectors: number, aStep: number, bStep: number): void;
  binaryMul(a: number, b: number, out: number, vectors: number, aStep: number, bStep: number): void;
  adam(w: number, m: number, s: number, g: number, vectors: number, beta1: number, a1: number, beta2: number, a2: number, eps: number, lr: number): void;
}

export type BinaryOp = 'add' | 'sub' | 'mul';

function binary(op: BinaryOp): Code {
  const A = 0, B = 1, OUT = 2, V = 3, AS = 4, BS = 5, I = 6;
  const k = new Code();
  k.i32_const(0).local_set(I);
  k.block().loop();
  k.local_get(I).local_get(V).i32_ge_s().br_if(1);
  k.local_get(OUT).local_get(A).v128_load(0, 0).local_get(B).v128_load(0, 0);
  if (op === 'add') k.f32x4_add();
  else if (op === 'sub') k.f32x4_sub();
  else k.f32x4_mul();
  k.v128_store(0, 0);
  k.local_get(A).local_get(AS).i32_add().local_set(A);
  k.local_get(B).local_get(BS).i32_add().local_set(B);
  k.local_get(OUT).i32_const(16).i32_add().local_set(OUT);
  k.local_get(I).i32_const(1).i32_add().local_set(I);
  k.br(0).end().end();
  return k;
}

const HI = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const JOIN = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

function adam(): { body: Code; locals: ValType[] } {
  // params
  const W = 0, M = 1, S = 2, G = 3, V = 4, P_B1 = 5, P_A1 = 6, P_B2 = 7, P_A2 = 8, P_EPS = 9, P_LR = 10;
  // locals
  const I = 11;
  const B1 = 12, A1 = 13, B2 = 14, A2 = 15, EPS = 16, LR = 17;
  const VW = 18, VM = 19, VS = 20, VG = 21, GI = 22, MI = 23, VI = 24;
  const OM = [25, 26], OS = [27, 28], OW = [29, 30];
  const k = new Code();
  for (const [p, l] of [[P_B1, B1], [P_A1, A1], [P_B2, B2], [P_A2, A2], [P_EPS, EPS], [P_LR, LR]] as const) k.local_get(p).f64x2_splat().local_set(l);
  /** The float64 pair of lanes 0–1 (h = 0) or 2–3 (h = 1) of the f32x4 in `vec`. */
  const promote = (vec: number, h: number) => {
    k.local_get(vec);
    if (h) k.local_get(vec).i8x16_shuffle(HI);
    k.f64x2_promote_low_f32x4();
  };
  k.i32_const(0).local_set(I);
  k.block().loop();
  k.local_get(I).local_get(V).i32_ge_s().br_if(1);
  k.local_get(W).v128_load(0, 0).local_set(VW);
  k.local_get(M).v128_load(0, 0).local_set(VM);
  k.local_get(S).v128_load(0, 0).local_set(VS);
  k.local_get(G).v128_load(0, 0).local_set(VG);
  for (const h of [0, 1]) {
    promote(VG, h);
    k.local_set(GI);
    // mi = f(beta1·m + a1·g)
    k.local_get(B1);
    promote(VM, h);
    k.f64x2_mul().local_get(A1).local_get(GI).f64x2_mul().f64x2_add().f32x4_demote_f64x2_zero().local_tee(OM[h]!);
    k.f64x2_promote_low_f32x4().local_set(MI);
    // vi = f(beta2·v + a2·g·g)
    k.local_get(B2);
    promote(VS, h);
    k.f64x2_mul().local_get(A2).local_get(GI).f64x2_mul().local_get(GI).f64x2_mul().f64x2_add().f32x4_demote_f64x2_zero().local_tee(OS[h]!);
    k.f64x2_promote_low_f32x4().local_set(VI);
    // w − lr·f(mi / (√vi + ε))
    promote(VW, h);
    k.local_get(LR);
    k.local_get(MI).local_get(VI).f64x2_sqrt().local_get(EPS).f64x2_add().f64x2_div().f32x4_demote_f64x2_zero().f64x2_promote_low_f32x4();
    k.f64x2_mul().f64x2_sub().f32x4_demote_f64x2_zero().local_set(OW[h]!);
  }
  for (const [addr, out] of [[W, OW], [M, OM], [S, OS]] as const) {
    k.local_get(addr).local_get(out[0]!).local_get(out[1]!).i8x16_shuffle(JOIN).v128_store(0, 0);
  }
  for (const p of [W, M, S, G]) k.local_get(p).i32_const(16).i32_add().local_set(p);
  k.local_get(I).i32_const(1).i32_add().local_set(I);
  k.br(0).end().end();
  return { body: k, locals: [I32, ...Array<ValType>(19).fill(V128)] };
}

export function buildUpdateModule(): Uint8Array<ArrayBuffer> {
  const bin: ValType[] = [I32, I32, I32, I32, I32, I32];
  const a = adam();
  return buildModule({ module: 'env', field: 'mem', initialPages: 1 }, [
    { name: 'binaryAdd', params: bin, results: [], locals: [I32], body: binary('add') },
    { name: 'binarySub', params: bin, results: [], locals: [I32], body: binary('sub') },
    { name: 'binaryMul', params: bin, results: [], locals: [I32], body: binary('mul') },
    { name: 'adam', params: [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64], results: [], locals: a.locals, body: a.body },
  ]);
}

export class WasmUpdate extends PrivateWasm<UpdateExports> {
  constructor() {
    super(buildUpdateModule());
  }

  /**
   * out[i] = a[i] ∘ b[i] for i < n, an operand of length 1 broadcast; false (out untouched)
   * when memory is short.
   */
  binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): boolean {
    const la = a.length === 1 ? 4 : align(n), lb = b.length === 1 ? 4 : align(n);
    const aOff = 16, bOff = aOff + align(la), oOff = bOff + align(lb);
    const mem = this.view(oOff + align(n));
    if (!mem) return false;
    if (a.length === 1) mem.fill(a[0]!, aOff, aOff + 4);
    else mem.set(a.subarray(0, n), aOff);
    if (b.length === 1) mem.fill(b[0]!, bOff, bOff + 4);
    else mem.set(b.subarray(0, n), bOff);
    const f = op === 'add' ? this.ex.binaryAdd : op === 'sub' ? this.ex.binarySub : this.ex.binaryMul;
    f(aOff * 4, bOff * 4, oOff * 4, Math.ceil(n / 4), a.length === 1 ? 0 : 16, b.length === 1 ? 0 : 16);
    out.set(mem.subarray(oOff, oOff + n));
    return true;
  }

  /** apply_adam over n elements into outW/outM/outS; false (outputs untouched) when memory is short. */
  adam(w: Float32Array, m: Float32Array, s: Float32Array, g: Float32Array, outW: Float32Array, outM: Float32Array, outS: Float32Array, n: number, beta1: number, beta2: number, epsilon: number, lr: number): boolean {
    const len = align(n);
    const wOff = 16, mOff = wOff + len, sOff = mOff + len, gOff = sOff + len;
    const mem = this.view(gOff + len);
    if (!mem) return false;
    mem.set(w.subarray(0, n), wOff);
    mem.set(m.subarray(0, n), mOff);
    mem.set(s.subarray(0, n), sOff);
    mem.set(g.subarray(0, n), gOff);
    this.ex.adam(wOff * 4, mOff * 4, sOff * 4, gOff * 4, Math.ceil(n / 4), beta1, 1 - beta1, beta2, 1 - beta2, epsilon, lr);
    outW.set(mem.subarray(wOff, wOff + n));
    outM.set(mem.subarray(mOff, mOff + n));
    outS.set(mem.subarray(sOff, sOff + n));
    return true;
  }
}

/** The engine, created on first use; null without WebAssembly SIMD (or with EAGERFLOW_WASM=0). */
export const simdUpdate = lazySimd(() => new WasmUpdate());
