/**
 * Index arguments (indices, labels, targets, segment ids): int32, or int64 as TensorFlow also
 * accepts (parsed Example features and checkpoint values are int64). An int64 argument becomes an
 * int32 copy after a range check on its host values; a value outside int32 is an OpError naming
 * the op and argument rather than an index that silently wrapped.
 */
import { firstOutsideInt32, type DataValues } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { convert, type TensorLike } from './convert.js';
import { castDef } from './defs/cast.js';
import { apply1 } from './dispatch.js';

/**
 * `x` as an int32 index tensor: JS values as int32, tensors unchanged except int64, which is
 * range-checked and cast (a new tensor the caller owns: call it inside a tidy, or use withIndexArg).
 */
export function indexArg(x: TensorLike, arg: string, op: string): Tensor {
  const t = convert(x, arg, op, 'int32');
  if (t.dtype !== 'int64') return t;
  const values = hostValues(t, op, arg) as BigInt64Array | undefined;
  if (!values) {
    throw new OpError(op, `argument '${arg}' is an int64 tensor whose values are only on '${t.backend.name}' (a cast result), so its int32 range cannot be checked without a read; use ef.cast(${arg}, 'int32') (values outside int32 wrap, as tf.cast)`);
  }
  const i = firstOutsideInt32(values);
  if (i >= 0) {
    throw new OpError(op, `argument '${arg}' is int64 and holds ${values[i]} at flat index ${i}, which does not fit int32 [-2147483648, 2147483647] (int64 index arguments are converted to int32)`);
  }
  return apply1(castDef, [t], { dtype: 'int32' });
}

/**
 * A tensor's values when they can be had without waiting: a synchronous read (the CPU), or the
 * host copy a backend without one already holds (WebGPU's tiny or host-written tensors); else
 * undefined. For arguments eager code must know on the host (index ranges, shapes). A disposed
 * `t` is an OpError naming `op` and `arg`.
 */
export function hostValues(t: Tensor, op: string, arg: string): DataValues | undefined {
  engine.assertLive(t, op, arg);
  const b = t.backend;
  return b.readSync ? b.readSync(t.storage, t) : b.peekSync?.(t.storage, t);
}

/** Runs `fn` on `x` as int32 indices (see indexArg) and disposes a converted copy afterwards. */
export function withIndexArg<T>(x: TensorLike, arg: string, op: string, fn: (idx: Tensor) => T): T {
  const idx = indexArg(x, arg, op);
  if (!(x instanceof Tensor) || x.dtype !== 'int64') return fn(idx);
  try {
    return fn(idx);
  } finally {
    idx.dispose();
  }
}
