// ef.fused (matMul, conv2d), ef.nn.xwPlusB / reluLayer and the layers that use them: the same
// values and gradients as the unfused ops, one kernel per layer, clear errors.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus'] as const;
const unfused = (z: ef.Tensor, act: (typeof ACTIVATIONS)[number]): ef.Tensor => (act === 'linear' ? z : ef.nn[act](z));
const rand = (shape: number[], seed: number, scale = 4) => ef.randomUniform(shape, { minval: -scale, maxval: scale, seed });

/** The op ids that `fn` dispatches. */
function opsOf(fn: () => unknown): string[] {
  const ids: string[] = [];
  const stop = ef.addOpObserver((def) => ids.push(def.id));
  try {
    ef.tidy(() => {
      fn();
      return [];
    });
  } finally {
    stop();
  }
  return ids;
}

describe('ef.fused', () => {
  test.each(ACTIVATIONS)('matMul with bias and %s: values and gradients equal matmul + biasAdd + activation', (act) => {
    ef.tidy(() => {
      const a = rand([5, 7], 1);
      const b = rand([3, 7], 2, 1); // transposed
      const bias = rand([3], 3);
      const f = (x: ef.Tensor, w: ef.Tensor, c: ef.Tensor) => ef.fused.matMul({ a: x, b: w, transposeB: true, bias: c, activation: act });
      const g = (x: ef.Tensor, w: ef.Tensor, c: ef.Tensor) => unfused(ef.nn.biasAdd(ef.matmul(x, w, false, true), c), act);
      const loss = (h: typeof f) => () => ef.reduceSum(ef.mul(h(a, b, bias), ef.range(0, 15).reshape([5, 3]).cast('float32')));
      const got = ef.valueAndGrads(loss(f), [a, b, bias]);
      const want = ef.valueAndGrads(loss(g), [a, b, bias]);
      expectClose(vals(f(a, b, bias)), vals(g(a, b, bias)), 1e-6);
      got.grads.forEach((t, i) => expectClose(vals(t), vals(want.grads[i]), 1e-5));
      return [];
    });
  });

  test.each(['relu', 'tanh'] as const)('conv2d with bias and %s equals conv2d + biasAdd + activation (values and gradients)', (act) => {
    ef.tidy(() => {
      const x = rand([2, 6, 5, 3], 4, 1);
      const w = rand([3, 3, 3, 4], 5, 1);
      const bias = rand([4], 6, 1);
      const f = (xx: ef.Tensor, ww: ef.Tensor, c: ef.Tensor) => ef.fused.conv2d({ x: xx, filter: ww, strides: 2, padding: 'SAME', bias: c, activation: act });
      const g = (xx: ef.Tensor, ww: ef.Tensor, c: ef.Tensor) => unfused(ef.nn.biasAdd(ef.nn.conv2d(xx, ww, 2, 'SAME'), c), act);
      expectClose(vals(f(x, w, bias)), vals(g(x, w, bias)), 1e-6);
      const got = ef.valueAndGrads(() => ef.reduceSum(ef.square(f(x, w, bias))), [x, w, bias]);
      const want = ef.valueAndGrads(() => ef.reduceSum(ef.square(g(x, w, bias))), [x, w, bias]);
      got.grads.forEach((t, i) => expectClose(vals(t), vals(want.grads[i]), 1e-5));
      return [];
    });
  });

  test('one kernel with a bias; without one, the plain op then the activation', () => {
    const a = ef.ones([2, 3]);
    const b = ef.ones([3, 4]);
    expect(opsOf(() => ef.fused.matMul({ a, b, bias: ef.zeros([4]), activation: 'relu' })).filter((id) => id !== 'fill')).toEqual(['fused_matmul']);
    expect(opsOf(() => ef.fused.matMul({ a, b, activation: 'relu' }))).toEqual(['matmul', 'relu']);
    expect(opsOf(() => ef.fused.matMul({ a, b }))).toEqual(['matmul']);
    expect(vals(ef.fused.matMul({ a, b, activation: 'relu6' }))).toEqual(Array(8).fill(3));
    ef.dispose([a, b]);
  });

  test('no tensor is left behind (bias or not, under tidy and outside it)', () => {
    const a = ef.ones([2, 3]);
    const b = ef.ones([3, 4]);
    const before = ef.memory().numTensors;
    ef.fused.matMul({ a, b, activation: 'tanh' }).dispose();
    ef.fused.conv2d({ x: ef.ones([1, 3, 3, 1]), filter: ef.ones([2, 2, 1, 2]), strides: 1, padding: 'VALID', activation: 'sigmoid' }).dispose();
    expect(ef.memory().numTensors).toBe(before + 2); // only the conv's two inline ef.ones inputs
    ef.dispose([a, b]);
  });

  test('TF1 tf.nn.xw_plus_b and tf.nn.relu_layer', () => {
    const x = ef.tensor([[1, 2]]);
    const w = ef.tensor([[1, -1], [2, -3]]);
    const b = ef.tensor([0.5, 0.5]);
    expect(vals(ef.nn.xwPlusB(x, w, b))).toEqual([5.5, -6.5]);
    expect(vals(ef.nn.reluLayer(x, w, b))).toEqual([5.5, 0]);
  });

  test('bad arguments name the op, the argument and what was expected', () => {
    const a = ef.ones([2, 3]);
    const b = ef.ones([3, 4]);
    expect(() => ef.fused.matMul({ a, b, bias: ef.zeros([3]) })).toThrow(/fused_matmul: bias must have shape \[4\] \(the output's last dimension, output \[2,4\]\), found \[3\]/);
    expect(() => ef.fused.matMul({ a, b, bias: ef.zeros([4]), activation: 'swish' as 'relu' })).toThrow(/fused.matMul: activation must be one of linear, relu, relu6, elu, selu, sigmoid, tanh, softplus; found 'swish'/);
    expect(() => ef.fused.conv2d({ x: ef.ones([1, 3, 3, 1]), filter: ef.ones([2, 2, 1, 2]), strides: 1, padding: 'VALID', bias: ef.zeros([1, 2]) })).toThrow(
      /fused_conv2d: bias must have shape \[2\]/,
    );
    expect(() => ef.fused.conv2d({ x: ef.ones([3, 3, 1]), filter: ef.ones([2, 2, 1, 2]), strides: 1, padding: 'VALID', bias: ef.zeros([2]) })).toThrow(/fused.conv2d.*x/);
  });
});

describe('layers use the fused ops', () => {
  test('dense and conv2d with a named activation run one kernel each; a function activation runs unfused', () => {
    const x = ef.ones([2, 5, 5, 1]);
    const conv = opsOf(() => ef.layers.conv2d(x, 3, 3, { activation: 'relu', name: 'fused_conv' }));
    expect(conv.filter((id) => !['fill', 'random_uniform', 'truncated_normal', 'mul', 'add', 'sub'].includes(id))).toEqual(['fused_conv2d']);
    const dense = opsOf(() => ef.layers.dense(ef.ones([2, 4]), 3, { activation: 'tanh', name: 'fused_dense' }));
    expect(dense).toContain('fused_matmul');
    expect(dense).not.toContain('tanh');
    const custom = opsOf(() => ef.layers.dense(ef.ones([2, 4]), 3, { activation: (t) => ef.nn.leakyRelu(t, 0.1), name: 'custom_dense' }));
    expect(custom).toEqual(expect.arrayContaining(['matmul', 'add', 'leakyRelu']));
    expect(custom).not.toContain('fused_matmul');
    const noBias = opsOf(() => ef.layers.dense(ef.ones([2, 4]), 3, { activation: 'relu', useBias: false, name: 'nobias_dense' }));
    expect(noBias).toEqual(expect.arrayContaining(['matmul', 'relu']));
    x.dispose();
  });

  test('slim layers fuse their default relu (the function ef.nn.relu); a normalizer keeps bias-free conv + activation', () => {
    const x = ef.ones([2, 6, 6, 1]);
    const slimOps = opsOf(() => ef.models.lenet5(ef.ones([2, 28, 28, 1]), { scope: 'fused_lenet' }));
    expect(slimOps.filter((id) => id.startsWith('fused_'))).toEqual(['fused_conv2d', 'fused_conv2d', 'fused_matmul', 'fused_matmul', 'fused_matmul']);
    expect(slimOps).not.toContain('relu');
    const bn = opsOf(() => ef.slim.conv2d(x, 2, 3, { scope: 'bn_conv', normalizerFn: (t) => ef.mul(t, 2) }));
    expect(bn).toEqual(expect.arrayContaining(['conv2d', 'mul', 'relu']));
    expect(bn).not.toContain('fused_conv2d');
    x.dispose();
  });

  test('dense over rank-3 inputs keeps its shape', () => {
    const y = ef.layers.dense(ef.ones([2, 3, 4]), 5, { activation: 'relu', name: 'rank3_dense' });
    expect(y.shape).toEqual([2, 3, 5]);
  });
});
