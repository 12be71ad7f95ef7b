import { describe, expect, test } from '@jest/globals';
import { gemm, gemmJs, simdGemm } from '../src/gemm.js';
import { Bytes } from '../src/wasm/emitter.js';
import { helperReady } from '../src/wasm/gemm_pool.js';
import { buildGemmModule } from '../src/wasm/gemm_module.js';
import { WasmGemm } from '../src/wasm/wasm_gemm.js';

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

/** float64 reference of a (m×k, row-major) · b (k×n, row-major). */
function reference(m: number, n: number, k: number, a: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const av = a[i * k + p]!;
    for (let j = 0; j < n; j++) out[i * n + j] += av * b[p * n + j]!;
  }
  return out;
}

function expectClose(got: Float32Array, want: ArrayLike<number>, k: number): void {
  const tol = 1e-6 * Math.max(8, k) * 4; // |values| < 1: float32 accumulation error grows with k
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst).toBeLessThan(tol);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 16],
  [5, 9, 3],
  [17, 13, 29],
  [33, 65, 257], // crosses the K block (256) and a column chunk edge
  [67, 31, 513],
  [130, 70, 300],
  [1, 300, 40], // GEMV-like
  [300, 1, 40],
];

describe('wasm SIMD gemm', () => {
  test('the emitter encodes LEB128 like the spec examples', () => {
    expect(Array.from(new Bytes().u32(624485).toUint8Array())).toEqual([0xe5, 0x8e, 0x26]);
    expect(Array.from(new Bytes().s32(-123456).toUint8Array())).toEqual([0xc0, 0xbb, 0x78]);
    expect(Array.from(new Bytes().s32(64).toUint8Array())).toEqual([0xc0, 0x00]);
    expect(Array.from(new Bytes().s32(-1).toUint8Array())).toEqual([0x7f]);
  });

  test('the generated module validates, and Node gets the SIMD path', () => {
    expect(WebAssembly.validate(buildGemmModule({ mr: 4, nr: 8, unroll: 4, fma: false, shared: false }))).toBe(true);
    expect(WebAssembly.validate(buildGemmModule({ mr: 6, nr: 12, unroll: 3, fma: false, shared: true, maximumPages: 16 }))).toBe(true);
    expect(simdGemm()).not.toBeNull();
  });

  for (const [m, n, k] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        test(`${m}x${n}x${k} transA=${transA} transB=${transB}: gemm (wasm) = gemmJs = float64 reference`, () => {
          const a = values(m * k, m * 31 + k);
          const b = values(k * n, n * 17 + k);
          const want = reference(m, n, k, a, b);
          const js = new Float32Array(m * n);
          gemmJs(m, n, k, a, b, js);
          expectClose(js, want, k);
          const c = new Float32Array(m * n).fill(NaN); // gemm overwrites C
          gemm(m, n, k, transA ? transpose(a, m, k) : a, transA, transB ? transpose(b, k, n) : b, transB, c);
          expectClose(c, want, k);
          // The same through a private (non-shared) memory engine.
          const c2 = new Float32Array(m * n);
          expect(new WasmGemm(false).gemm(m, n, k, transA ? transpose(a, m, k) : a, transA, transB ? transpose(b, k, n) : b, transB, c2)).toBe(true);
          expectClose(c2, want, k);
        });
      }
    }
  }

  test('big GEMMs split with the helper thread match, repeatedly, on subarray operands', async () => {
    const g = simdGemm()!;
    expect(g.shared).toBe(true); // Node: shared memory + helper worker
    for (let i = 0; i < 100 && !helperReady(g); i++) await new Promise((r) => setTimeout(r, 50));
    expect(helperReady(g)).toBe(true);
    const [m, n, k] = [203, 190, 161];
    const a = values(m * k + 5, 1).subarray(5);
    const b = values(k * n + 3, 2).subarray(3);
    const want = reference(m, n, k, a, b);
    const before = g.stats.helperChunks;
    // The helper takes chunks only when it wakes in time; on a loaded machine that may take a few jobs.
    const start = Date.now();
    for (let rep = 0; rep < 5 || (g.stats.helperChunks === before && Date.now() - start < 30_000); rep++) {
      if (rep % 20 === 19) await new Promise((r) => setTimeout(r, 50)); // let a starved helper run
      const c = new Float32Array(m * n + 2);
      gemm(m, n, k, a, false, b, false, c.subarray(1, 1 + m * n));
      expectClose(c.subarray(1, 1 + m * n), want, k);
      expect(c[0]).toBe(0);
      expect(c[m * n + 1]).toBe(0);
    }
    expect(g.stats.helperChunks).toBeGreaterThan(before);
  });

  test('accumulate adds op(A)·op(B) to C (wasm and JS paths)', () => {
    for (const [m, n, k] of [[3, 5, 7], [37, 41, 300]] as const) {
      const a = values(m * k, 5);
      const b = values(k * n, 6);
      const c0 = values(m * n, 7);
      const prod = reference(m, n, k, a, b);
      const c = c0.slice();
      gemm(m, n, k, transpose(a, m, k), true, b, false, c, true);
      expectClose(c, Array.from(prod, (v, i) => v + c0[i]!), k);
    }
  });

  test('k = 0 gives zeros', () => {
    const c = new Float32Array(12).fill(7);
    gemm(3, 4, 0, new Float32Array(0), false, new Float32Array(0), false, c);
    expect(Array.from(c)).toEqual(new Array(12).fill(0));
    const c2 = new Float32Array(64 * 64).fill(7);
    gemm(64, 64, 0, new Float32Array(0), false, new Float32Array(0), true, c2);
    expect(c2.every((v) => v === 0)).toBe(true);
  });
});
