import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import type { Indexed } from '../src/gemm.js';
import { WasmGemm } from '../src/wasm/wasm_gemm.js';
import { simdGrad } from '../src/wasm/wasm_grad.js';

// The WebAssembly paths that only move or select bits (vector gathers of contiguous runs, packing
// a partial panel, the ReLU gradient) or keep the JS summation order (bias-gradient column sums)
// against the paths they replace: every bit, NaN/±0/±Inf/denormals included.

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const SPECIAL = [0, -0, 1.5, -1.5, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38, -3.4e38];

function values(n: number, seed: number, specials = true): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = specials && s % 17 === 0 ? SPECIAL[(s >>> 8) % SPECIAL.length]! : s / 2 ** 31 - 1;
  }
  if (specials && n > 7) new Uint32Array(a.buffer)[7] = 0xffc00001; // a negative NaN with a payload
  return a;
}

/** Equal bits (NaNs included: these paths copy them). */
function expectBits(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) if (g[i] !== w[i]) throw new Error(`element ${i}: ${got[i]} (0x${g[i]!.toString(16)}) vs ${want[i]} (0x${w[i]!.toString(16)})`);
}

/** Equal bits, except that any NaN matches any NaN (arithmetic may give NaNs other payloads). */
function expectSameValues(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) throw new Error(`element ${i}: ${got[i]} vs ${want[i]}`);
}

/** Offsets in runs of `run` consecutive values (a new run starts `gap` further on), as conv taps and pixels are. */
function runs(count: number, run: number, gap: number, start = 0): Int32Array {
  const t = new Int32Array(count);
  for (let i = 0, o = start; i < count; i++) {
    t[i] = o;
    o += (i + 1) % run === 0 ? gap : 1;
  }
  return t;
}

function indexedOf(src: Float32Array, outer: Int32Array, inner: Int32Array): { op: Indexed; dense: Float32Array } {
  const dense = new Float32Array(outer.length * inner.length);
  for (let i = 0; i < outer.length; i++) for (let p = 0; p < inner.length; p++) dense[i * inner.length + p] = src[outer[i]! + inner[p]!]!;
  return { op: { floats: src.length, outer, inner, load: (dst, off) => dst.set(src, off) }, dense };
}

describe('vector gathers of contiguous offsets', () => {
  const g = new WasmGemm(false);
  // [rows, k, outer run, inner run]: rows in runs (whole vector panels, broken ones, padded last
  // panels), steps in runs (whole quads, quads across a break, k % 4 tails, k across the 256 block).
  const CASES: [number, number, number, number][] = [
    [28, 25, 28, 5], // conv1-like: pixels in runs of 28, taps in runs of 5
    [25, 61, 5, 28], // its transpose (filter gradient)
    [37, 150, 1, 30], // conv2-like: pixels apart, taps in runs of 30
    [150, 37, 30, 1],
    [64, 300, 64, 300], // everything contiguous, K across the block
    [13, 7, 3, 2],
    [9, 1, 9, 1],
    [1, 9, 1, 9],
  ];
  for (const [rows, k, runO, runI] of CASES) {
    test(`${rows} rows × ${k} steps, runs of ${runO} / ${runI}: indexed A and B = dense, bit for bit`, () => {
      const outer = runs(rows, runO, 7);
      const inner = runs(k, runI, 11, 3);
      const src = values(outer[rows - 1]! + inner[k - 1]! + 5, rows * 31 + k);
      const x = indexedOf(src, outer, inner);
      const other = values(k * 19, 5);
      // As A (gather4): C[rows × 19]; as B (gather8): C[19 × rows] with op(B)ᵀ = x.
      for (const n of [19, 8, 3]) {
        const want = new Float32Array(rows * n);
        expect(g.gemm(rows, n, k, x.dense, false, other, false, want)).toBe(true);
        const got = new Float32Array(rows * n).fill(7);
        expect(g.gemm(rows, n, k, x.op, false, other, false, got)).toBe(true);
        expectSameValues(got, want);
        const wantT = new Float32Array(n * rows);
        expect(g.gemm(n, rows, k, other, true, x.dense, true, wantT)).toBe(true);
        const gotT = new Float32Array(n * rows).fill(7);
        expect(g.gemm(n, rows, k, other, true, x.op, false, gotT)).toBe(true);
        expectSameValues(gotT, wantT);
      }
    });
  }
});

