/**
 * ef.fused (tfjs's tf.fused; TensorFlow's grappler makes the same fusions as _FusedMatMul and
 * _FusedConv2D): a GEMM with its bias add and activation in one kernel — one pass over the
 * output instead of three, and two dispatches fewer per layer on the GPU.
 */
import { engine } from '../../engine.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import type { HW, Padding } from '../defs/conv_util.js';
import { ELEMENTWISE } from '../defs/elementwise.js';
import { fusedConv2dDef } from '../defs/fused_conv2d.js';
import { fusedMatmulDef } from '../defs/fused_matmul.js';
import { checkActivation, type FusedActivation } from '../defs/fused_util.js';
import { apply1 } from '../dispatch.js';
import { convOperands } from './conv_operands.js';
import { matmul } from './linalg.js';
import { conv2d as plainConv2d } from './nn.js';

export type { FusedActivation } from '../defs/fused_util.js';

export interface FusedMatMulArgs {
  a: TensorLike;
  b: TensorLike;
  transposeA?: boolean;
  transposeB?: boolean;
  /** [n]: added along the last axis. */
  bias?: TensorLike;
  /** Default 'linear'. */
  activation?: FusedActivation;
}

export interface FusedConv2DArgs {
  x: TensorLike;
  filter: TensorLike;
  strides: HW;
  padding: Padding;
  dilations?: HW;
  /** Only 'NHWC'. */
  dataFormat?: string;
  /** [outChannels]. */
  bias?: TensorLike;
  activation?: FusedActivation;
}

/** Without a bias there is nothing to fuse into the store: the plain op, then the activation op. */
function activate(gemm: () => Tensor, activation: FusedActivation): Tensor {
  if (activation === 'linear') return gemm();
  return engine.tidy(() => apply1(ELEMENTWISE[activation], [gemm()], {}));
}

/** act(op(a)·op(b) + bias). */
export function matMul({ a, b, transposeA = false, transposeB = false, bias, activation = 'linear' }: FusedMatMulArgs): Tensor {
  const act = checkActivation('fused.matMul', activation);
  const ta = convert(a, 'a', 'fused.matMul');
  const tb = convert(b, 'b', 'fused.matMul');
  if (bias === undefined) return activate(() => matmul(ta, tb, transposeA, transposeB), act);
  return apply1(fusedMatmulDef, [ta, tb, convert(bias, 'bias', 'fused.matMul')], { transposeA, transposeB, activation: act });
}

/** act(conv2d(x, filter) + bias), with ef.nn.conv2d's arguments. */
export function conv2d({ x, filter, strides, padding, dilations, dataFormat, bias, activation = 'linear' }: FusedConv2DArgs): Tensor {
  const op = 'fused.conv2d';
  const act = checkActivation(op, activation);
  if (bias === undefined) return activate(() => plainConv2d(x, filter, strides, padding, { dilations, dataFormat }), act);
  const { tx, tf, attrs } = convOperands(op, 'x', x, filter, strides, padding, { dilations, dataFormat });
  return apply1(fusedConv2dDef, [tx, tf, convert(bias, 'bias', op)], { ...attrs, activation: act });
}

/** TensorFlow 1's tf.nn.xw_plus_b: x·weights + biases, one fused kernel. */
export function xwPlusB(x: TensorLike, weights: TensorLike, biases: TensorLike): Tensor {
  return matMul({ a: x, b: weights, bias: biases });
}

/** TensorFlow 1's tf.nn.relu_layer: relu(x·weights + biases), one fused kernel. */
export function reluLayer(x: TensorLike, weights: TensorLike, biases: TensorLike): Tensor {
  return matMul({ a: x, b: weights, bias: biases, activation: 'relu' });
}
