import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { adamLoop } from '../src/kernels/apply_adam.js';
import { simdUpdate, type BinaryOp } from '../src/wasm/wasm_update.js';

// The per-step updates in WebAssembly SIMD (wasm_update.ts) against the JS loops they replace:
// float32 add/sub/mul (full-size or scalar operands: the EMA update, the finite check) and
// apply_adam, bit for bit on ordinary values, ±0, ±Inf, denormals, overflow and NaN inputs.

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const SPECIAL = [0, -0, 1.5, -1.5, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38, -3.4e38, 1e-30, 2 ** -126];

function values(n: number, seed: number, specials = true): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = specials && s % 13 === 0 ? SPECIAL[(s >>> 8) % SPECIAL.length]! : (s / 2 ** 31 - 1) * 2 ** ((s >>> 3) % 9 - 4);
  }
  return a;
}

/** Equal bits; where both are NaN only NaN-ness is compared (arithmetic is free to pick the payload). */
function expectSame(got: Float32Array, want: Float32Array, what = ''): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) throw new Error(`${what} element ${i}: ${got[i]} (0x${g[i]!.toString(16)}) vs ${want[i]} (0x${w[i]!.toString(16)})`);
  }
}

/** The host loops' semantics: the float64 operation, rounded once on the float32 store. */
function jsBinary(op: BinaryOp, a: Float32Array, b: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.length === 1 ? a[0]! : a[i]!, y = b.length === 1 ? b[0]! : b[i]!;
    out[i] = op === 'add' ? x + y : op === 'sub' ? x - y : x * y;
  }
  return out;
}

/** Core's host evaluation of the elementwise row (what the kernel runs without WebAssembly). */
function hostBinary(op: BinaryOp, a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], outShape: number[]): Float32Array {
  const out = new Float32Array(outShape.reduce((p, d) => p * d, 1));
  ef.evalElementwise(ef.defs.ELEMENTWISE[op], [{ shape: aShape, dtype: 'float32', values: a }, { shape: bShape, dtype: 'float32', values: b }], {}, { shape: outShape, dtype: 'float32' }, out);
  return out;
}

