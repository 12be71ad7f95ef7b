import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { maxPoolArgmax } from '../src/pool_util.js';
import { simdPool } from '../src/wasm/wasm_pool.js';

// The CPU fast paths (branch-free ReLU loops and relu epilogue, branch-free 2×2 max-pool argmax, leading-axis
// sums, suffix broadcasts) against the plain definitions, on the edge values they must keep.

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const SPECIAL = [0, -0, 1.5, -1.5, Infinity, -Infinity, NaN, -NaN, 1e-40, -1e-40, 3.4e38, -3.4e38];

function values(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i < SPECIAL.length ? SPECIAL[i]! : Math.sin(i * 12.9898) * 3;
  // A negative NaN (sign bit set), as x86 produces for 0/0.
  new Uint32Array(a.buffer)[7] = 0xffc00000;
  return a;
}

describe('branch-free ReLU loops', () => {
  const n = 4096; // above the pool's small-array size, like a real activation
  const x = values(n);
  const dy = Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 2 - (i === 3 ? NaN : 0));
  test('relu matches max(a, 0) bit for bit (NaN kept, -0 → +0)', () => {
    const got = ef.nn.relu(ef.tensor(x, [n])).dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(Object.is(got[i], Math.fround(Math.max(x[i]!, 0)))).toBe(true);
  });
  test('reluGrad matches select(x > 0, dy, 0)', () => {
    const got = ef.apply1(ef.defs.ELEMENTWISE.reluGrad, [ef.tensor(dy, [n]), ef.tensor(x, [n])], {}).dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(Object.is(got[i], x[i]! > 0 ? dy[i]! : 0)).toBe(true);
  });
  test('the fused ops\' relu epilogue matches max(a + bias, 0) bit for bit', () => {
    const c = 8;
    const bias = new Float32Array([0, -0, 1.5, -1.5, 1e-40, -3.4e38, 3.4e38, -1]);
    const got = ef.apply1(ef.defs.EPILOGUES.relu, [ef.tensor(x, [n / c, c]), ef.tensor(bias, [c])], {}).dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(Object.is(got[i], Math.fround(Math.max(Math.fround(x[i]! + bias[i % c]!), 0)))).toBe(true);
  });
});

describe('max pooling 2×2 argmax', () => {
  test('ties and ±0 go to the first element in row-major order; NaN never wins after the first', () => {
    // One image 2×4×2: windows [0..1]×[0..1] and [0..1]×[2..3], two channels.
    const x = new Float32Array([
      -0, 1, 0, 1, /* row 0: (0,0) (0,1) */ 5, 2, NaN, 2,
      0, 1, 2, 1, /* row 1 */ 5, 2, 1, 0,
    ]);
    const t = ef.tensor(x, [1, 2, 4, 2]);
    const y = ef.nn.maxPool(t, 2, 2, 'VALID').dataSync() as Float32Array;
    expect(Array.from(y)).toEqual([2, 1, 5, 2]);
    const dy = ef.tensor(new Float32Array([10, 20, 30, 40]), [1, 1, 2, 2]);
    const dx = ef.apply1(ef.defs.maxPoolGradDef, [t, dy], { ksize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], inputShape: [1, 2, 4, 2] }).dataSync() as Float32Array;
    // ch0 window 0: -0, 0, 0, 2 → the 2 (index 10); ch1: 1, 1, 1, 1 → the first (1).
    // ch0 window 1: 5, NaN, 5, 1 → the first 5 (4); ch1: 2, 2, 2, 0 → the first (5).
    expect(Array.from(dx)).toEqual([0, 20, 0, 0, 30, 40, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0]);
    // A NaN first in its window stays the maximum (comparisons with NaN are false), as before.
    const z = ef.nn.maxPool(ef.tensor(new Float32Array([NaN, 1, 2, 3]), [1, 2, 2, 1]), 2, 2, 'VALID').dataSync();
    expect(Number.isNaN(z[0])).toBe(true);
  });
});

describe('max pooling 2×2 stride 2 in wasm SIMD', () => {
  // Against the plain loops (maxPoolArgmax, then gather / `dx[arg] += dy` on zeros), bit for bit.
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  // Few distinct values (many ties), ±0, ±Infinity, NaN and a negative NaN.
  const PICK = [0, -0, 1, 1, 2, -1, Infinity, -Infinity, NaN, 3, 3, -0.5];
  function data(n: number, seed: number): Float32Array {
    const a = new Float32Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a[i] = PICK[s % PICK.length]!;
      if (s % 97 === 0) new Uint32Array(a.buffer)[i] = 0xffc00000;
    }
    return a;
  }
  test('the SIMD engine exists here (so the cases below test it)', () => {
    expect(simdPool()).not.toBeNull();
  });
  // [n, h, w, c, padding]: odd sizes (VALID drops the rest; SAME pads, the plain loops then),
  // batch 1, channels not a multiple of 4 (an overlapping last chunk), c < 4 (plain loops).
  const cases: [number, number, number, number, 'VALID' | 'SAME'][] = [
    [1, 2, 2, 4, 'VALID'], [1, 5, 7, 6, 'VALID'], [2, 6, 8, 5, 'SAME'], [3, 7, 5, 4, 'SAME'], [2, 4, 4, 16, 'VALID'],
    [1, 4, 6, 3, 'VALID'], [4, 9, 9, 13, 'VALID'], [2, 28, 28, 6, 'SAME'], [3, 10, 11, 7, 'VALID'], [1, 3, 3, 8, 'VALID'],
  ];
  test.each(cases)('[%i, %i, %i, %i] %s: forward and gradient match the plain loops', (n, h, w, c, padding) => {
    const pads: [number, number, number, number] = padding === 'SAME' ? [0, h % 2, 0, w % 2] : [0, 0, 0, 0];
    const attrs = { ksize: [2, 2] as [number, number], strides: [2, 2] as [number, number], pads };
    const xs = [n, h, w, c];
    const x = data(n * h * w * c, n * 1000 + h * 100 + w * 10 + c);
    const g = ef.defs.poolGeometry('maxPool', xs, attrs);
    const size = g.n * g.oh * g.ow * g.c;
    const dyv = data(size, 7 + c);
    for (let i = 0; i < size; i += 5) dyv[i] = Math.sin(i) * 4; // also non-tie gradients
    const arg = maxPoolArgmax(x, g);
    const wantY = new Float32Array(size);
    const wantDx = new Float32Array(x.length);
    for (let i = 0; i < size; i++) {
      wantY[i] = x[arg[i]!]!;
      wantDx[arg[i]!] += dyv[i]!;
    }
    const xt = ef.tensor(x, xs);
    const dy = ef.tensor(dyv, [n, g.oh, g.ow, c]);
    // Twice: the second call gets recycled (dirty) arrays, and the wasm memory holds the last call's data.
    for (let rep = 0; rep < 2; rep++) {
      const y = ef.apply1(ef.defs.maxPoolDef, [xt], attrs);
      const dx = ef.apply1(ef.defs.maxPoolGradDef, [xt, dy], { ...attrs, inputShape: xs });
      expect(bits(y.dataSync() as Float32Array)).toEqual(bits(wantY));
      expect(bits(dx.dataSync() as Float32Array)).toEqual(bits(wantDx));
      y.dispose();
      dx.dispose();
    }
    xt.dispose();
    dy.dispose();
  });
});

