import type { OpSample } from '../op_def.js';
import { defineFused, halfBias, integerSample, type FusedAttrs } from './fused_util.js';
import { matmulDef, type MatmulAttrs } from './matmul.js';

export interface FusedMatmulAttrs extends MatmulAttrs, FusedAttrs {}

/**
 * act(op(a)·op(b) + bias), bias [n] along the last axis (TensorFlow's _FusedMatMul, tfjs's
 * tf.fused.matMul): one kernel where the GEMM applies the epilogue as it stores its tile.
 */
export const fusedMatmulDef = defineFused('fused_matmul', matmulDef, [
  ...(['linear', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus'] as const).map(
    (activation, i): OpSample<FusedMatmulAttrs> => ({
      name: activation,
      inputs: [{ shape: i % 2 ? [4, 3] : [3, 4] }, { shape: i % 3 ? [4, 5] : [5, 4] }, { shape: [5] }],
      attrs: { transposeA: i % 2 === 1, transposeB: i % 3 === 0, activation },
    }),
  ),
  ...(['relu', 'relu6'] as const).map(
    (activation): OpSample<FusedMatmulAttrs> => ({
      name: `${activation}, batched`,
      inputs: [integerSample([2, 3, 4], 1), integerSample([2, 4, 6], 2), halfBias(6)],
      attrs: { transposeA: false, transposeB: false, activation },
    }),
  ),
  {
    name: 'hand-computed relu',
    inputs: [
      { shape: [1, 2], dtype: 'float32', values: [1, 2] },
      { shape: [2, 2], dtype: 'float32', values: [1, -1, 2, -3] },
      { shape: [2], dtype: 'float32', values: [0.5, 0.5] },
    ],
    attrs: { transposeA: false, transposeB: false, activation: 'relu' },
    expected: [{ shape: [1, 2], dtype: 'float32', values: [5.5, 0] }],
  },
  { name: 'larger', inputs: [{ shape: [33, 70] }, { shape: [65, 70] }, { shape: [65] }], attrs: { transposeA: false, transposeB: true, activation: 'tanh' }, noGrad: true },
]);
