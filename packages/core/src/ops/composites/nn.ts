/**
 * nn ops built from other ops (no kernel, no vjp of their own): biasAdd, batchNormalization,
 * moments, l2Loss, dropout, sigmoidCrossEntropyWithLogits, l2Normalize. Gradients come from the
 * ops they are made of.
 */
import { OpError, fmtShape } from '../../errors.js';
import { broadcastsTo, normAxes, shapesEqual, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import * as E from '../api/elementwise.js';
import { reduceMean, reduceSum } from '../api/reduce.js';
import { reshape } from '../api/shape_ops.js';
import { cast } from '../api/cast.js';
import { zerosLike } from '../api/creation.js';
import { stopGradient } from '../api/gradient_ops.js';
import { randomUniform } from '../api/random.js';

function checkFloat(op: string, arg: string, t: Tensor): void {
  if (t.dtype !== 'float32') throw new OpError(op, `${arg} must be float32, found ${t.dtype}`);
}

/** value + bias over the last (channel) axis; bias is 1-D (TensorFlow's BiasAdd, NHWC). */
export function biasAdd(value: TensorLike, bias: TensorLike): Tensor {
  const x = convert(value, 'value', 'biasAdd');
  const b = convert(bias, 'bias', 'biasAdd', x.dtype);
  if (x.rank < 2) throw new OpError('biasAdd', `value must have rank >= 2, found shape ${fmtShape(x.shape)}`);
  const c = x.shape[x.rank - 1]!;
  if (b.rank !== 1 || b.shape[0] !== c) {
    throw new OpError('biasAdd', `bias must be 1-D of size ${c} (the last dimension of value ${fmtShape(x.shape)}), found shape ${fmtShape(b.shape)}`);
  }
  if (b.dtype !== x.dtype) throw new OpError('biasAdd', `bias dtype ${b.dtype} does not match value dtype ${x.dtype}`);
  return E.add(x, b);
}

/**
 * (x - mean) · scale / sqrt(variance + eps) + offset, with broadcasting (TensorFlow's
 * tf.nn.batch_normalization, computed as x·inv + (offset - mean·inv) with inv = scale·rsqrt(var + eps)).
 */
export function batchNormalization(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon = 1e-3,
): Tensor {
  const op = 'batchNormalization';
  const tx = convert(x, 'x', op);
  checkFloat(op, 'x', tx);
  const m = convert(mean, 'mean', op, 'float32');
  const v = convert(variance, 'variance', op, 'float32');
  const sc = scale !== undefined && scale !== null ? convert(scale, 'scale', op, 'float32') : null;
  const off = offset !== undefined && offset !== null ? convert(offset, 'offset', op, 'float32') : null;
  for (const [arg, p] of [['mean', m], ['variance', v], ['scale', sc], ['offset', off]] as const) {
    if (p && !broadcastsTo(p.shape, tx.shape)) throw new OpError(op, `${arg} shape ${fmtShape(p.shape)} does not broadcast to x shape ${fmtShape(tx.shape)}`);
  }
  if (!(varianceEpsilon >= 0)) throw new OpError(op, `varianceEpsilon must be >= 0, found ${varianceEpsilon}`);
  let inv = E.rsqrt(E.add(v, varianceEpsilon));
  if (sc) inv = E.mul(inv, sc);
  const shift = off ? E.sub(off, E.mul(m, inv)) : E.neg(E.mul(m, inv));
  return E.add(E.mul(tx, inv), shift);
}

/** Mean and variance over `axes` (TensorFlow's tf.nn.moments; variance is the biased one). */
export function moments(x: TensorLike, axes: number | readonly number[], keepDims = false): { mean: Tensor; variance: Tensor } {
  const t = convert(x, 'x', 'moments');
  checkFloat('moments', 'x', t);
  const ax = normAxes('moments', axes, t.rank);
  const mean = reduceMean(t, ax, true);
  const variance = reduceMean(E.squaredDifference(t, stopGradient(mean)), ax, true);
  if (keepDims) return { mean, variance };
  const shape = t.shape.filter((_, i) => !ax.includes(i));
  return { mean: reshape(mean, shape), variance: reshape(variance, shape) };
}

/** sum(x²) / 2 (TensorFlow's L2Loss), a scalar. */
export function l2Loss(x: TensorLike): Tensor {
  const t = convert(x, 't', 'l2Loss');
  checkFloat('l2Loss', 't', t);
  return E.mul(reduceSum(E.square(t)), 0.5);
}

export interface DropoutOptions {
  /** Op seed (TensorFlow's seed rules with ef.setRandomSeed). */
  seed?: number;
  /** Shape of the keep/drop mask, broadcast to x (e.g. [batch, 1, 1, channels] drops whole channels). */
  noiseShape?: Shape;
}

/**
 * Inverted dropout (TensorFlow's tf.nn.dropout): each element (or each noiseShape cell) is
 * dropped with probability `rate`, kept values are scaled by 1 / (1 - rate). The mask is
 * uniform(noiseShape) >= rate, drawn with ef.randomUniform, so seeds reproduce on every backend.
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const t = convert(x, 'x', 'dropout');
  checkFloat('dropout', 'x', t);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new OpError('dropout', `rate must be a number in [0, 1), found ${String(rate)}`);
  const noiseShape = options.noiseShape ? [...options.noiseShape] : [...t.shape];
  if (options.noiseShape && !broadcastsTo(noiseShape, t.shape)) {
    throw new OpError('dropout', `noiseShape ${fmtShape(noiseShape)} must broadcast to x shape ${fmtShape(t.shape)}`);
  }
  if (rate === 0) return t;
  const keep = cast(E.greaterEqual(randomUniform(noiseShape, { seed: options.seed }), rate), 'float32');
  return E.mul(t, E.mul(keep, 1 / (1 - rate)));
}

/**
 * Element-wise logistic loss (TensorFlow's sigmoid_cross_entropy_with_logits), in the stable
 * form max(x, 0) - x·z + log(1 + exp(-|x|)).
 */
export function sigmoidCrossEntropyWithLogits(args: { labels: TensorLike; logits: TensorLike }): Tensor {
  const op = 'sigmoidCrossEntropyWithLogits';
  const x = convert(args.logits, 'logits', op);
  checkFloat(op, 'logits', x);
  const z = convert(args.labels, 'labels', op, 'float32');
  checkFloat(op, 'labels', z);
  if (!shapesEqual(x.shape, z.shape)) throw new OpError(op, `labels shape ${fmtShape(z.shape)} must equal logits shape ${fmtShape(x.shape)}`);
  // TensorFlow's where() form: at x = 0 both branches see the x >= 0 side, so the gradient is exact.
  const pos = E.greaterEqual(x, 0);
  const zero = zerosLike(x);
  return E.add(E.sub(E.where(pos, x, zero), E.mul(x, z)), E.log1p(E.exp(E.where(pos, E.neg(x), x))));
}

/** x / sqrt(max(Σ x², epsilon)) along `axis` (TensorFlow's l2_normalize). */
export function l2Normalize(x: TensorLike, axis?: number | readonly number[], epsilon = 1e-12): Tensor {
  const t = convert(x, 'x', 'l2Normalize');
  checkFloat('l2Normalize', 'x', t);
  const ax = normAxes('l2Normalize', axis ?? null, t.rank);
  return E.mul(t, E.rsqrt(E.maximum(reduceSum(E.square(t), ax, true), epsilon)));
}
