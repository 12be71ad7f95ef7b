/** addN, cumsum, topK and reduceLogSumExp (TensorFlow's tf.add_n, tf.math.cumsum, tf.math.top_k, tf.reduce_logsumexp). */
import { OpError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { addNDef } from '../defs/add_n.js';
import { cumsumDef } from '../defs/cumsum.js';
import { topKDef } from '../defs/top_k.js';
import { apply, apply1 } from '../dispatch.js';
import { engine } from '../../engine.js';
import { normAxes } from '../../shape.js';
import { zerosLike } from './creation.js';
import * as E from './elementwise.js';
import { stopGradient } from './gradient_ops.js';
import { reduceMax, reduceSum } from './reduce.js';
import { reshape } from './shape_ops.js';

/**
 * Sum of tensors of one shape and dtype. Function entries are called first: a collection's loss
 * terms are functions (getVariable's regularizers), so `ef.addN(ef.getCollection('losses'))` sums
 * their current values, as tf.add_n(tf.get_collection('losses')) does in a graph.
 */
export function addN(tensors: readonly (TensorLike | (() => TensorLike))[]): Tensor {
  if (!Array.isArray(tensors)) throw new OpError('addN', `expected a list of tensors, found ${typeof tensors}`);
  return apply1(addNDef, tensors.map((t, i) => convert(typeof t === 'function' ? t() : t, `inputs[${i}]`, 'addN')), {});
}

export interface CumsumOptions {
  exclusive?: boolean;
  reverse?: boolean;
}

/** Cumulative sum along `axis`: cumsum(x, axis, exclusive, reverse) or cumsum(x, axis, {exclusive, reverse}). */
export function cumsum(x: TensorLike, axis = 0, exclusive: boolean | CumsumOptions = false, reverse = false): Tensor {
  const o = typeof exclusive === 'object' ? exclusive : { exclusive, reverse };
  if (!Number.isInteger(axis)) throw new OpError('cumsum', `axis must be an integer, found ${axis}`);
  return apply1(cumsumDef, [convert(x, 'x', 'cumsum')], { axis, exclusive: o.exclusive ?? false, reverse: o.reverse ?? false });
}

/** The k largest entries along the last axis and their int32 indices (ties: lower index first). */
export function topK(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const [values, indices] = apply(topKDef, [convert(x, 'x', 'topK')], { k, sorted });
  return { values: values!, indices: indices! };
}

/**
 * log(Σ exp(x)) over `axis` (all axes when omitted), TensorFlow's tf.reduce_logsumexp: the max
 * is subtracted first (held out of the gradient, 0 where it is not finite), so large inputs do
 * not overflow; the gradient is the softmax.
 */
export function reduceLogSumExp(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = convert(x, 'x', 'reduceLogSumExp');
  if (t.dtype !== 'float32') throw new OpError('reduceLogSumExp', `x must be float32, found ${t.dtype}`);
  const axes = normAxes('reduceLogSumExp', axis, t.rank);
  return engine.tidy(() => {
    const rawMax = reduceMax(t, axis, true);
    const finite = E.equal(E.sub(rawMax, rawMax), 0); // false for ±inf and NaN
    const max = stopGradient(E.where(finite, rawMax, zerosLike(rawMax)));
    const lse = E.add(E.log(reduceSum(E.exp(E.sub(t, max)), axis, true)), max);
    return keepDims ? lse : reshape(lse, t.shape.filter((_, i) => !axes.includes(i)));
  });
}
