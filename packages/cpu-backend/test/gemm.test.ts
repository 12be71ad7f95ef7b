import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import { CPU_KERNELS } from '@eagerflow/cpu-backend';
import { gemm, gemmJs, simdGemm, type Indexed } from '../src/gemm.js';
import { Bytes } from '../src/wasm/emitter.js';
import { helperReady } from '../src/wasm/gemm_pool.js';
import { buildGemmModule } from '../src/wasm/gemm_module.js';
import { WasmGemm } from '../src/wasm/wasm_gemm.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

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

/*
 * Below: the WebAssembly GEMM's indexed paths (implicit im2col operands, col2im scatter-add into an
 * indexed C, the bias/relu store) and the conv kernels built on them: each must give exactly the
 * bits of the dense path it replaces (training results must not move).
 */
/** Equal bits, -0 ≠ +0; any NaN matches any NaN (JS and wasm arithmetic may give NaNs different payloads). */
function expectSameBits(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  let diff = -1;
  for (let i = 0; i < g.length && diff < 0; i++) if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) diff = i;
  if (diff >= 0) throw new Error(`element ${diff}: ${got[diff]} vs ${want[diff]}`);
}

/** Random offset tables over a source of `floats` values (rows × k elements, repeats allowed). */
function indexed(src: Float32Array, rows: number, k: number, seed: number): { op: Indexed; dense: Float32Array } {
  const half = Math.floor(src.length / 2);
  const outer = Int32Array.from(values(rows, seed), (v) => Math.floor(Math.abs(v) * half));
  const inner = Int32Array.from(values(k, seed + 1), (v) => Math.floor(Math.abs(v) * (src.length - half)));
  const dense = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) for (let p = 0; p < k; p++) dense[i * k + p] = src[outer[i]! + inner[p]!]!;
  return { op: { floats: src.length, outer, inner, load: (dst, off) => dst.set(src, off) }, dense };
}

const ENGINES = (): [string, WasmGemm][] => [
  ['shared memory + helper', simdGemm()!],
  ['private memory', new WasmGemm(false)],
];

describe('indexed GEMM operands (implicit im2col)', () => {
  // Edges: rows not a multiple of MR (4) / NR (8), K across the 256 block, one row or column.
  for (const [m, n, k] of [[5, 9, 7], [33, 65, 257], [130, 6, 300], [1, 40, 30], [40, 1, 30]] as const) {
    test(`${m}x${n}x${k}: indexed A, indexed B, both = the dense operands, bit for bit`, () => {
      const src = values(1000, m + n + k);
      const a = indexed(src, m, k, 3);
      const bT = indexed(src, n, k, 5); // B's rows are its n columns: dense holds op(B)ᵀ
      const want = new Float32Array(m * n);
      for (const [, g] of ENGINES()) {
        expect(g.gemm(m, n, k, a.dense, false, bT.dense, true, want)).toBe(true);
        for (const [ai, bi] of [[true, false], [false, true], [true, true]] as const) {
          const c = new Float32Array(m * n).fill(NaN);
          expect(g.gemm(m, n, k, ai ? a.op : a.dense, false, bi ? bT.op : bT.dense, !bi, c)).toBe(true);
          expectSameBits(c, want);
        }
      }
    });
  }

  test('the plain-JS path (small GEMMs) reads indexed operands the same way', () => {
    const [m, n, k] = [3, 5, 4];
    const src = values(64, 9);
    const a = indexed(src, m, k, 11);
    const bT = indexed(src, n, k, 13);
    const want = new Float32Array(m * n);
    gemm(m, n, k, a.dense, false, bT.dense, true, want);
    const c = new Float32Array(m * n);
    gemm(m, n, k, a.op, false, bT.op, false, c);
    expectSameBits(c, want);
  });
});

