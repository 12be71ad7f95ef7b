import type { OpSample } from '../op_def.js';
import { conv2dDef } from './conv2d.js';
import { CONV_CASES, convAttrs, type Conv2DAttrs } from './conv_util.js';
import { defineFused, halfBias, integerSample, type FusedAttrs } from './fused_util.js';

export interface FusedConv2DAttrs extends Conv2DAttrs, FusedAttrs {}

/**
 * act(conv2d(x, filter) + bias), bias [outChannels] (TensorFlow's _FusedConv2D, tfjs's
 * tf.fused.conv2d): the implicit GEMM applies the epilogue as it stores its tile.
 */
export const fusedConv2dDef = defineFused('fused_conv2d', conv2dDef, [
  ...CONV_CASES.slice(0, 4).map(
    (c, i): OpSample<FusedConv2DAttrs> => ({
      name: `${c.name}, ${(['linear', 'tanh', 'sigmoid', 'elu'] as const)[i]}`,
      inputs: [{ shape: c.x }, { shape: c.f }, { shape: [c.f[3]!] }],
      attrs: { ...c.attrs, activation: (['linear', 'tanh', 'sigmoid', 'elu'] as const)[i]! },
    }),
  ),
  ...(['relu', 'relu6'] as const).map(
    (activation): OpSample<FusedConv2DAttrs> => ({
      name: `${activation}, SAME k3 stride 2`,
      inputs: [integerSample([2, 5, 5, 2], 3), integerSample([3, 3, 2, 4], 4), halfBias(4)],
      attrs: { ...convAttrs([2, 2], [1, 1, 1, 1]), activation },
    }),
  ),
  { name: 'larger', inputs: [{ shape: [2, 9, 9, 5] }, { shape: [3, 3, 5, 7] }, { shape: [7] }], attrs: { ...convAttrs([1, 1], [1, 1, 1, 1]), activation: 'relu' }, noGrad: true },
]);
