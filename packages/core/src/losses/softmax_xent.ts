/** Numerically stable log-softmax and cross entropies composed from elementwise/reduce ops. */
import { noGrad } from '../autograd/api.js';
import { OpError, fmtShape } from '../errors.js';
import { cast } from '../ops/api/cast.js';
import { range } from '../ops/api/creation.js';
import { abs, add, equal, exp, log, log1p, maximum, mul, neg, sub } from '../ops/api/elementwise.js';
import { reduceMax, reduceSum } from '../ops/api/reduce.js';
import { reshape } from '../ops/api/shape_ops.js';
import type { Tensor } from '../tensor.js';

/** log softmax over the last axis. */
export function logSoftmaxLast(logits: Tensor): Tensor {
  const m = noGrad(() => reduceMax(logits, -1, true));
  const shifted = sub(logits, m);
  return sub(shifted, log(reduceSum(exp(shifted), -1, true)));
}

/** −Σ labels·log softmax(logits) over the last axis → shape logits.shape[:-1]. */
export function softmaxXent(labels: Tensor, logits: Tensor, op: string): Tensor {
  if (labels.rank !== logits.rank || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new OpError(op, `labels shape ${fmtShape(labels.shape)} must equal logits shape ${fmtShape(logits.shape)}`);
  }
  return neg(reduceSum(mul(cast(labels, 'float32'), logSoftmaxLast(logits)), -1));
}

/** One-hot of int labels on the last axis, built with equal() against a range (no kernel needed). */
export function oneHotOf(labels: Tensor, depth: number): Tensor {
  const l = cast(labels, 'int32');
  const ids = range(0, depth, 1, 'int32');
  return cast(equal(reshape(l, [...l.shape, 1]), ids), 'float32');
}

export function sparseSoftmaxXent(labels: Tensor, logits: Tensor, op: string): Tensor {
  if (labels.rank !== logits.rank - 1 || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new OpError(op, `labels shape ${fmtShape(labels.shape)} must be logits shape ${fmtShape(logits.shape)} without its last dimension`);
  }
  if (labels.dtype !== 'int32' && labels.dtype !== 'float32') throw new OpError(op, `labels must be int32, found ${labels.dtype}`);
  return softmaxXent(oneHotOf(labels, logits.shape[logits.rank - 1]!), logits, op);
}

/** max(x,0) − x·z + log(1 + exp(−|x|)) (tf.nn.sigmoid_cross_entropy_with_logits). */
export function sigmoidXent(labels: Tensor, logits: Tensor): Tensor {
  return add(sub(maximum(logits, 0), mul(logits, labels)), log1p(exp(neg(abs(logits)))));
}