describe('float32 add / sub / mul in WebAssembly', () => {
  const OPS: BinaryOp[] = ['add', 'sub', 'mul'];
  for (const op of OPS) {
    for (const n of [1, 3, 4, 5, 1023, 1024, 1025, 1027, 4099, 48000, 100003]) {
      test(`${op}, n = ${n}: full-size and scalar operands, the JS loop's bits`, () => {
        const a = values(n, n * 7 + 1), b = values(n, n * 7 + 2);
        // Every pairing of the special values in the first elements (Inf − Inf, 0 · Inf, −0 + −0, overflow, …).
        for (let i = 0, p = 0; p < SPECIAL.length ** 2 && i < n; i++, p++) {
          a[i] = SPECIAL[p % SPECIAL.length]!;
          b[i] = SPECIAL[Math.floor(p / SPECIAL.length)]!;
        }
        for (const [x, y] of [[a, b], [new Float32Array([0.01]), b], [a, new Float32Array([-0])], [new Float32Array([Infinity]), b], [a, new Float32Array([NaN])]] as const) {
          const want = jsBinary(op, x, y, n);
          const got = new Float32Array(n).fill(7);
          expect(simdUpdate()!.binary(op, x, y, got, n)).toBe(true);
          expectSame(got, want, `${op} wasm`);
          // Through the kernel (wasm from 1024 elements on) = core's host loop.
          const xs = x.length === 1 ? [] : [n], ys = y.length === 1 ? [] : [n];
          const api = ef[op](ef.tensor(x, xs), ef.tensor(y, ys));
          expectSame(api.dataSync() as Float32Array, hostBinary(op, x, xs, y, ys, [n]), `${op} kernel`);
          api.dispose();
        }
      });
    }
  }

  test('shapes: [1]- and [1, 1]-shaped scalars broadcast, same-size operands of another rank, broadcasts the wasm path leaves to the host loop', () => {
    const n = 2048;
    const a = values(n, 5), b = values(n, 6), s = new Float32Array([1.25]), row = values(64, 7);
    const cases: [Float32Array, number[], Float32Array, number[], number[]][] = [
      [a, [32, 64], s, [1], [32, 64]],
      [s, [1, 1], a, [32, 64], [32, 64]],
      [a, [32, 64], b, [1, 32, 64], [1, 32, 64]],
      [a, [32, 64], row, [64], [32, 64]], // a suffix broadcast: host loop
      [row, [1, 64], a, [32, 64], [32, 64]],
    ];
    for (const op of OPS) {
      for (const [x, xs, y, ys, os] of cases) {
        const t = ef[op](ef.tensor(x, xs), ef.tensor(y, ys));
        expect(t.shape).toEqual(os);
        expectSame(t.dataSync() as Float32Array, hostBinary(op, x, xs, y, ys, os), `${op} ${xs}∘${ys}`);
        t.dispose();
      }
    }
  });

  test('int32 operands stay on the host loop (integer semantics)', () => {
    const n = 2048;
    const a = Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0), b = Int32Array.from({ length: n }, (_, i) => (i * 40503) | 0);
    for (const op of OPS) {
      const got = ef[op](ef.tensor(a, [n], 'int32'), ef.tensor(b, [n], 'int32')).dataSync() as Int32Array;
      const want = new Int32Array(n);
      const info = { shape: [n], dtype: 'int32' as const };
      ef.evalElementwise(ef.defs.ELEMENTWISE[op], [{ ...info, values: a }, { ...info, values: b }], {}, info, want);
      expect(got).toBeInstanceOf(Int32Array);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  test('the EMA update sequence (shadow − (1 − decay)·(shadow − v)) equals the host loops', () => {
    const n = 48000;
    const shadow = values(n, 11), v = values(n, 12);
    const oneMinus = new Float32Array([Math.fround(1 - Math.fround(0.99))]);
    const d = hostBinary('sub', shadow, [n], v, [n], [n]);
    const want = hostBinary('sub', shadow, [n], hostBinary('mul', oneMinus, [], d, [n], [n]), [n], [n]);
    const t = ef.tidy(() => ef.sub(ef.tensor(shadow, [n]), ef.mul(ef.tensor(oneMinus, []), ef.sub(ef.tensor(shadow, [n]), ef.tensor(v, [n])))));
    expectSame(t.dataSync() as Float32Array, want, 'ema');
    t.dispose();
  });
});

describe('apply_adam in WebAssembly', () => {
  /** apply_adam.ts's JS loop. */
  function jsAdam(W: Float32Array, Mv: Float32Array, S: Float32Array, G: Float32Array, lrT: number, beta1: number, beta2: number, epsilon: number): Float32Array[] {
    const n = W.length;
    const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    adamLoop(W, Mv, S, G, out[0], out[1], out[2], n, beta1, beta2, epsilon, lrT);
    return [...out];
  }

  const HYPER: [number, number, number, number][] = [
    [Math.fround(0.001 * Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)), 0.9, 0.999, 1e-8],
    [Math.fround(0.1), 0.5, 0.75, 1e-3],
    [Math.fround(3e-5), 0.99, 0.9999, 0], // ε = 0: 0/0 and x/0 where v is 0
  ];
  for (const n of [1, 5, 255, 256, 257, 259, 4099, 48000]) {
    for (const [h, [lr, beta1, beta2, eps]] of HYPER.entries()) {
      test(`n = ${n}, hyperparameters #${h}: var, m, v bit for bit (±0, ±Inf, NaN, denormals, v = 0, overflow of g²)`, () => {
        const w = values(n, n + 1), m = values(n, n + 2), g = values(n, n + 4);
        const s = values(n, n + 3).map((x) => (Number.isNaN(x) ? x : Math.abs(x)));
        // Some rows whose v is exactly 0 (with g = 0 too), and huge gradients (g² overflows float32).
        for (let i = 0; i < n; i += 37) {
          s[i] = 0;
          g[i] = i % 74 === 0 ? 0 : -0;
        }
        for (let i = 5; i < n; i += 41) g[i] = i % 2 ? 3e38 : -2e30;
        const want = jsAdam(w, m, s, g, lr, beta1, beta2, eps);
        if (n >= 4) {
          const got = [new Float32Array(n).fill(3), new Float32Array(n).fill(3), new Float32Array(n).fill(3)];
          expect(simdUpdate()!.adam(w, m, s, g, got[0]!, got[1]!, got[2]!, n, beta1, beta2, eps, lr)).toBe(true);
          for (let k = 0; k < 3; k++) expectSame(got[k]!, want[k]!, `wasm output ${k}`);
        }
        // Through the kernel (wasm from 256 elements on).
        const inputs = [w, m, s, g].map((x) => ef.tensor(x, [n]));
        const lrT = ef.tensor(new Float32Array([lr]), []);
        const outs = ef.apply(ef.defs.applyAdamDef, [...inputs, lrT], { beta1, beta2, epsilon: eps });
        for (let k = 0; k < 3; k++) expectSame(outs[k]!.dataSync() as Float32Array, want[k]!, `kernel output ${k}`);
        ef.dispose([...inputs, lrT, ...outs]);
      });
    }
  }
});
