import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

// The conformance samples are small enough to fit one im2col tile; these shapes need several
// (the column buffer holds 2^20 floats: K = 400 gives tiles of 2616 rows, so 2700 output pixels
// make a full tile ending mid-image and a short one).

beforeAll(async () => {
  await ef.setBackend('cpu');
});

function host(shape: ef.Shape, seed: number): ef.HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.fround(Math.sin(seed * 7.1 + i * 0.37) * 0.9);
  return { shape, dtype: 'float32', values };
}

function check(def: ef.OpDef<any>, inputs: ef.HostTensor[], attrs: unknown): void {
  const ts = inputs.map((h) => ef.tensor(Float32Array.from(h.values as Float64Array), h.shape));
  const got = ef.apply1(def, ts, attrs).dataSync() as Float32Array;
  const want = def.reference!(inputs, attrs)[0]!.values as Float64Array;
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-4);
}

describe('conv kernels across several im2col tiles', () => {
  const conv = { strides: [1, 1], dilations: [1, 1], pads: [2, 2, 2, 2] };
  const x = host([3, 30, 30, 16], 1);
  // Cout 9 runs pixel-major (cols · filter), Cout 3 channel-major (filterᵀ · colsᵀ).
  for (const co of [9, 3]) {
    const f = host([5, 5, 16, co], 2);
    const dy = host([3, 30, 30, co], 3);
    test(`conv2d, Cout ${co}`, () => check(ef.defs.conv2dDef, [x, f], conv));
    test(`conv2d_backprop_input, Cout ${co}`, () => check(ef.defs.conv2dBackpropInputDef, [dy, f], { ...conv, inputShape: x.shape }));
    test(`conv2d_backprop_filter, Cout ${co}`, () => check(ef.defs.conv2dBackpropFilterDef, [x, dy], { ...conv, filterShape: f.shape }));
  }
  test('strided, dilated and 1x1 variants', () => {
    const x2 = host([2, 17, 15, 12], 4);
    for (const co of [6, 10]) {
      const f2 = host([3, 3, 12, co], 5);
      const s2 = { strides: [2, 2], dilations: [1, 1], pads: [0, 1, 1, 1] };
      check(ef.defs.conv2dDef, [x2, f2], s2);
      check(ef.defs.conv2dBackpropInputDef, [host([2, 8, 8, co], 6), f2], { ...s2, inputShape: x2.shape });
      check(ef.defs.conv2dBackpropFilterDef, [x2, host([2, 8, 8, co], 6)], { ...s2, filterShape: f2.shape });
      const d2 = { strides: [1, 1], dilations: [2, 2], pads: [2, 2, 2, 2] };
      check(ef.defs.conv2dDef, [x2, f2], d2);
      check(ef.defs.conv2dBackpropInputDef, [host([2, 17, 15, co], 7), f2], { ...d2, inputShape: x2.shape });
      check(ef.defs.conv2dBackpropFilterDef, [x2, host([2, 17, 15, co], 7)], { ...d2, filterShape: f2.shape });
    }
    const p = { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] };
    check(ef.defs.conv2dDef, [x2, host([1, 1, 12, 6], 8)], p);
    check(ef.defs.conv2dBackpropInputDef, [host([2, 17, 15, 6], 9), host([1, 1, 12, 6], 8)], { ...p, inputShape: x2.shape });
    check(ef.defs.conv2dBackpropFilterDef, [x2, host([2, 17, 15, 6], 9)], { ...p, filterShape: [1, 1, 12, 6] });
  });
});

describe('pooling kernels on a larger input', () => {
  const x = host([2, 17, 15, 9], 11);
  for (const [name, attrs] of [
    ['k3 s2 explicit asymmetric pads', { ksize: [3, 3], strides: [2, 2], pads: [1, 1, 0, 1] }],
    ['k2 s2 VALID', { ksize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }],
  ] as const) {
    test(name, () => {
      const g = ef.defs.poolGeometry('t', x.shape, attrs as unknown as ef.PoolAttrs);
      const dy = host([g.n, g.oh, g.ow, g.c], 12);
      check(ef.defs.maxPoolDef, [x], attrs);
      check(ef.defs.avgPoolDef, [x], attrs);
      check(ef.defs.maxPoolGradDef, [x, dy], { ...attrs, inputShape: x.shape });
      check(ef.defs.avgPoolGradDef, [dy], { ...attrs, inputShape: x.shape });
      check(ef.defs.maxPoolGradGradDef, [x, host(x.shape, 13)], attrs);
    });
  }
});
