import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const nhwc = (values: number[], h: number, w: number, c = 1) => ef.tensor(values, [1, h, w, c]);
const iota = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const ones = (kh: number, kw: number) => ef.ones([kh, kw, 1, 1]);

describe('nn.conv2d', () => {
  test('hand-computed VALID and SAME (stride 1, 2x2 ones)', () => {
    const x = nhwc(iota(9), 3, 3);
    const valid = ef.nn.conv2d(x, ones(2, 2), 1, 'VALID');
    expect(valid.shape).toEqual([1, 2, 2, 1]);
    expect(vals(valid)).toEqual([12, 16, 24, 28]);
    // SAME, even window: total padding 1 goes after (bottom/right).
    expect(vals(ef.nn.conv2d(x, ones(2, 2), 1, 'SAME'))).toEqual([12, 16, 9, 24, 28, 15, 15, 17, 9]);
  });

  test('SAME with stride 2 pads top/left floor(total/2), the rest after', () => {
    // 4x4, k3, s2: out 2, total = (2-1)·2 + 3 - 4 = 1 -> top 0, bottom 1 (and left 0, right 1).
    const x = nhwc(iota(16), 4, 4);
    const y = ef.nn.conv2d(x, ones(3, 3), 2, 'SAME');
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(vals(y)).toEqual([1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, 3 + 4 + 7 + 8 + 11 + 12, 9 + 10 + 11 + 13 + 14 + 15, 11 + 12 + 15 + 16]);
    // 5x5, k3, s2: total 2 -> one on each side.
    const x5 = nhwc(iota(25), 5, 5);
    const y5 = ef.nn.conv2d(x5, ones(3, 3), 2, 'SAME');
    expect(y5.shape).toEqual([1, 3, 3, 1]);
    expect(vals(y5)[0]).toBe(1 + 2 + 6 + 7);
    expect(vals(y5)[4]).toBe(7 + 8 + 9 + 12 + 13 + 14 + 17 + 18 + 19);
  });

  test('strides, padding and dilations accept TensorFlow spellings', () => {
    const x = ef.tensor(Array.from({ length: 2 * 6 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 6, 5, 3]);
    const f = ef.tensor(Array.from({ length: 3 * 3 * 3 * 2 }, (_, i) => Math.cos(i)), [3, 3, 3, 2]);
    const ref = vals(ef.nn.conv2d(x, f, [2, 2], 'SAME'));
    expect(vals(ef.nn.conv2d(x, f, 2, 'same'))).toEqual(ref);
    expect(vals(ef.nn.conv2d(x, f, [1, 2, 2, 1], 'Same'))).toEqual(ref);
    // SAME here is 6x5 in, out 3x3: H total 1 (0, 1), W total 2 (1, 1).
    expect(vals(ef.nn.conv2d(x, f, 2, [[0, 0], [0, 1], [1, 1], [0, 0]]))).toEqual(ref);
    expect(vals(ef.nn.conv2d(x, f, 2, [[0, 1], [1, 1]]))).toEqual(ref);
    const d1 = vals(ef.nn.conv2d(x, f, 1, 'VALID', { dilations: 2 }));
    expect(vals(ef.nn.conv2d(x, f, 1, 'VALID', { dilations: [1, 2, 2, 1] }))).toEqual(d1);
  });

  test('dilation equals a conv with a zero-inserted filter', () => {
    const x = ef.tensor(Array.from({ length: 7 * 7 * 2 }, (_, i) => Math.sin(i * 0.7)), [1, 7, 7, 2]);
    const fv = Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.cos(i));
    const f = ef.tensor(fv, [2, 2, 2, 3]);
    const big = new Array(3 * 3 * 2 * 3).fill(0);
    for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) for (let e = 0; e < 6; e++) big[(ky * 2 * 3 + kx * 2) * 6 + e] = fv[(ky * 2 + kx) * 6 + e];
    const dilated = ef.nn.conv2d(x, f, 1, 'SAME', { dilations: 2 });
    const plain = ef.nn.conv2d(x, ef.tensor(big, [3, 3, 2, 3]), 1, 'SAME');
    expect(dilated.shape).toEqual([1, 7, 7, 3]);
    expectClose(vals(dilated), vals(plain), 1e-6);
  });

  test('clear errors', () => {
    const x = ef.zeros([1, 5, 5, 3]);
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 4, 2]), 1, 'SAME')).toThrow('conv2d: input channels 3 do not match filter in-channels 4');
    expect(() => ef.nn.conv2d(ef.zeros([5, 5, 3]), ef.zeros([3, 3, 3, 2]), 1, 'SAME')).toThrow('conv2d: input must be rank 4 [batch, height, width, channels], found shape [5,5,3]');
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), [2, 2, 2, 2], 'SAME')).toThrow('conv2d: strides [2,2,2,2] must be 1 in the batch and channel dimensions (NHWC), found 2 and 2');
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), 0, 'SAME')).toThrow('conv2d: strides must be positive integers, found 0');
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), 1, 'FULL')).toThrow(`conv2d: padding must be 'SAME', 'VALID' or explicit pairs, found 'FULL'`);
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), 1, [[1, 1], [0, 0], [0, 0], [0, 0]])).toThrow('must be [0, 0] in the batch and channel dimensions');
    expect(() => ef.nn.conv2d(x, ef.zeros([7, 3, 3, 2]), 1, 'VALID')).toThrow('conv2d: filter window 7x3 is larger than the padded input 5x5');
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), 2, 'SAME', { dilations: 2 })).toThrow('cannot both exceed 1');
    expect(() => ef.nn.conv2d(ef.zeros([1, 5, 5, 3], 'int32'), ef.zeros([3, 3, 3, 2]), 1, 'SAME')).toThrow('conv2d: input must be float32, found int32');
    expect(() => ef.nn.conv2d(x, ef.zeros([3, 3, 3, 2]), 1, 'SAME', { dataFormat: 'NCHW' })).toThrow(`conv2d: dataFormat 'NCHW' is not supported; use 'NHWC'`);
  });

  test('gradients: filter gradient of a sum is the sum of input windows; input gradient counts taps', () => {
    const x = nhwc(iota(9), 3, 3);
    const w = ones(2, 2);
    const [dx, dw] = ef.grads((a, b) => ef.reduceSum(ef.nn.conv2d(a, b, 1, 'VALID')))([x, w]);
    expect(vals(dw)).toEqual([12, 16, 24, 28]);
    expect(vals(dx)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });

  test('second order: Hessian-vector product of ½‖conv(x, w)‖² in x is Bᵀ(conv(v, w))', () => {
    const x = ef.tensor(Array.from({ length: 2 * 5 * 4 * 2 }, (_, i) => Math.sin(i)), [2, 5, 4, 2]);
    const v = ef.tensor(Array.from({ length: 2 * 5 * 4 * 2 }, (_, i) => Math.cos(3 * i)), [2, 5, 4, 2]);
    const w = ef.tensor(Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => Math.sin(2 * i + 1)), [3, 2, 2, 3]);
    const f = (t: ef.Tensor) => ef.mul(ef.reduceSum(ef.square(ef.nn.conv2d(t, w, 2, 'SAME'))), 0.5);
    const hv = ef.grad((t) => ef.reduceSum(ef.mul(ef.grad(f)(t), v)))(x);
    const want = ef.nn.conv2dBackpropInput(x.shape, w, ef.nn.conv2d(v, w, 2, 'SAME'), 2, 'SAME');
    expectClose(vals(hv), vals(want), 1e-4);
    // And in w: d/dw <∇x f, v> = dW(x, conv(v, w)) + dW(v, conv(x, w)).
    const gw = ef.grad((u) => ef.reduceSum(ef.mul(ef.grad((t) => ef.mul(ef.reduceSum(ef.square(ef.nn.conv2d(t, u, 2, 'SAME'))), 0.5))(x), v)))(w);
    const a = ef.nn.conv2dBackpropFilter(x, w.shape, ef.nn.conv2d(v, w, 2, 'SAME'), 2, 'SAME');
    const b = ef.nn.conv2dBackpropFilter(v, w.shape, ef.nn.conv2d(x, w, 2, 'SAME'), 2, 'SAME');
    expectClose(vals(gw), vals(ef.add(a, b)), 1e-4);
  });

  test('conv2dTranspose is the input gradient with a [h, w, out, in] filter', () => {
    const y = ef.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const up = ef.nn.conv2dTranspose(y, ef.ones([2, 2, 1, 1]), [1, 4, 4, 1], 2, 'SAME');
    expect(up.shape).toEqual([1, 4, 4, 1]);
    expect(vals(up)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});

describe('nn pooling', () => {
  const x = nhwc([1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16], 4, 4);

  test('maxPool / avgPool hand-computed, three spellings of ksize and strides', () => {
    expect(vals(ef.nn.maxPool(x, 2, 2, 'VALID'))).toEqual([4, 8, 12, 16]);
    expect(vals(ef.nn.maxPool(x, [2, 2], [1, 2, 2, 1], 'valid'))).toEqual([4, 8, 12, 16]);
    expect(vals(ef.nn.avgPool(x, [1, 2, 2, 1], [2, 2], 'VALID'))).toEqual([2.5, 6.5, 10.5, 14.5]);
    // 3x3 SAME stride 2 on 4x4: total 1, so windows start at 0 and 2, the second one cut off.
    expect(vals(ef.nn.maxPool(x, 3, 2, 'SAME'))).toEqual([13, 14, 15, 16]); // top-left padding 1 would give 4 first
    expect(vals(ef.nn.avgPool(nhwc(iota(9), 3, 3), 2, 2, 'SAME'))).toEqual([3, 4.5, 7.5, 9]);
  });

  test('maxPool gradient goes to the first maximum of each window', () => {
    const t = nhwc([3, 3, 1, 3, 0, 7, 7, 2, 1], 3, 3);
    const g = ef.grad((u) => ef.reduceSum(ef.mul(ef.nn.maxPool(u, 2, 1, 'VALID'), ef.tensor([1, 10, 100, 1000], [1, 2, 2, 1]))))(t);
    // windows: {3,3,3,0}->idx0, {3,1,0,7}->idx5, {3,0,7,2}->idx6, {0,7,2,1}->idx5
    expect(vals(g)).toEqual([1, 0, 0, 0, 0, 1010, 100, 0, 0]);
  });

  test('avgPool gradient spreads over the real pixels of each window', () => {
    const g = ef.grad((u) => ef.reduceSum(ef.nn.avgPool(u, 2, 2, 'SAME')))(nhwc(iota(9), 3, 3));
    expect(vals(g)).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  });

  test('second order through maxPool: grad of grad routes back through the same maxima', () => {
    const t = ef.tensor(Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => Math.sin(i * 1.3)), [2, 4, 4, 2]);
    const v = ef.tensor(Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => Math.cos(i)), [2, 4, 4, 2]);
    // f = ½ Σ maxPool(t)²: ∇f = route(maxPool(t)); <∇f, v> differentiates to route(maxPoolGradGrad(v)).
    const f = (u: ef.Tensor) => ef.mul(ef.reduceSum(ef.square(ef.nn.maxPool(u, 2, 2, 'VALID'))), 0.5);
    const hv = ef.grad((u) => ef.reduceSum(ef.mul(ef.grad(f)(u), v)))(t);
    const mask = vals(ef.grad((u) => ef.reduceSum(ef.nn.maxPool(u, 2, 2, 'VALID')))(t));
    const vv = vals(v);
    const routed = new Array(mask.length).fill(0);
    // each window has exactly one max: H v = mask ⊙ (window-sum of v at the max) = mask ⊙ v.
    for (let i = 0; i < mask.length; i++) routed[i] = mask[i]! * vv[i]!;
    expectClose(vals(hv), routed, 1e-6);
  });

  test('clear errors', () => {
    expect(() => ef.nn.maxPool(x, 0, 1, 'VALID')).toThrow('maxPool: ksize must be positive integers, found 0');
    expect(() => ef.nn.avgPool(x, 5, 1, 'VALID')).toThrow('avgPool: window 5x5 is larger than the padded input 4x4');
    expect(() => ef.nn.maxPool(x, 2, 1, [[0, 0], [2, 0], [0, 0], [0, 0]])).toThrow('maxPool: padding [2,0,0,0] must be smaller than the window 2x2');
    expect(() => ef.nn.maxPool(ef.zeros([4, 4]), 2, 2, 'SAME')).toThrow('maxPool: input must be rank 4');
  });
});
