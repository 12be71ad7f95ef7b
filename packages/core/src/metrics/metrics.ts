/** Accuracy metrics (tf.metrics.accuracy's value, top-k via in_top_k semantics). */
import { engine } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { cast } from '../ops/api/cast.js';
import { equal } from '../ops/api/elementwise.js';
import { argMax, reduceMean } from '../ops/api/reduce.js';
import type { TensorLike } from '../ops/convert.js';
import { indexArg } from '../ops/index_args.js';
import type { Tensor } from '../tensor.js';
import { inTopK as inTopKOp } from '../ops/api/nn_lookup.js';

/**
 * Fraction of predictions equal to labels. `predictions` may be class ids (same shape as
 * labels) or scores with one more (last) dimension, then argmax is taken.
 */
export function accuracy(labels: TensorLike, predictions: TensorLike): Tensor {
  return engine.tidy(() => {
    // int64 class ids (parsed labels; TensorFlow's argmax) are range-checked into int32.
    const l = indexArg(labels, 'labels', 'accuracy');
    let p = indexArg(predictions, 'predictions', 'accuracy');
    if (p.rank === l.rank + 1) p = argMax(p, -1 + p.rank);
    if (p.rank !== l.rank || p.shape.some((d, i) => d !== l.shape[i])) {
      throw new OpError('accuracy', `labels shape ${fmtShape(l.shape)} and predictions shape ${fmtShape(p.shape)} do not match`);
    }
    return reduceMean(cast(equal(cast(p, 'int32'), cast(l, 'int32')), 'float32'));
  });
}

/** Whether each target class is among the top k scores (ties at the boundary count as in, as TF). */
export function inTopK(predictions: Tensor, targets: TensorLike, k: number): Tensor {
  return engine.tidy(() => {
    const t = indexArg(targets, 'targets', 'inTopK');
    if (predictions.rank !== 2 || t.rank !== 1 || t.shape[0] !== predictions.shape[0]) {
      throw new OpError('inTopK', `predictions must be [batch, classes] and targets [batch]; found ${fmtShape(predictions.shape)} and ${fmtShape(t.shape)}`);
    }
    return inTopKOp(predictions, t, k);
  });
}

/** Mean of inTopK (tf.nn.in_top_k + reduce_mean, the notes' top-5 accuracy). */
export function topKAccuracy(labels: TensorLike, logits: Tensor, k = 5): Tensor {
  return engine.tidy(() => reduceMean(cast(inTopK(logits, labels, k), 'float32')));
}

/** Host-side running mean (streaming metric): update(value, count), result(), reset(). */
export class Mean {
  private total = 0;
  private count = 0;
  update(value: number, count = 1): void {
    this.total += value * count;
    this.count += count;
  }
  result(): number {
    return this.count ? this.total / this.count : 0;
  }
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
