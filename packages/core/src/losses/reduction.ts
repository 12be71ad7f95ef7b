/** tf.losses.Reduction and compute_weighted_loss. */
import { OpError, fmtShape } from '../errors.js';
import { broadcastsTo } from '../shape.js';
import { cast } from '../ops/api/cast.js';
import { div, greater, maximum, mul, notEqual, where } from '../ops/api/elementwise.js';
import { broadcastTo } from '../ops/api/shape_ops.js';
import { reduceSum } from '../ops/api/reduce.js';
import type { TensorLike } from '../ops/convert.js';
import { convert } from '../ops/convert.js';
import type { Tensor } from '../tensor.js';

export const Reduction = {
  NONE: 'none',
  SUM: 'weighted_sum',
  MEAN: 'weighted_mean',
  SUM_OVER_BATCH_SIZE: 'weighted_sum_over_batch_size',
  SUM_OVER_NONZERO_WEIGHTS: 'weighted_sum_by_nonzero_weights',
  SUM_BY_NONZERO_WEIGHTS: 'weighted_sum_by_nonzero_weights',
} as const;
export type ReductionKind = (typeof Reduction)[keyof typeof Reduction];

export interface LossOptions {
  /** Scalar, or a tensor broadcastable to the per-element losses (e.g. [batch] or [batch,1]). */
  weights?: TensorLike;
  /** Default SUM_BY_NONZERO_WEIGHTS, as tf.losses. */
  reduction?: ReductionKind;
}

/** x / y, 0 where y is 0 (TensorFlow's safe division for loss means). */
function safeDiv(x: Tensor, y: Tensor): Tensor {
  return where(greater(y, 0), div(x, maximum(y, 1e-30)), mul(x, 0));
}

/** Weights the per-element `losses` and reduces them (tf.losses.compute_weighted_loss). */
export function computeWeightedLoss(losses: Tensor, options: LossOptions = {}, op = 'computeWeightedLoss'): Tensor {
  const reduction = options.reduction ?? Reduction.SUM_BY_NONZERO_WEIGHTS;
  const w = convert(options.weights ?? 1, 'weights', op, 'float32');
  const wf = w.dtype === 'float32' ? w : cast(w, 'float32');
  if (!broadcastsTo(wf.shape, losses.shape)) {
    throw new OpError(op, `weights of shape ${fmtShape(wf.shape)} cannot be broadcast to the losses' shape ${fmtShape(losses.shape)}`);
  }
  const weighted = mul(losses, wf);
  switch (reduction) {
    case Reduction.NONE:
      return weighted;
    case Reduction.SUM:
      return reduceSum(weighted);
    case Reduction.MEAN:
      return safeDiv(reduceSum(weighted), reduceSum(broadcastTo(wf, losses.shape)));
    case Reduction.SUM_OVER_BATCH_SIZE:
      return div(reduceSum(weighted), Math.max(1, losses.size));
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      const nonzero = reduceSum(cast(notEqual(broadcastTo(wf, losses.shape), 0), 'float32'));
      return safeDiv(reduceSum(weighted), nonzero);
    }
    default:
      throw new OpError(op, `unknown reduction '${String(reduction)}'`);
  }
}
