/** int32 (uint8 values) ↔ float32 image conversion, and running float-only maths on either dtype. */
import { engine } from '../../../engine.js';
import { OpError } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { cast } from '../../api/cast.js';
import { UINT8_MAX, checkImageDtype } from './common.js';

/**
 * int32 (uint8 values 0..255) ↔ float32 (0..1) with TensorFlow's convert_image_dtype scaling:
 * int → float multiplies by 1/255; float → int multiplies by 255.5 and truncates (values of
 * [0, 1] land in 0..255); with `saturate`, results are clamped to 0..255 first. Same dtype: a copy.
 */
export function convertImageDtype(image: TensorLike, dtype: 'float32' | 'int32', saturate = false): Tensor {
  const op = 'convertImageDtype';
  const t = convert(image, 'image', op);
  checkImageDtype(op, t);
  if (dtype !== 'float32' && dtype !== 'int32') throw new OpError(op, `dtype must be 'float32' or 'int32' (uint8 values), found ${String(dtype)}`);
  if (t.dtype === dtype) return cast(t, dtype);
  return engine.tidy(() => {
    if (dtype === 'float32') return E.mul(cast(t, 'float32'), 1 / UINT8_MAX);
    const scaled = E.mul(t, UINT8_MAX + 0.5);
    return cast(saturate ? E.clipByValue(scaled, 0, UINT8_MAX) : scaled, 'int32');
  });
}

/** Runs `fn` on a float32 view of the image and converts back to the image's dtype (saturating), as TensorFlow's adjust_* ops do. */
export function inFloat(op: string, t: Tensor, fn: (f: Tensor) => Tensor): Tensor {
  checkImageDtype(op, t);
  return engine.tidy(() => (t.dtype === 'float32' ? fn(t) : convertImageDtype(fn(convertImageDtype(t, 'float32')), 'int32', true)));
}