describe('leading-axis reductions and suffix broadcasts', () => {
  const shape = [3, 5, 7, 6];
  const n = 3 * 5 * 7 * 6;
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 4);
  test('sum and mean over leading axes', () => {
    for (const op of ['sum', 'mean'] as const) {
      for (const axes of [[0], [0, 1], [0, 1, 2]]) {
        const got = ef.apply1(ef.defs.reduceDef, [ef.tensor(x, shape)], { op, axes, keepDims: false }).dataSync() as Float32Array;
        const cols = n / axes.reduce((a, d) => a * shape[d]!, 1);
        const rows = n / cols;
        for (let j = 0; j < cols; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += x[r * cols + j]!;
          expect(got[j]).toBeCloseTo(op === 'mean' ? s / rows : s, 4);
        }
      }
    }
  });
  test('add with a [c] and a [1, w, c] operand', () => {
    const b = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    const got = ef.add(ef.tensor(x, shape), ef.tensor(b, [6])).dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(got[i]).toBe(Math.fround(x[i]! + b[i % 6]!));
    const b2 = Float32Array.from({ length: 42 }, (_, i) => i * 0.5);
    const got2 = ef.sub(ef.tensor(b2, [1, 7, 6]), ef.tensor(x, shape)).dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(got2[i]).toBe(Math.fround(b2[i % 42]! - x[i]!));
  });
});

describe('conv2d_backprop_filter after conv2d', () => {
  test('on the same x (several tiles), and after x is recycled: nothing stale from the forward pass', () => {
    // Cout 3 (few channels). K = 75, 2·41·41 = 3362 rows: 1 tile of 13976 rows holds it all; the
    // [6,…] case needs several.
    for (const n of [2, 6]) {
      const attrs: ef.Conv2DAttrs = { strides: [1, 1], dilations: [1, 1], pads: [2, 2, 2, 2] };
      const xs = [n, 41, 41, 3];
      const size = xs.reduce((a, b) => a * b, 1);
      const xv = Float64Array.from({ length: size }, (_, i) => Math.fround(Math.sin(i * 0.31)));
      const fv = Float64Array.from({ length: 75 * 3 }, (_, i) => Math.fround(Math.cos(i * 0.7)));
      const dyv = Float64Array.from({ length: n * 41 * 41 * 3 }, (_, i) => Math.fround(Math.sin(i * 0.13 + 1)));
      const x = ef.tensor(Float32Array.from(xv), xs);
      const f = ef.tensor(Float32Array.from(fv), [5, 5, 3, 3]);
      const dy = ef.tensor(Float32Array.from(dyv), [n, 41, 41, 3]);
      const want = ef.defs.conv2dBackpropFilterDef.reference!(
        [{ shape: xs, dtype: 'float32', values: xv }, { shape: [n, 41, 41, 3], dtype: 'float32', values: dyv }],
        { ...attrs, filterShape: [5, 5, 3, 3] },
      )[0]!.values as Float64Array;
      const close = (got: Float32Array, sign = 1) => {
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - sign * want[i]!) / (1 + Math.abs(want[i]!)));
        expect(worst).toBeLessThan(1e-4);
      };
      ef.apply1(ef.defs.conv2dDef, [x, f], attrs).dispose();
      close(ef.apply1(ef.defs.conv2dBackpropFilterDef, [x, dy], { ...attrs, filterShape: [5, 5, 3, 3] }).dataSync() as Float32Array);
      // x released and its array handed out again with other contents.
      ef.apply1(ef.defs.conv2dDef, [x, f], attrs).dispose();
      x.dispose();
      const x1 = ef.tensor(Float32Array.from(xv), xs);
      const x2 = ef.neg(x1); // likely in x's recycled array
      x1.dispose();
      close(ef.apply1(ef.defs.conv2dBackpropFilterDef, [x2, dy], { ...attrs, filterShape: [5, 5, 3, 3] }).dataSync() as Float32Array, -1);
      [x2, f, dy].forEach((t) => t.dispose());
    }
  });
});
