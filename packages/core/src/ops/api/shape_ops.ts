import { OpError, fmtShape } from '../../errors.js';
import type { Shape } from '../../shape.js';
import { assertValidShape, shapeList, shapesEqual } from '../../shape.js';
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
  return apply1(reshapeDef, [t], { shape: shapeList('reshape', shape) });
}

/** Permutes dimensions; without perm, reverses them (TensorFlow's default). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = convert(x, 'x', 'transpose');
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  return apply1(transposeDef, [t], { perm: [...p] });
}

export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = convert(x, 'x', 'broadcastTo');
  assertValidShape('broadcastTo', shape);
  return shapesEqual(t.shape, shape) ? apply1(reshapeDef, [t], { shape: [...shape] }) : apply1(broadcastToDef, [t], { shape: [...shape] });
}

/**
 * TensorFlow's `tf.ensure_shape(x, shape)` / `x.set_shape(shape)`: checks that `t`'s shape is
 * compatible with `shape` and returns `t` itself (no copy, no new tensor). A `null` or `-1`
 * entry is an unknown dimension (any size matches); `shape = null` is an unknown rank (anything
 * matches). Eager tensors always have fully known shapes, so unlike TF's graph-mode set_shape
 * this never refines a shape: it is only a check, throwing OpError('ensureShape') with the
 * expected and found shapes when they are incompatible.
 */
export function ensureShape<T extends Tensor>(t: T, shape: readonly (number | null)[] | null): T {
  if (!t || typeof t !== 'object' || !Array.isArray((t as { shape?: unknown }).shape)) {
    throw new OpError('ensureShape', `x must be a Tensor, found ${t === null ? 'null' : typeof t}`);
  }
  if (shape === null) return t;
  for (const d of shape) {
    if (d !== null && (!Number.isInteger(d) || d < -1)) {
      throw new OpError('ensureShape', `shape entries must be non-negative integers, -1 or null; found ${String(d)} in [${shape.map(String).join(',')}]`);
    }
  }
  const ok = shape.length === t.shape.length && shape.every((d, i) => d === null || d === -1 || d === t.shape[i]);
  if (!ok) {
    const expected = `[${shape.map((d) => (d === null || d === -1 ? '?' : String(d))).join(',')}]`;
    throw new OpError('ensureShape', `shape of x is incompatible: expected ${expected} (rank ${shape.length}), found ${fmtShape(t.shape)} (rank ${t.shape.length})`);
  }
  return t;
}
