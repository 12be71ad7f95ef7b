/** ef.nn lookup ops: inTopK and embeddingLookup (TensorFlow's tf.nn.in_top_k, tf.nn.embedding_lookup). */
import { engine } from '../../engine.js';
import { OpError } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { concatOp } from '../defs/concat.js';
import { gatherOp } from '../defs/gather.js';
import { makeTensor } from '../create_values.js';
import { inTopKDef } from '../defs/in_top_k.js';
import { apply1 } from '../dispatch.js';
import { indexArg, withIndexArg } from '../index_args.js';
import * as E from './elementwise.js';
import { reduceSum } from './reduce.js';

/**
 * Whether targets[i] (int32, or int64 range-checked into int32) is among the k largest
 * predictions[i] (TF1 argument order). Ties at the boundary count as in the top k; out-of-range
 * targets and rows with non-finite values give false.
 */
export function inTopK(predictions: TensorLike, targets: TensorLike, k: number): Tensor {
  const p = convert(predictions, 'predictions', 'inTopK');
  return withIndexArg(targets, 'targets', 'inTopK', (t) => apply1(inTopKDef, [p, t], { k }));
}

export interface EmbeddingLookupOptions {
  /** Rows with an L2 norm above maxNorm are scaled down to it (TensorFlow's max_norm). */
  maxNorm?: number;
}

/**
 * Rows of `params` at int32 (or int64) `ids` (shape ids.shape + params.shape[1:]); a gather on axis 0, so
 * the gradient scatters into the rows that were read. A list of params is TensorFlow's sharded
 * form with the 'mod' partition strategy: id i lives in shard i % n at row floor(i / n).
 */
export function embeddingLookup(params: TensorLike | readonly Tensor[], ids: TensorLike, options: EmbeddingLookupOptions = {}): Tensor {
  return engine.tidy(() => lookup(params, ids, options));
}

function lookup(params: TensorLike | readonly Tensor[], ids: TensorLike, options: EmbeddingLookupOptions): Tensor {
  if (Array.isArray(params) && params.length === 0) throw new OpError('embeddingLookup', 'params must be a tensor or a non-empty list of tensors, found an empty list');
  const idx = indexArg(ids, 'ids', 'embeddingLookup'); // int32, or int64 range-checked (inside a tidy)
  let rows: Tensor;
  if (Array.isArray(params) && params[0] instanceof Tensor) {
    const shards = (params as unknown as readonly Tensor[]).map((p, i) => convert(p, `params[${i}]`, 'embeddingLookup'));
    if (shards.length === 1) rows = gatherOp(shards[0]!, idx, 0, 0);
    else rows = shardedLookup(shards, idx);
  } else {
    rows = gatherOp(convert(params as TensorLike, 'params', 'embeddingLookup'), idx, 0, 0);
  }
  if (options.maxNorm === undefined) return rows;
  if (!(options.maxNorm > 0)) throw new OpError('embeddingLookup', `maxNorm must be positive, found ${options.maxNorm}`);
  const axes = rows.shape.map((_, d) => d).slice(idx.rank);
  if (axes.length === 0) return rows;
  const norm = E.sqrt(reduceSum(E.square(rows), axes, true));
  return E.mul(rows, E.minimum(1, E.div(options.maxNorm, E.maximum(norm, 1e-30))));
}

function shardedLookup(shards: readonly Tensor[], ids: Tensor): Tensor {
  // 'mod' strategy: id i lives in shard i % n at row floor(i / n). The shards are concatenated
  // and ids mapped to rows of the concatenation; ids outside [0, total) keep their value, so the
  // gather reports them with the total as the bound.
  const n = shards.length;
  const rest = shards[0]!.shape.slice(1);
  const total = shards.reduce((s, p) => s + (p.shape[0] ?? 0), 0);
  const offsets: number[] = [];
  let acc = 0;
  shards.forEach((p, s) => {
    if (p.rank !== rest.length + 1 || p.shape.slice(1).some((d, k) => d !== rest[k])) {
      throw new OpError('embeddingLookup', `params[${s}] has shape [${p.shape.join(',')}], expected [*,${rest.join(',')}] like params[0]`);
    }
    const want = Math.ceil((total - s) / n);
    if (p.shape[0] !== want) {
      throw new OpError('embeddingLookup', `params[${s}] has ${p.shape[0]} rows; with the 'mod' partition of ${total} ids over ${n} shards it must have ${want}`);
    }
    offsets.push(acc);
    acc += p.shape[0]!;
  });
  const table = concatOp(shards as Tensor[], 0);
  const rowInTable = E.add(gatherOp(makeTensor(offsets, [n], 'int32'), E.mod(ids, n), 0, 0), E.floorDiv(ids, n));
  const valid = E.logicalAnd(E.greaterEqual(ids, 0), E.less(ids, total));
  return gatherOp(table, E.where(valid, rowInTable, ids), 0, 0);
}
