/**
 * The CPU kernels at sizes past the conformance samples — where they switch to the WebAssembly
 * GEMM, worker threads, tiled implicit im2col, the channel-major input gradient —
 * against the op declarations' float64 references. Tolerance: float32 round-off of sums of K
 * products, 1e-4 relative to 1 + |value| (K ≤ 1,152 here: √K·2⁻²⁴ ≈ 2e-6, K·2⁻²⁴ ≈ 7e-5 worst).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const D = ef.defs;
const conv = (s: [number, number], p: [number, number, number, number], d: [number, number] = [1, 1]) => ({ strides: s, pads: p, dilations: d });

const CASES: [string, ef.OpDef<any>, number[][], unknown][] = [
  ['matmul 300×500 · 500×400 (WebAssembly GEMM, workers)', D.matmulDef, [[300, 500], [500, 400]], { transposeA: false, transposeB: false }],
  ['matmul Aᵀ·Bᵀ 257×129 batched ×3', D.matmulDef, [[3, 129, 257], [3, 65, 129]], { transposeA: true, transposeB: true }],
  ['conv2d 3×3 SAME [8, 32, 32, 16] → 32', D.conv2dDef, [[8, 32, 32, 16], [3, 3, 16, 32]], conv([1, 1], [1, 1, 1, 1])],
  ['conv2d 5×5 stride 2 [16, 28, 28, 3] → 6 (few channels)', D.conv2dDef, [[16, 28, 28, 3], [5, 5, 3, 6]], conv([2, 2], [0, 0, 0, 0])],
  ['conv2d 1×1 [16, 14, 14, 64] → 96 (one GEMM)', D.conv2dDef, [[16, 14, 14, 64], [1, 1, 64, 96]], conv([1, 1], [0, 0, 0, 0])],
  ['conv2d dilation 2 [4, 24, 24, 8] → 12', D.conv2dDef, [[4, 24, 24, 8], [3, 3, 8, 12]], conv([1, 1], [2, 2, 2, 2], [2, 2])],
  ['conv2d backprop input [8, 32, 32, 16] ← 32', D.conv2dBackpropInputDef, [[8, 32, 32, 32], [3, 3, 16, 32]], { ...conv([1, 1], [1, 1, 1, 1]), inputShape: [8, 32, 32, 16] }],
  ['conv2d backprop filter [8, 32, 32, 16] → 32', D.conv2dBackpropFilterDef, [[8, 32, 32, 16], [8, 32, 32, 32]], { ...conv([1, 1], [1, 1, 1, 1]), filterShape: [3, 3, 16, 32] }],
  ['max pool 3×3 stride 2 [16, 56, 56, 8]', D.maxPoolDef, [[16, 56, 56, 8]], { ksize: [3, 3], strides: [2, 2], pads: [0, 1, 0, 1] }],
  ['avg pool 2×2 [16, 28, 28, 8]', D.avgPoolDef, [[16, 28, 28, 8]], { ksize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }],
  ['sum over the leading axes of [64, 28, 28, 6]', D.reduceDef, [[64, 28, 28, 6]], { op: 'sum', axes: [0, 1, 2], keepDims: false }],
  ['mean over a middle axis of [20, 700, 30]', D.reduceDef, [[20, 700, 30]], { op: 'mean', axes: [1], keepDims: false }],
  ['softmax over 3,000 classes', D.softmaxDef, [[8, 3000]], {}],
];

describe('CPU kernels at large shapes against the float64 references', () => {
  test.each(CASES)('%s', (_name, def, shapes, attrs) => {
    const hosts = shapes.map((shape, i) => {
      const t = ef.randomUniform(shape, { minval: -1, maxval: 1, seed: i + 1 });
      const values = t.dataSync() as Float32Array;
      t.dispose();
      return { shape, dtype: 'float32' as const, values };
    });
    const want = def.reference!.call(def, hosts, attrs);
    const got = ef.tidy(() => ef.apply(def, hosts.map((h) => ef.tensor(h.values, h.shape)), attrs));
    expect(got.map((t) => t.shape)).toEqual(want.map((w) => w.shape));
    got.forEach((t, k) => {
      const g = t.dataSync() as Float32Array;
      const w = want[k]!.values;
      let worst = 0;
      let at = 0;
      for (let i = 0; i < g.length; i++) {
        const e = Math.abs(g[i]! - Number(w[i])) / (1 + Math.abs(Number(w[i])));
        if (e > worst) [worst, at] = [e, i];
      }
      if (worst > 1e-4) throw new Error(`output ${k} element ${at}: cpu ${g[at]}, float64 ${w[at]} (relative error ${worst})`);
    });
    ef.dispose(got);
  });
});
