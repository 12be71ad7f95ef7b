import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { castDef } from '../defs/cast.js';
import { apply1 } from '../dispatch.js';

export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = convert(x, 'x', 'cast');
  return t.dtype === dtype ? t : apply1(castDef, [t], { dtype });
}
