import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { castDef } from '../defs/cast.js';
import { identityDef } from '../defs/identity.js';
import { apply1 } from '../dispatch.js';

export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = convert(x, 'x', 'cast');
  // Same dtype: an alias, so the result can be disposed independently of `x` (as tf.cast).
  return t.dtype === dtype ? apply1(identityDef, [t], {}) : apply1(castDef, [t], { dtype });
}
