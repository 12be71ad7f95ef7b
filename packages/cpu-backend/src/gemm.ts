/**
 * C[m×n] = op(A)·op(B) in float32, plain JS. Operands are first packed so that A is read
 * row-wise and B row-wise (k×n); the inner kernel computes a 4×4 block of C in registers.
 * This is the reference/fallback path; wasm/wasm_gemm.ts holds the SIMD kernel that `gemm` uses
 * wherever WebAssembly SIMD compiles.
 */
import { applyEpilogue } from './kernels/fused_epilogue.js';
import { attachHelper } from './wasm/gemm_pool.js';
import { envFlag, lazySimd } from './wasm/private_wasm.js';
import { WasmGemm, type Epilogue, type Indexed, type Operand } from './wasm/wasm_gemm.js';
export type { Epilogue, Indexed, Operand } from './wasm/wasm_gemm.js';

export function packA(a: Float32Array, m: number, k: number, transposed: boolean): Float32Array {
  if (!transposed) return a;
  const out = new Float32Array(m * k);
  for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) out[i * k + p] = a[p * m + i]!;
  return out;
}

export function packB(b: Float32Array, k: number, n: number, transposed: boolean): Float32Array {
  if (!transposed) return b;
  const out = new Float32Array(k * n);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[p * n + j] = b[j * k + p]!;
  return out;
}

export function gemmJs(m: number, n: number, k: number, A: Float32Array, B: Float32Array, C: Float32Array): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const b0 = B[bp]!, b1 = B[bp + 1]!, b2 = B[bp + 2]!, b3 = B[bp + 3]!;
        const a0 = A[r0 + p]!, a1 = A[r1 + p]!, a2 = A[r2 + p]!, a3 = A[r3 + p]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let o = i * n + j;
      C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += n;
      C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += n;
      C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += n;
      C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
    }
  }
  // Edges: rows past m4 and columns past n4.
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
      C[i * n + j] = s;
    }
  }
}

/** Below this many multiply-adds the plain-JS kernel is as fast as packing for wasm. */
const WASM_MIN_MACS = 4096;

/**
 * The SIMD engine, created on first use: shared memory plus one helper worker where Node's
 * worker_threads and SharedArrayBuffer exist (EAGERFLOW_GEMM_THREADS=1 keeps it to one thread),
 * private memory otherwise; null where WebAssembly SIMD does not compile (EAGERFLOW_WASM=0 forces
 * that), and the plain-JS kernel is used.
 */
export const simdGemm = lazySimd((): WasmGemm => {
  if (envFlag('EAGERFLOW_GEMM_THREADS') !== '1' && typeof SharedArrayBuffer !== 'undefined') {
    try {
      const g = new WasmGemm(true);
      attachHelper(g);
      return g;
    } catch {
      // private memory below
    }
  }
  return new WasmGemm(false);
});

/**
 * C[m×n] = op(A)·op(B), float32, row-major; op = transpose where the flag is set. With
 * `accumulate`, C += op(A)·op(B) (e.g. summing per-tile filter gradients without a scratch add).
 * An indexed C (col2im) is always added into, row by row. An epilogue (C = act(C + bias), for
 * a plain C only) is applied as C is stored.
 */
export function gemm(m: number, n: number, k: number, a: Operand, transA: boolean, b: Operand, transB: boolean, c: Float32Array | Indexed, accumulate = false, epilogue?: Epilogue): void {
  if (m * n * k >= WASM_MIN_MACS) {
    const g = simdGemm();
    if (g && g.gemm(m, n, k, a, transA, b, transB, c, accumulate, epilogue)) return;
  }
  gemmHost(m, n, k, a, transA, b, transB, c, accumulate);
  if (epilogue && c instanceof Float32Array) {
    // The fused ops' own epilogue loop, on the m×n result.
    applyEpilogue(c, { shape: [n], dtype: 'float32', values: epilogue.bias }, epilogue.activation, { shape: [m, n], dtype: 'float32' });
  }
}

/** gemm on the plain-JS kernel. */
function gemmHost(m: number, n: number, k: number, a: Operand, transA: boolean, b: Operand, transB: boolean, c: Float32Array | Indexed, accumulate: boolean): void {
  if (k === 0) {
    if (c instanceof Float32Array && !accumulate) c.fill(0, 0, m * n);
    return;
  }
  // An indexed A reads as m×k, an indexed B as n×k (op(B)ᵀ).
  const A = a instanceof Float32Array ? packA(a, m, k, transA) : gathered(a, m, k);
  const B = b instanceof Float32Array ? packB(b, k, n, transB) : packB(gathered(b, n, k), k, n, true);
  if (c instanceof Float32Array && !accumulate) {
    gemmJs(m, n, k, A, B, c);
    return;
  }
  const tmp = new Float32Array(m * n);
  gemmJs(m, n, k, A, B, tmp);
  if (c instanceof Float32Array) {
    for (let i = 0; i < m * n; i++) c[i]! += tmp[i]!;
    return;
  }
  const region = new Float32Array(c.floats);
  c.load(region, 0);
  for (let i = 0; i < m; i++) for (let j = 0, o = c.outer[i]!; j < n; j++) region[o + c.inner[j]!]! += tmp[i * n + j]!;
  c.store!(region, 0);
}

/** The rows×k values of an indexed operand (the plain-JS path). */
function gathered(x: Indexed, rows: number, k: number): Float32Array {
  const src = new Float32Array(x.floats);
  x.load(src, 0);
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) for (let p = 0, o = x.outer[i]!; p < k; p++) out[i * k + p] = src[o + x.inner[p]!]!;
  return out;
}
