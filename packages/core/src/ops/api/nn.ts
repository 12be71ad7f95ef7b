/**
 * ef.nn: TensorFlow's tf.nn names. Fused ops (conv, pooling, softmax family) dispatch to op
 * defs with their own kernels; the rest are composites (ops/composites/nn.ts).
 */
import { OpError, fmtShape } from '../../errors.js';
import { normAxis } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { avgPoolDef } from '../defs/avg_pool.js';
import { conv2dDef } from '../defs/conv2d.js';
import { conv2dBackpropFilterDef } from '../defs/conv2d_backprop_filter.js';
import { conv2dBackpropInputDef } from '../defs/conv2d_backprop_input.js';
import { checkFormat, checkRank4, checkShapeAttr, normalizeHW, resolveConvAttrs, resolvePadding, type HW, type Padding, type PoolAttrs } from '../defs/conv_util.js';
import { logSoftmaxDef } from '../defs/log_softmax.js';
import { maxPoolDef } from '../defs/max_pool.js';
import { softmaxDef } from '../defs/softmax.js';
import { softmaxCrossEntropyDef } from '../defs/softmax_cross_entropy.js';
import { sparseSoftmaxCrossEntropyDef } from '../defs/sparse_softmax_cross_entropy.js';
import { apply, apply1 } from '../dispatch.js';
import { withIndexArg } from '../index_args.js';
import { convOperands } from './conv_operands.js';
import * as E from './elementwise.js';
import { transpose } from './shape_ops.js';

export { biasAdd, batchNormalization, moments, l2Loss, l2Normalize, dropout, sigmoidCrossEntropyWithLogits, type DropoutOptions } from '../composites/nn.js';
export * from './nn_lookup.js';
export { xwPlusB, reluLayer } from './fused.js';
export { relu, relu6, elu, selu, leakyRelu, sigmoid, tanh, softplus } from './elementwise.js';
export type { HW, Padding } from '../defs/conv_util.js';

export interface Conv2DOptions {
  /** Dilation rate: n, [h, w] or [1, h, w, 1]; default 1. */
  dilations?: HW;
  /** Only 'NHWC' is supported. */
  dataFormat?: string;
}

/**
 * 2-D convolution (TensorFlow's tf.nn.conv2d): x [batch, height, width, inChannels], filter
 * [filterHeight, filterWidth, inChannels, outChannels]; strides n, [sh, sw] or [1, sh, sw, 1];
 * padding 'SAME' | 'VALID' or explicit [[0,0],[top,bottom],[left,right],[0,0]].
 */
export function conv2d(x: TensorLike, filter: TensorLike, strides: HW, padding: Padding, options: Conv2DOptions = {}): Tensor {
  const { tx, tf, attrs } = convOperands('conv2d', 'input', x, filter, strides, padding, options);
  return apply1(conv2dDef, [tx, tf], attrs);
}

/** Gradient of conv2d with respect to its input (TensorFlow's conv2d_backprop_input). */
export function conv2dBackpropInput(inputSizes: readonly number[], filter: TensorLike, outBackprop: TensorLike, strides: HW, padding: Padding, options: Conv2DOptions = {}): Tensor {
  const op = 'conv2dBackpropInput';
  const xShape = checkShapeAttr(op, 'inputSizes', [...inputSizes]);
  const tf = convert(filter, 'filter', op);
  const dy = convert(outBackprop, 'outBackprop', op);
  checkRank4(op, 'filter', tf, '[height, width, inChannels, outChannels]');
  return apply1(conv2dBackpropInputDef, [dy, tf], { ...resolveConvAttrs(op, xShape, tf.shape, strides, padding, options), inputShape: xShape });
}

/** Gradient of conv2d with respect to its filter (TensorFlow's conv2d_backprop_filter). */
export function conv2dBackpropFilter(input: TensorLike, filterSizes: readonly number[], outBackprop: TensorLike, strides: HW, padding: Padding, options: Conv2DOptions = {}): Tensor {
  const op = 'conv2dBackpropFilter';
  const fShape = checkShapeAttr(op, 'filterSizes', [...filterSizes]);
  const tx = convert(input, 'input', op);
  const dy = convert(outBackprop, 'outBackprop', op);
  checkRank4(op, 'input', tx, '[batch, height, width, channels]');
  return apply1(conv2dBackpropFilterDef, [tx, dy], { ...resolveConvAttrs(op, tx.shape, fShape, strides, padding, options), filterShape: fShape });
}

/**
 * Transposed convolution (TensorFlow's tf.nn.conv2d_transpose): the gradient of conv2d with
 * respect to its input. filter is [height, width, outChannels, inChannels]; outputShape is the
 * NHWC shape of the result.
 */
export function conv2dTranspose(input: TensorLike, filter: TensorLike, outputShape: readonly number[], strides: HW, padding: Padding = 'SAME', options: Conv2DOptions = {}): Tensor {
  return conv2dBackpropInput(outputShape, filter, input, strides, padding, options);
}

