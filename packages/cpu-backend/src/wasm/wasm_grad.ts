/**
 * The ReLU gradient and the bias gradient's column sums in WebAssembly SIMD, on a private memory
 * (operands copied in, results copied out: ≈ 0.06 ms per MB here, a fraction of the JS loops).
 *
 * `reluGrad(a, b, out, v)`: v vectors of out = select(b > 0, a, 0) on float32 bits, the JS
 * bit loop's integer masks lane by lane (b > 0 ⇔ its bits, as an int32, are in [1, 0x7f800000]):
 * a's bits where b is positive (+Inf included), +0 elsewhere (NaN, ±0, negatives): bit-identical.
 *
 * `sumRows(x, rows, cols, acc)`: acc[j] += x[r·cols + j] in float64, row by row in order (two
 * columns per f64x2 lane pair, an odd last column alone): each column's adds are sumLeading's
 * (reduce.ts), in its order, on the same exactly promoted values.
 */
import { buildModule, Code, I32, V128, type ValType } from './emitter.js';
import { align, lazySimd, PrivateWasm } from './private_wasm.js';

export interface GradExports {
  reluGrad(a: number, b: number, out: number, vectors: number): void;
  sumRows(x: number, rows: number, cols: number, acc: number): void;
}

export function buildGradModule(): Uint8Array<ArrayBuffer> {
  // reluGrad
  const A = 0, B = 1, OUT = 2, V = 3, I = 4, T = 5, ONE = 6, INF = 7;
  const r = new Code();
  r.i32_const(1).i32x4_splat().local_set(ONE);
  r.i32_const(0x7f800000).i32x4_splat().local_set(INF);
  r.i32_const(0).local_set(I);
  r.block().loop();
  r.local_get(I).local_get(V).i32_ge_s().br_if(1);
  // t = b - 1; out = a & ~(t >> 31) & ((t - 0x7f800000) >> 31)
  r.local_get(B).v128_load(0, 0).local_get(ONE).i32x4_sub().local_set(T);
  r.local_get(OUT);
  r.local_get(A).v128_load(0, 0);
  r.local_get(T).i32_const(31).i32x4_shr_s().v128_not().v128_and();
  r.local_get(T).local_get(INF).i32x4_sub().i32_const(31).i32x4_shr_s().v128_and();
  r.v128_store(0, 0);
  for (const p of [A, B, OUT]) r.local_get(p).i32_const(16).i32_add().local_set(p);
  r.local_get(I).i32_const(1).i32_add().local_set(I);
  r.br(0).end().end();

  // sumRows
  const X = 0, ROWS = 1, COLS = 2, ACC = 3, R = 4, J = 5, AP = 6;
  const s = new Code();
  s.i32_const(0).local_set(R);
  s.block().loop();
  s.local_get(R).local_get(ROWS).i32_ge_s().br_if(1);
  s.local_get(ACC).local_set(AP);
  s.i32_const(0).local_set(J);
  s.block().loop();
  s.local_get(COLS).local_get(J).i32_sub().i32_const(2).i32_lt_s().br_if(1);
  s.local_get(AP).local_get(AP).v128_load(0, 3).local_get(X).v128_load(0, 0).f64x2_promote_low_f32x4().f64x2_add().v128_store(0, 3);
  s.local_get(AP).i32_const(16).i32_add().local_set(AP);
  s.local_get(X).i32_const(8).i32_add().local_set(X);
  s.local_get(J).i32_const(2).i32_add().local_set(J);
  s.br(0).end().end();
  s.local_get(J).local_get(COLS).i32_lt_s().if_();
  s.local_get(AP).local_get(AP).f64_load().local_get(X).f32_load().f64_promote_f32().f64_add().f64_store();
  s.local_get(X).i32_const(4).i32_add().local_set(X);
  s.end();
  s.local_get(R).i32_const(1).i32_add().local_set(R);
  s.br(0).end().end();

  return buildModule({ module: 'env', field: 'mem', initialPages: 1 }, [
    { name: 'reluGrad', params: [I32, I32, I32, I32], results: [], locals: [I32, V128, V128, V128] as ValType[], body: r },
    { name: 'sumRows', params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32], body: s },
  ]);
}

export class WasmGrad extends PrivateWasm<GradExports> {
  constructor() {
    super(buildGradModule());
  }

  /** out[i] = b[i] > 0 ? a[i] : 0 on float32 bits for i < n; false (out untouched) when memory is short. */
  reluGrad(a: Float32Array, b: Float32Array, out: Float32Array, n: number): boolean {
    const aOff = 16, bOff = aOff + align(n), oOff = bOff + align(n);
    const mem = this.view(oOff + align(n));
    if (!mem) return false;
    mem.set(a.subarray(0, n), aOff);
    mem.set(b.subarray(0, n), bOff);
    this.ex.reluGrad(aOff * 4, bOff * 4, oOff * 4, Math.ceil(n / 4));
    out.set(mem.subarray(oOff, oOff + n));
    return true;
  }

  /** acc[j] = Σ_r x[r·cols + j] in float64, rows in order; false when memory is short. */
  sumRows(x: Float32Array, rows: number, cols: number, acc: Float64Array): boolean {
    const n = rows * cols;
    const xOff = 16, aOff = xOff + align(n + 4); // float offsets; acc 8-byte aligned, x read 16 bytes at a time
    const mem = this.view(aOff + align(2 * cols));
    if (!mem) return false;
    mem.set(x.subarray(0, n), xOff);
    const a64 = new Float64Array(mem.buffer, aOff * 4, cols);
    a64.fill(0);
    this.ex.sumRows(xOff * 4, rows, cols, aOff * 4);
    acc.set(a64);
    return true;
  }
}

/** The engine, created on first use; null without WebAssembly SIMD (or with EAGERFLOW_WASM=0). */
export const simdGrad = lazySimd(() => new WasmGrad());