describe('packing a partial panel', () => {
  const g = new WasmGemm(false);
  // m, n not multiples of MR (4) / NR (8): the last panels repeat their last real row; C must equal
  // the corner of the same product on zero-padded whole panels.
  for (const [m, n, k] of [[6, 6, 25], [5, 13, 300], [1, 1, 9], [130, 70, 31], [3, 17, 4]] as const) {
    test(`${m}x${n}x${k} (NaN, ±Inf, ±0 in the operands)`, () => {
      const mP = Math.ceil(m / 4) * 4, nP = Math.ceil(n / 8) * 8;
      const a = values(m * k, m + k), b = values(k * n, n + k + 1);
      const aP = new Float32Array(mP * k), bP = new Float32Array(k * nP);
      aP.set(a);
      for (let p = 0; p < k; p++) bP.set(b.subarray(p * n, (p + 1) * n), p * nP);
      const full = new Float32Array(mP * nP);
      expect(g.gemm(mP, nP, k, aP, false, bP, false, full)).toBe(true);
      const want = new Float32Array(m * n);
      for (let i = 0; i < m; i++) want.set(full.subarray(i * nP, i * nP + n), i * n);
      for (const [transA, transB] of [[false, false], [true, true]] as const) {
        const aOp = transA ? transposeOf(a, m, k) : a;
        const bOp = transB ? transposeOf(b, k, n) : b;
        const got = new Float32Array(m * n);
        expect(g.gemm(m, n, k, aOp, transA, bOp, transB, got)).toBe(true);
        expectSameValues(got, want);
      }
    });
  }
});

function transposeOf(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

describe('ReLU gradient in WebAssembly', () => {
  /** The JS bit loop (elementwise_host.ts BIT_LOOPS.reluGrad). */
  function jsReluGrad(dy: Float32Array, x: Float32Array): Float32Array {
    const a = new Int32Array(dy.buffer, dy.byteOffset, dy.length), b = new Int32Array(x.buffer, x.byteOffset, x.length);
    const out = new Int32Array(dy.length);
    for (let i = 0; i < out.length; i++) {
      const t = (b[i]! - 1) | 0;
      out[i] = a[i]! & ~(t >> 31) & ((t - 0x7f800000) >> 31);
    }
    return new Float32Array(out.buffer);
  }
  for (const n of [1, 3, 4, 5, 4096, 4097, 4099, 100003]) {
    test(`n = ${n}: the JS bit loop's bits (NaN payloads, ±0, ±Inf, denormals)`, () => {
      const dy = values(n, n), x = values(n, n + 1);
      const bx = new Uint32Array(x.buffer);
      // Every x bit pattern class: ±0, denormals, ±Inf, NaNs (both signs), int32 extremes.
      const edges = [0, 0x80000000, 1, 0x80000001, 0x7f800000, 0xff800000, 0x7f800001, 0x7fffffff, 0xffffffff, 0x7f7fffff];
      for (let i = 0; i < Math.min(n, edges.length); i++) bx[i] = edges[i]!;
      const want = jsReluGrad(dy, x);
      const got = new Float32Array(n).fill(9);
      expect(simdGrad()!.reluGrad(dy, x, got, n)).toBe(true);
      expectBits(got, want);
      if (n >= 4096) {
        // Through the kernel (wasm from 4096 elements on).
        const api = ef.apply1(ef.defs.ELEMENTWISE.reluGrad, [ef.tensor(dy, [n]), ef.tensor(x, [n])], {}).dataSync() as Float32Array;
        expectBits(api, want);
      }
    });
  }
});

describe('bias-gradient column sums in WebAssembly', () => {
  /** sumLeading's loop (reduce.ts): float64 column sums, row by row. */
  function jsSums(x: Float32Array, rows: number, cols: number): Float64Array {
    const acc = new Float64Array(cols);
    for (let r = 0, base = 0; r < rows; r++, base += cols) for (let j = 0; j < cols; j++) acc[j] = acc[j]! + x[base + j]!;
    return acc;
  }
  for (const [rows, cols] of [[1, 2], [3, 3], [4096, 2], [683, 6], [100, 16], [128, 120], [129, 84], [128, 10], [7, 17]] as const) {
    test(`${rows} rows × ${cols} columns: the same float64 sums`, () => {
      const x = values(rows * cols, rows + cols);
      if (rows * cols > 40) {
        // Columns of only -0 (stay +0 from the +0 start), only denormals, and one with +Inf and -Inf (NaN).
        for (let r = 0; r < rows; r++) x[r * cols] = -0;
        for (let r = 0; r < rows; r++) x[r * cols + 1] = 1e-42;
      }
      const want = jsSums(x, rows, cols);
      const got = new Float64Array(cols).fill(5);
      expect(simdGrad()!.sumRows(x, rows, cols, got)).toBe(true);
      for (let j = 0; j < cols; j++) expect(Object.is(got[j], want[j]) || (Number.isNaN(got[j]) && Number.isNaN(want[j]))).toBe(true);
      if (rows * cols >= 4096) {
        const api = ef.reduceSum(ef.tensor(x, [rows, 1, cols]), [0, 1]).dataSync() as Float32Array;
        const wantF = Float32Array.from(want);
        expectSameValues(api, wantF);
      }
    });
  }
  test('a wide mean through the kernel (÷ rows after the float64 sums)', () => {
    const [rows, cols] = [512, 24];
    const x = values(rows * cols, 3, false);
    const want = Float32Array.from(jsSums(x, rows, cols), (s) => s / rows);
    expectBits(ef.reduceMean(ef.tensor(x, [8, 64, cols]), [0, 1]).dataSync() as Float32Array, want);
  });
});