function poolAttrs(op: string, x: Tensor, ksize: HW, strides: HW, padding: Padding, dataFormat?: string): PoolAttrs {
  checkFormat(op, dataFormat);
  checkRank4(op, 'input', x, '[batch, height, width, channels]');
  const k = normalizeHW(op, 'ksize', ksize);
  const s = normalizeHW(op, 'strides', strides);
  return { ksize: k, strides: s, pads: resolvePadding(op, padding, x.shape[1]!, x.shape[2]!, k[0], k[1], s) };
}

/** Max pooling, NHWC (TensorFlow's tf.nn.max_pool2d); ksize and strides as n, [h, w] or [1, h, w, 1]. */
export function maxPool(x: TensorLike, ksize: HW, strides: HW, padding: Padding, dataFormat?: string): Tensor {
  const t = convert(x, 'input', 'maxPool');
  return apply1(maxPoolDef, [t], poolAttrs('maxPool', t, ksize, strides, padding, dataFormat));
}

/** Average pooling, NHWC (TensorFlow's tf.nn.avg_pool2d); padded positions are not counted. */
export function avgPool(x: TensorLike, ksize: HW, strides: HW, padding: Padding, dataFormat?: string): Tensor {
  const t = convert(x, 'input', 'avgPool');
  return apply1(avgPoolDef, [t], poolAttrs('avgPool', t, ksize, strides, padding, dataFormat));
}

/** Runs a last-axis op along `axis` by moving that axis last and back. */
function alongAxis(op: string, x: Tensor, axis: number, fn: (t: Tensor) => Tensor): Tensor {
  if (x.rank === 0) throw new OpError(op, `logits must have rank >= 1, found a scalar`);
  const a = normAxis(op, axis, x.rank);
  if (a === x.rank - 1) return fn(x);
  const perm = [...Array(x.rank).keys()];
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return transpose(fn(transpose(x, perm)), perm);
}

/** exp(x) / Σ exp(x) along `axis` (default the last), numerically stable. */
export function softmax(logits: TensorLike, axis = -1): Tensor {
  const t = convert(logits, 'logits', 'softmax');
  return alongAxis('softmax', t, axis, (u) => apply1(softmaxDef, [u], {}));
}

/** log(softmax(x)) along `axis` (default the last), computed as x - logSumExp(x). */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  const t = convert(logits, 'logits', 'logSoftmax');
  return alongAxis('logSoftmax', t, axis, (u) => apply1(logSoftmaxDef, [u], {}));
}

/** Runs a fused loss op and keeps only the loss; the backprop output lives as long as a tape needs it. */
function lossOnly(outs: Tensor[]): Tensor {
  outs[1]!.dispose();
  return outs[0]!;
}

/**
 * -Σ labels · logSoftmax(logits) along `axis` (TensorFlow's softmax_cross_entropy_with_logits
 * v2: gradients flow into labels too). labels and logits have the same shape.
 */
export function softmaxCrossEntropyWithLogits(args: { labels: TensorLike; logits: TensorLike; axis?: number }): Tensor {
  const op = 'softmaxCrossEntropyWithLogits';
  const logits = convert(args.logits, 'logits', op);
  const labels = convert(args.labels, 'labels', op, 'float32');
  if (labels.rank !== logits.rank || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new OpError(op, `labels shape ${fmtShape(labels.shape)} must equal logits shape ${fmtShape(logits.shape)}`);
  }
  const axis = normAxis(op, args.axis ?? -1, Math.max(logits.rank, 1));
  if (axis === logits.rank - 1 || logits.rank === 0) return lossOnly(apply(softmaxCrossEntropyDef, [labels, logits], {}));
  const perm = [...Array(logits.rank).keys()].filter((d) => d !== axis).concat(axis);
  return lossOnly(apply(softmaxCrossEntropyDef, [transpose(labels, perm), transpose(logits, perm)], {}));
}

/**
 * logSumExp(logits) - logits[label] per row (TensorFlow's sparse_softmax_cross_entropy_with_logits):
 * labels int32 (or int64) of shape logits.shape[:-1] with values in [0, classes).
 */
export function sparseSoftmaxCrossEntropyWithLogits(args: { labels: TensorLike; logits: TensorLike }): Tensor {
  const op = 'sparseSoftmaxCrossEntropyWithLogits';
  const logits = convert(args.logits, 'logits', op);
  return withIndexArg(args.labels, 'labels', op, (labels) => lossOnly(apply(sparseSoftmaxCrossEntropyDef, [labels, logits], {})));
}

/** x · sigmoid(x) (TensorFlow's tf.nn.silu / swish). */
export function silu(x: TensorLike): Tensor {
  const t = convert(x, 'features', 'silu');
  return E.mul(t, E.sigmoid(t));
}
export const swish = silu;

/** x / (1 + |x|) (TensorFlow's tf.nn.softsign). */
export function softsign(x: TensorLike): Tensor {
  const t = convert(x, 'features', 'softsign');
  return E.div(t, E.add(E.abs(t), 1));
}
