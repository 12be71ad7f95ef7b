import type { Shape } from '../../shape.js';
import { shapesEqual } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { broadcastToDef } from '../defs/broadcast_to.js';
import { reshapeDef } from '../defs/reshape.js';
import { transposeDef } from '../defs/transpose.js';
import { apply1 } from '../dispatch.js';

/** New shape for the same data; one dimension may be -1. */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const t = convert(x, 'x', 'reshape');
  // Always a new tensor (an alias when the shape is unchanged), so disposing it never frees `x`.
  return apply1(reshapeDef, [t], { shape: [...shape] });
}

/** Permutes dimensions; without perm, reverses them (TensorFlow's default). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = convert(x, 'x', 'transpose');
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  return apply1(transposeDef, [t], { perm: [...p] });
}

export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = convert(x, 'x', 'broadcastTo');
  return shapesEqual(t.shape, shape) ? apply1(reshapeDef, [t], { shape: [...shape] }) : apply1(broadcastToDef, [t], { shape: [...shape] });
}
