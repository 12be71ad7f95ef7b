/** tf.losses, eagerly: per-element losses, then weights and a reduction (computeWeightedLoss). */
import { OpError, fmtShape } from '../errors.js';
import { GraphKeys, getCollection } from '../framework/collections.js';
import { cast } from '../ops/api/cast.js';
import { fill } from '../ops/api/creation.js';
import { abs, add, greater, log, minimum, mul, neg, square, sub, where } from '../ops/api/elementwise.js';
import { convert, type TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor.js';
import { computeWeightedLoss, type LossOptions } from './reduction.js';
import { stopGradient } from '../ops/api/gradient_ops.js';
import { softmaxCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from '../ops/api/nn.js';
import { sigmoidCrossEntropyWithLogits } from '../ops/composites/nn.js';

function pair(labels: TensorLike, predictions: TensorLike, op: string): [Tensor, Tensor] {
  const p = convert(predictions, 'predictions', op);
  let l = convert(labels, 'labels', op, 'float32');
  if (l.dtype !== 'float32') l = cast(l, 'float32');
  if (l.rank !== p.rank || l.shape.some((d, i) => d !== p.shape[i])) {
    throw new OpError(op, `labels shape ${fmtShape(l.shape)} must equal predictions shape ${fmtShape(p.shape)}`);
  }
  return [l, p];
}

/** (predictions − labels)² */
export function meanSquaredError(labels: TensorLike, predictions: TensorLike, options: LossOptions = {}): Tensor {
  const [l, p] = pair(labels, predictions, 'meanSquaredError');
  return computeWeightedLoss(square(sub(p, l)), options, 'meanSquaredError');
}

/** |predictions − labels| */
export function absoluteDifference(labels: TensorLike, predictions: TensorLike, options: LossOptions = {}): Tensor {
  const [l, p] = pair(labels, predictions, 'absoluteDifference');
  return computeWeightedLoss(abs(sub(p, l)), options, 'absoluteDifference');
}

/** 0.5·min(|e|,δ)² + δ·(|e| − min(|e|,δ)), e = predictions − labels. */
export function huberLoss(labels: TensorLike, predictions: TensorLike, options: LossOptions & { delta?: number } = {}): Tensor {
  const [l, p] = pair(labels, predictions, 'huberLoss');
  const delta = options.delta ?? 1;
  const err = abs(sub(p, l));
  const quadratic = minimum(err, delta);
  const linear = sub(err, quadratic);
  return computeWeightedLoss(add(mul(0.5, square(quadratic)), mul(delta, linear)), options, 'huberLoss');
}

/** −labels·log(p + ε) − (1 − labels)·log(1 − p + ε) */
export function logLoss(labels: TensorLike, predictions: TensorLike, options: LossOptions & { epsilon?: number } = {}): Tensor {
  const [l, p] = pair(labels, predictions, 'logLoss');
  const eps = options.epsilon ?? 1e-7;
  const loss = sub(neg(mul(l, log(add(p, eps)))), mul(sub(1, l), log(add(sub(1, p), eps))));
  return computeWeightedLoss(loss, options, 'logLoss');
}

export interface CrossEntropyOptions extends LossOptions {
  labelSmoothing?: number;
}

/**
 * Softmax cross entropy with one-hot labels [batch, classes]; weights per example. The fused
 * ef.nn.softmaxCrossEntropyWithLogits op; labels get no gradient (tf.losses stops it).
 */
export function softmaxCrossEntropy(onehotLabels: TensorLike, logits: TensorLike, options: CrossEntropyOptions = {}): Tensor {
  const [l0, z] = pair(onehotLabels, logits, 'softmaxCrossEntropy');
  if (z.rank < 1) throw new OpError('softmaxCrossEntropy', `logits must have a class dimension, found shape ${fmtShape(z.shape)}`);
  let l = stopGradient(l0);
  const ls = options.labelSmoothing ?? 0;
  if (ls > 0) l = add(mul(l, 1 - ls), ls / z.shape[z.rank - 1]!);
  return computeWeightedLoss(softmaxCrossEntropyWithLogits({ labels: l, logits: z }), options, 'softmaxCrossEntropy');
}

/** Softmax cross entropy with integer class labels [batch] (the fused sparse op; out-of-range labels throw). */
export function sparseSoftmaxCrossEntropy(labels: TensorLike, logits: TensorLike, options: LossOptions = {}): Tensor {
  const op = 'sparseSoftmaxCrossEntropy';
  const z = convert(logits, 'logits', op);
  let l = convert(labels, 'labels', op, 'int32');
  if (l.rank !== z.rank - 1 || l.shape.some((d, i) => d !== z.shape[i])) {
    throw new OpError(op, `labels shape ${fmtShape(l.shape)} must be logits shape ${fmtShape(z.shape)} without its last dimension`);
  }
  if (l.dtype === 'float32') l = cast(l, 'int32');
  else if (l.dtype !== 'int32' && l.dtype !== 'int64') throw new OpError(op, `labels must be int32 or int64, found ${l.dtype}`);
  return computeWeightedLoss(sparseSoftmaxCrossEntropyWithLogits({ labels: l, logits: z }), options, op);
}

/** Sigmoid cross entropy for multi-label targets in [0, 1] (ef.nn.sigmoidCrossEntropyWithLogits; labels get no gradient). */
export function sigmoidCrossEntropy(multiClassLabels: TensorLike, logits: TensorLike, options: CrossEntropyOptions = {}): Tensor {
  const [l0, z] = pair(multiClassLabels, logits, 'sigmoidCrossEntropy');
  const ls = options.labelSmoothing ?? 0;
  let l = stopGradient(l0);
  if (ls > 0) l = add(mul(l, 1 - ls), 0.5 * ls);
  return computeWeightedLoss(sigmoidCrossEntropyWithLogits({ labels: l, logits: z }), options, 'sigmoidCrossEntropy');
}

/**
 * The notes' asymmetric loss: over-prediction costs `cost` per unit, under-prediction `profit`
 * per unit: mean(where(greater(y, y_), (y − y_)·cost, (y_ − y)·profit)).
 */
export function asymmetricLoss(labels: TensorLike, predictions: TensorLike, cost: number, profit: number, options: LossOptions = {}): Tensor {
  const [l, p] = pair(labels, predictions, 'asymmetricLoss');
  const loss = where(greater(p, l), mul(sub(p, l), cost), mul(sub(l, p), profit));
  return computeWeightedLoss(loss, options, 'asymmetricLoss');
}

/**
 * Σ of the REGULARIZATION_LOSSES collection, each evaluated now (entries are functions made by
 * getVariable/layers, or tensors added by hand). 0 when empty. `scope` filters by variable name.
 */
export function getRegularizationLoss(scope?: string): Tensor {
  const terms = getRegularizationLosses(scope);
  return terms.length ? terms.reduce((a, b) => add(a, b)) : fill([], 0);
}

/** The regularization losses, evaluated now (tf.losses.get_regularization_losses). */
export function getRegularizationLosses(scope?: string): Tensor[] {
  return evaluateCollection(GraphKeys.REGULARIZATION_LOSSES, scope);
}

/** The LOSSES collection's entries, functions evaluated now (tf.losses.get_losses). */
export function getLosses(scope?: string): Tensor[] {
  return evaluateCollection(GraphKeys.LOSSES, scope);
}

/** A loss collection's entries: functions are called (skipping released variables' terms), tensors kept. */
function evaluateCollection(key: string, scope?: string): Tensor[] {
  const out: Tensor[] = [];
  for (const it of getCollection<unknown>(key)) {
    if (typeof it === 'function') {
      const v = (it as { variable?: { released: boolean; name: string } }).variable;
      if (v && (v.released || (scope && !v.name.startsWith(scope)))) continue;
      out.push((it as () => Tensor)());
    } else if (!scope) out.push(it as Tensor);
  }
  return out;
}

/** `loss` + the regularization losses (tf.losses.get_total_loss with the data loss given). */
export function getTotalLoss(loss: Tensor, addRegularizationLosses = true): Tensor {
  return addRegularizationLosses ? add(loss, getRegularizationLoss()) : loss;
}