describe('indexed C (col2im scatter-add)', () => {
  for (const [m, n, k] of [[3, 5, 4], [37, 30, 20], [130, 150, 16]] as const) {
    test(`${m}x${n}x${k}: adds C into overlapping targets row by row, in column order`, () => {
      const a = values(m * k, 1);
      const b = values(k * n, 2);
      const region = values(m + n + 10, 3);
      // Overlapping windows, as col2im's: target (i, j) = 2i + j.
      const outer = Int32Array.from({ length: m }, (_, i) => 2 * i % (m + 10));
      const inner = Int32Array.from({ length: n }, (_, j) => j);
      const dense = new Float32Array(m * n);
      gemm(m, n, k, a, false, b, false, dense);
      const want = region.slice();
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[outer[i]! + inner[j]!] = Math.fround(want[outer[i]! + inner[j]!]! + dense[i * n + j]!);
      const got = region.slice();
      const c: Indexed = { floats: got.length, outer, inner, load: (dst, off) => dst.set(got, off), store: (src, off) => got.set(src.subarray(off, off + got.length)) };
      gemm(m, n, k, a, false, b, false, c);
      expectSameBits(got, want);
    });
  }
});

describe('the GEMM store: compaction, bias and relu', () => {
  const SPECIAL = [NaN, Infinity, -Infinity, 1e-40, -1e-40, 3.4e38, -3.4e38, 0, -2.5, 2.5];
  for (const n of [1, 6, 8, 13, 16]) {
    test(`n = ${n}: C = act(A·B + bias) as the fused ops' epilogue loop gives it`, () => {
      const [m, k] = [67, 3];
      const a = values(m * k, n);
      for (let i = 0; i < SPECIAL.length; i++) a[i * k] = SPECIAL[i]!; // NaN, infinities, denormals into C
      const b = values(k * n, 7);
      const bias = values(n, 8);
      bias[0] = -0;
      for (const [, g] of ENGINES()) {
        const plain = new Float32Array(m * n);
        expect(g.gemm(m, n, k, a, false, b, false, plain)).toBe(true);
        for (const activation of ['linear', 'relu'] as const) {
          const want = ef.apply1(ef.defs.EPILOGUES[activation], [ef.tensor(plain, [m, n]), ef.tensor(bias, [n])], {}).dataSync() as Float32Array;
          const c = new Float32Array(m * n + 1).fill(7);
          expect(g.gemm(m, n, k, a, false, b, false, c.subarray(0, m * n), false, { bias, activation })).toBe(true);
          expectSameBits(c.subarray(0, m * n), want);
          expect(c[m * n]).toBe(7); // nothing past C
        }
      }
    });
  }

  test('chunks shared with the helper thread give the single-thread bits', () => {
    const [m, n, k] = [130, 150, 600];
    const a = values(m * k, 1);
    const b = values(k * n, 2);
    const [[, shared], [, single]] = ENGINES();
    const want = new Float32Array(m * n);
    single.gemm(m, n, k, a, false, b, false, want);
    for (let rep = 0; rep < 5; rep++) {
      const c = new Float32Array(m * n);
      shared.gemm(m, n, k, a, false, b, false, c);
      expectSameBits(c, want);
    }
  });
});

