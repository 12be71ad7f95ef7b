import { normAxes, reductionAxesFor, shapesEqual, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { argReduceDef } from '../defs/arg_reduce.js';
import { reduceDef, type ReduceKind } from '../defs/reduce.js';
import { apply1 } from '../dispatch.js';
import { reshape } from './shape_ops.js';

type Axes = number | readonly number[] | null | undefined;

function reduce(op: ReduceKind, x: TensorLike, axis: Axes, keepDims: boolean): Tensor {
  const name = `reduce${op[0]!.toUpperCase()}${op.slice(1)}`;
  const t = convert(x, 'x', name);
  return apply1(reduceDef, [t], { op, axes: normAxes(name, axis, t.rank), keepDims });
}

export const reduceSum = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('sum', x, axis, keepDims);
export const reduceMean = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('mean', x, axis, keepDims);
export const reduceMax = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('max', x, axis, keepDims);
export const reduceMin = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('min', x, axis, keepDims);
export const reduceProd = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('prod', x, axis, keepDims);
export const reduceAll = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('all', x, axis, keepDims);
export const reduceAny = (x: TensorLike, axis?: Axes, keepDims = false) => reduce('any', x, axis, keepDims);

export const argMax = (x: TensorLike, axis = 0) => apply1(argReduceDef, [convert(x, 'x', 'argMax')], { op: 'max', axis });
export const argMin = (x: TensorLike, axis = 0) => apply1(argReduceDef, [convert(x, 'x', 'argMin')], { op: 'min', axis });

/** Sums a broadcast result back to `shape` (how gradients undo broadcasting). */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const axes = reductionAxesFor(x.shape, shape);
  const summed = axes.length ? reduceSum(x, axes, true) : x;
  return reshape(summed, shape);
}
