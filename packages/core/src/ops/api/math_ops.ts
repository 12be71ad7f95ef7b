/** addN, cumsum and topK (TensorFlow's tf.add_n, tf.math.cumsum, tf.math.top_k). */
import { OpError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { addNDef } from '../defs/add_n.js';
import { cumsumDef } from '../defs/cumsum.js';
import { topKDef } from '../defs/top_k.js';
import { apply, apply1 } from '../dispatch.js';

/** Sum of tensors of one shape and dtype. */
export function addN(tensors: readonly TensorLike[]): Tensor {
  if (!Array.isArray(tensors)) throw new OpError('addN', `expected a list of tensors, found ${typeof tensors}`);
  return apply1(addNDef, tensors.map((t, i) => convert(t, `inputs[${i}]`, 'addN')), {});
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