describe('conv kernels = explicit im2col / col2im around the dense GEMM, bit for bit', () => {
  const K = CPU_KERNELS;
  const f32 = (shape: number[], seed: number) => ({ shape, dtype: 'float32' as const, values: values(shape.reduce((p, d) => p * d, 1), seed) });
  const CASES = [
    { name: 'LeNet conv1 (5×5 SAME, 1 → 6)', x: [16, 28, 28, 1], f: [5, 5, 1, 6], attrs: { strides: [1, 1], pads: [2, 2, 2, 2], dilations: [1, 1] } },
    { name: 'LeNet conv2 (5×5 VALID, 6 → 16)', x: [16, 14, 14, 6], f: [5, 5, 6, 16], attrs: { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] } },
    { name: '3×3 stride 2, asymmetric pads, 3 → 5', x: [3, 17, 15, 3], f: [3, 3, 3, 5], attrs: { strides: [2, 2], pads: [0, 1, 1, 1], dilations: [1, 1] } },
    { name: '3×3 dilation 2, 4 → 10', x: [2, 13, 11, 4], f: [3, 3, 4, 10], attrs: { strides: [1, 1], pads: [2, 2, 2, 2], dilations: [2, 2] } },
  ];
  for (const c of CASES) {
    const x = f32(c.x, 1);
    const f = f32(c.f, 2);
    const g = ef.defs.convGeometry('t', c.x, c.f, c.attrs as ef.Conv2DAttrs);
    const m = g.n * g.oh * g.ow;
    const k = g.kh * g.kw * g.ci;
    // cols[m × k]: row = output pixel, column = tap (ky, kx, c); -1 where the window reads padding.
    const at = new Int32Array(m * k);
    for (let b = 0, r = 0; b < g.n; b++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++, r++)
          for (let ky = 0, p = 0; ky < g.kh; ky++)
            for (let kx = 0; kx < g.kw; kx++)
              for (let ci = 0; ci < g.ci; ci++, p++) {
                const iy = oy * g.sh - g.pt + ky * g.dh;
                const ix = ox * g.sw - g.pl + kx * g.dw;
                at[r * k + p] = iy < 0 || iy >= g.h || ix < 0 || ix >= g.w ? -1 : ((b * g.h + iy) * g.w + ix) * g.ci + ci;
              }
    const cols = Float32Array.from(at, (i) => (i < 0 ? 0 : x.values[i]!));
    const dy = f32([g.n, g.oh, g.ow, g.co], 3);

    test(`${c.name}: conv2d and fused conv2d (linear, relu, elu)`, () => {
      const want = new Float32Array(m * g.co);
      gemm(m, g.co, k, cols, false, f.values, false, want);
      const out = [{ shape: [g.n, g.oh, g.ow, g.co], dtype: 'float32' as const }];
      expectSameBits(K.conv2d!([x, f], c.attrs, out)[0] as Float32Array, want);
      const bias = f32([g.co], 4);
      for (const activation of ['linear', 'relu', 'elu'] as const) {
        const fused = ef.apply1(ef.defs.EPILOGUES[activation], [ef.tensor(want, out[0]!.shape), ef.tensor(bias.values, [g.co])], {}).dataSync() as Float32Array;
        expectSameBits(K.fused_conv2d!([x, f, bias], { ...c.attrs, activation }, out)[0] as Float32Array, fused);
      }
    });

    test(`${c.name}: conv2d_backprop_filter`, () => {
      // One im2col tile at these sizes: dW = colsᵀ · dy.
      const want = new Float32Array(k * g.co);
      gemm(k, g.co, m, cols, true, dy.values, false, want);
      expectSameBits(K.conv2d_backprop_filter!([x, dy], { ...c.attrs, filterShape: c.f }, [{ shape: c.f, dtype: 'float32' }])[0] as Float32Array, want);
    });

    test(`${c.name}: conv2d_backprop_input`, () => {
      // colsGrad = dy · filterᵀ, added into dx pixel by pixel, tap by tap (channel-major: tap by tap, pixel by pixel).
      const fT = new Float32Array(k * g.co);
      for (let p = 0; p < k; p++) for (let j = 0; j < g.co; j++) fT[j * k + p] = f.values[p * g.co + j]!;
      const colsGrad = new Float32Array(m * k);
      gemm(m, k, g.co, dy.values, false, fT, false, colsGrad);
      const want = new Float32Array(x.values.length);
      const add = (r: number, p: number) => {
        if (at[r * k + p]! >= 0) want[at[r * k + p]!] = Math.fround(want[at[r * k + p]!]! + colsGrad[r * k + p]!);
      };
      if (g.co <= 8) for (let p = 0; p < k; p++) for (let r = 0; r < m; r++) add(r, p);
      else for (let r = 0; r < m; r++) for (let p = 0; p < k; p++) add(r, p);
      expectSameBits(K.conv2d_backprop_input!([dy, f], { ...c.attrs, inputShape: c.x }, [{ shape: c.x, dtype: 'float32' }])[0] as Float32Array, want);
    });
  }
});
